// What the seccomp filter costs: building and loading it once, and the extra time per syscall
// after it (an allowed syscall early in the list, one late in the list, a 4 KiB pread).
// Prints figures; asserts nothing about time. Run: seccomp_bench [iterations]
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "firmware/hardening/seccomp_filter.h"

namespace {

using Clock = std::chrono::steady_clock;
using carnet::fw::hardening::InstallSeccompFilter;
using carnet::fw::hardening::SeccompOptions;

double NsPerCall(long iterations, long (*call)(int), int fd) {
  const auto t0 = Clock::now();
  for (long i = 0; i < iterations; ++i) call(fd);
  const auto t1 = Clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() /
         static_cast<double>(iterations);
}

long GetPid(int) { return syscall(SYS_getpid); }
long GetResGid(int) {
  gid_t a = 0, b = 0, c = 0;
  return syscall(SYS_getresgid, &a, &b, &c);
}
long Pread4k(int fd) {
  static char buf[4096];
  return pread(fd, buf, sizeof buf, 0);
}

void Measure(const char* label, long iterations, int fd) {
  std::printf("%-24s getpid %6.1f ns  getresgid %6.1f ns  pread 4 KiB %7.1f ns\n", label,
              NsPerCall(iterations, GetPid, fd), NsPerCall(iterations, GetResGid, fd),
              NsPerCall(iterations, Pread4k, fd));
}

// Median time of building + loading the filter, each in a fresh child.
double InstallMicros(int runs) {
  std::vector<double> us;
  for (int i = 0; i < runs; ++i) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    const pid_t pid = fork();
    if (pid == 0) {
      const auto t0 = Clock::now();
      const bool ok = InstallSeccompFilter(SeccompOptions{}).ok();
      const double d = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
      if (write(fds[1], &d, sizeof d) != sizeof d) _exit(2);
      _exit(ok ? 0 : 1);
    }
    double d = -1;
    if (read(fds[0], &d, sizeof d) == sizeof d) us.push_back(d);
    close(fds[0]);
    close(fds[1]);
    waitpid(pid, nullptr, 0);
  }
  if (us.empty()) return -1;
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 2000000;
  if (!carnet::fw::hardening::SeccompAvailable()) {
    std::printf("seccomp unavailable here (qemu-user?): nothing to measure\n");
    return 0;
  }
  const int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  std::printf("filter: %zu names in the allow-list\n",
              carnet::fw::hardening::AllowedSyscalls(SeccompOptions{}).size());
  std::printf("build + load (median of 50): %.0f us\n", InstallMicros(50));
  Measure("without filter", iterations, fd);
  if (!InstallSeccompFilter(SeccompOptions{}).ok()) return 1;
  Measure("with filter", iterations, fd);
  return 0;
}
