// The one main() of every CppUTest executable. Memory-leak detection is CppUTest's own
// operator-new accounting; it is off because ASan/LSan does that job in the asan preset and
// CppUTest's macros do not mix with mbedTLS's and libstdc++'s allocations.
#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakDetectorMallocMacros.h>
#include <CppUTest/TestRegistry.h>

int main(int argc, char** argv) {
  MemoryLeakWarningPlugin::turnOffNewDeleteOverloads();
  return CommandLineTestRunner::RunAllTests(argc, argv);
}
