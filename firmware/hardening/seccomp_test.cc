// The seccomp filter, loaded in forked children: allowed calls work, forbidden ones fail with
// EPERM (bring-up mode) or kill the process (production mode). Skipped (exit 77, main) where
// no filter can be loaded, e.g. under qemu-user.
#include <CppUTest/TestHarness.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <thread>

#include "firmware/hardening/hardening.h"
#include "firmware/hardening/hardening_test_util.h"
#include "firmware/hardening/seccomp_filter.h"

namespace carnet::fw::hardening {
namespace {

using testing::RunInChild;

SeccompOptions Eperm() {
  SeccompOptions o;
  o.default_action = SeccompDefault::kErrnoEperm;
  return o;
}

// What the terminal does after start-up: file I/O as SQLite does it, randomness, a socket to
// pcscd, a thread, the clock. Returns 0 when all worked, else the failed step.
int AllowedWork() {
  char path[] = "/tmp/carnet-seccomp-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return 30;
  const char data[] = "outbox";
  if (pwrite(fd, data, sizeof data, 0) != static_cast<ssize_t>(sizeof data)) return 31;
  if (fdatasync(fd) != 0) return 32;
  char back[sizeof data] = {};
  if (pread(fd, back, sizeof back, 0) != static_cast<ssize_t>(sizeof back)) return 33;
  close(fd);
  if (unlink(path) != 0) return 34;
  unsigned char rnd[16];
  if (getrandom(rnd, sizeof rnd, 0) != static_cast<ssize_t>(sizeof rnd)) return 35;
  const int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return 36;
  close(s);
  int from_thread = 0;
  std::thread t([&from_thread] { from_thread = 1; });
  t.join();
  if (from_thread != 1) return 37;
  timespec ts{};
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 38;
  return 0;
}

int ExecFalse() {
  // /bin/false: if the filter let execve through, the child would exit 1, not 0.
  char arg0[] = "/bin/false";
  char* argv[] = {arg0, nullptr};
  char* envp[] = {nullptr};
  return execve(arg0, argv, envp);
}

}  // namespace

TEST_GROUP(Seccomp){};

TEST(Seccomp, AllowedCallsWorkAfterInstall) {
  CHECK_CHILD_EXITS_0([] {
    if (!InstallSeccompFilter(Eperm()).ok()) return 10;
    auto state = CurrentProcessState();
    if (!state.ok() || state->seccomp_mode != 2) return 11;
    return AllowedWork();
  });
}

TEST(Seccomp, ForbiddenCallsFailWithEpermInBringUpMode) {
  CHECK_CHILD_EXITS_0([] {
    if (!InstallSeccompFilter(Eperm()).ok()) return 10;
    if (ExecFalse() != -1 || errno != EPERM) return 11;
    if (socket(AF_PACKET, SOCK_RAW, 0) != -1 || errno != EPERM) return 12;
    if (!kBuiltWithSanitizer) {
      // Under ASan these stay allowed for LeakSanitizer (seccomp_filter.h).
      if (ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != -1 || errno != EPERM) return 14;
      if (fork() != -1 || errno != EPERM) return 15;
      if (kill(getppid(), 0) != -1 || errno != EPERM) return 16;
    }
    return 0;
  });
}

TEST(Seccomp, ForbiddenCallKillsTheProcessInProductionMode) {
  auto r = RunInChild([] {
    if (!InstallSeccompFilter(SeccompOptions{}).ok()) return 10;
    ExecFalse();
    return 11;  // not reached: the kernel kills the process at execve
  });
  CHECK_TEXT(!r.exited && r.signal == SIGSYS, r.Describe().c_str());
}

TEST(Seccomp, ProductionModeRunsTheTerminalsWorkAndExitsNormally) {
  // exit(), not _exit(): atexit handlers and, under ASan, LeakSanitizer's exit-time scan run
  // under the filter too.
  CHECK_CHILD_EXITS_0([] {
    if (!InstallSeccompFilter(SeccompOptions{}).ok()) return 10;
    const int rc = AllowedWork();
    std::fflush(nullptr);
    std::exit(rc);
    return rc;
  });
}

TEST(Seccomp, UnknownExtraSyscallNameIsRefusedBeforeLoading) {
  CHECK_CHILD_EXITS_0([] {
    SeccompOptions o = Eperm();
    o.extra_allowed = {"no_such_syscall"};
    const Status s = InstallSeccompFilter(o);
    if (s.code() != StatusCode::kInvalidArgument) return 10;
    if (s.message().find("no_such_syscall") == std::string::npos) return 11;
    auto state = CurrentProcessState();
    if (!state.ok() || state->seccomp_mode != 0) return 12;  // nothing was loaded
    return 0;
  });
}

}  // namespace carnet::fw::hardening
