// main() of the hardening tests that need something the machine may not give. Exit code 77
// (CTest SKIP_RETURN_CODE) with the reason on stderr when it is missing.
#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakDetectorMallocMacros.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdio>

#include "firmware/hardening/seccomp_filter.h"

namespace {

// Empty when the test can run, else why not.
const char* MissingPrerequisite() {
#if defined(CARNET_HARDENING_TEST_KIND_seccomp)
  if (!carnet::fw::hardening::SeccompAvailable()) {
    return "this kernel cannot load a seccomp filter (qemu-user refuses seccomp for its guests; "
           "run this test natively on the target, or on a kernel with CONFIG_SECCOMP_FILTER)";
  }
#elif defined(CARNET_HARDENING_TEST_KIND_privdrop)
  if (geteuid() != 0) return "dropping privileges can only be tested as root (run ctest as root)";
  if (getpwnam("nobody") == nullptr) return "no 'nobody' account to drop privileges to";
#endif
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* why = MissingPrerequisite()) {
    std::fprintf(stderr, "SKIP: %s\n", why);
    return 77;
  }
  MemoryLeakWarningPlugin::turnOffNewDeleteOverloads();
  return CommandLineTestRunner::RunAllTests(argc, argv);
}
