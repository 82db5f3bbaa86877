#pragma once
// Hardening tests change the process for good (no_new_privs, uids, a seccomp filter), so each
// check runs in a forked child that reports through its exit code: 0 = as expected, any other
// number names the failed step, and a signal is reported as such.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

namespace carnet::fw::hardening::testing {

struct ChildResult {
  bool exited = false;
  int exit_code = -1;
  int signal = 0;
  std::string Describe() const {
    return exited ? "child exited with " + std::to_string(exit_code)
                  : "child killed by signal " + std::to_string(signal);
  }
};

// Runs `body` in a forked child; the child ends with _exit(body()) so that no atexit handler
// or test-runner state of the parent runs twice.
inline ChildResult RunInChild(const std::function<int()>& body) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    // A child stuck (e.g. LeakSanitizer waiting for a tracer the filter killed) is reported
    // as signal 14 (SIGALRM) instead of hanging the test until CTest's timeout.
    alarm(20);
    _exit(body());
  }
  ChildResult r;
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return r;
  r.exited = WIFEXITED(status);
  if (r.exited) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

}  // namespace carnet::fw::hardening::testing

#define CHECK_CHILD_EXITS_0(...)                                                    \
  do {                                                                              \
    auto check_child_r = ::carnet::fw::hardening::testing::RunInChild(__VA_ARGS__); \
    CHECK_TEXT(check_child_r.exited&& check_child_r.exit_code == 0,                 \
               check_child_r.Describe().c_str());                                   \
  } while (0)
