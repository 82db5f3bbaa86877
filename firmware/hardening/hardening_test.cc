// Process hardening that every machine can test: core dumps, the dumpable flag, no_new_privs,
// and the refusals. Each change is made in a forked child (hardening_test_util.h).
#include "firmware/hardening/hardening.h"

#include <CppUTest/TestHarness.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "firmware/hardening/hardening_test_util.h"
#include "firmware/hardening/seccomp_filter.h"

namespace carnet::fw::hardening {
namespace {

using testing::RunInChild;

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_GROUP(Hardening){};

TEST(Hardening, DisableCoreDumpsTurnsOffDumpableAndCoreLimit) {
  CHECK_CHILD_EXITS_0([] {
    // Start from a dumpable process so that the test sees the change.
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) return 10;
    auto before = CurrentProcessState();
    if (!before.ok() || !before->dumpable) return 11;
    if (!DisableCoreDumps().ok()) return 12;
    auto after = CurrentProcessState();
    if (!after.ok()) return 13;
    if (after->dumpable) return 14;
    if (!after->core_limit_zero) return 15;
    // The hard limit is 0 too: the process cannot turn core files back on.
    const rlimit some{1 << 20, 1 << 20};
    if (setrlimit(RLIMIT_CORE, &some) == 0 && geteuid() != 0) return 16;
    return 0;
  });
}

TEST(Hardening, SetNoNewPrivsIsSetAndSticks) {
  CHECK_CHILD_EXITS_0([] {
    if (!SetNoNewPrivs().ok()) return 10;
    if (!SetNoNewPrivs().ok()) return 11;  // idempotent
    auto state = CurrentProcessState();
    if (!state.ok() || !state->no_new_privs) return 12;
    // It cannot be cleared (the kernel refuses any value but 1).
    if (prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0) return 13;
    return 0;
  });
}

TEST(Hardening, HardenProcessAppliesEverythingOrRefusesRoot) {
  CHECK_CHILD_EXITS_0([] {
    ProcessOptions options;
    options.drop_privileges = false;
    const Status s = HardenProcess(options);
    const bool root = getuid() == 0 || geteuid() == 0;
    if (root) {
      // Told not to switch accounts, a root process must refuse to go on.
      if (s.code() != StatusCode::kPermissionDenied) return 10;
      if (s.message().find("refusing to run as root") == std::string::npos) return 11;
    } else if (!s.ok()) {
      return 12;
    }
    auto state = CurrentProcessState();
    if (!state.ok() || state->dumpable || !state->no_new_privs || !state->core_limit_zero) {
      return 13;
    }
    return 0;
  });
}

TEST(Hardening, DropPrivilegesToAMissingAccountSaysHowToFixIt) {
  CHECK_CHILD_EXITS_0([] {
    const Status s = DropPrivileges("carnet-no-such-account");
    if (getuid() != 0 && geteuid() != 0) return s.ok() ? 0 : 10;  // not root: nothing to drop
    if (s.code() != StatusCode::kNotFound) return 11;
    if (s.message().find("useradd") == std::string::npos) return 12;
    auto state = CurrentProcessState();  // still root, nothing half-done
    if (!state.ok() || !state->any_id_root) return 13;
    return 0;
  });
}

TEST(Hardening, AllowRootStaysRootButStillHardens) {
  CHECK_CHILD_EXITS_0([] {
    ProcessOptions options;
    options.allow_root = true;
    options.run_as_user = "carnet-no-such-account";  // would fail if a switch were attempted
    if (!HardenProcess(options).ok()) return 10;
    auto state = CurrentProcessState();
    if (!state.ok() || state->dumpable || !state->no_new_privs) return 11;
    return 0;
  });
}

TEST(Hardening, OptionsFromTheEnvironment) {
  CHECK_CHILD_EXITS_0([] {
    unsetenv("CARNET_TERMINAL_USER");
    unsetenv("CARNET_TERMINAL_ALLOW_ROOT");
    ProcessOptions d = ProcessOptionsFromEnvironment();
    if (d.run_as_user != kDefaultUser || d.allow_root) return 10;
    setenv("CARNET_TERMINAL_USER", "nobody", 1);
    setenv("CARNET_TERMINAL_ALLOW_ROOT", "yes", 1);  // only "1" counts
    ProcessOptions e = ProcessOptionsFromEnvironment();
    if (e.run_as_user != "nobody" || e.allow_root) return 11;
    setenv("CARNET_TERMINAL_ALLOW_ROOT", "1", 1);
    if (!ProcessOptionsFromEnvironment().allow_root) return 12;
    return 0;
  });
}

TEST(Hardening, TestProcessItselfIsUnfiltered) {
  auto state = CurrentProcessState();
  CHECK_TRUE(state.ok());
  LONGS_EQUAL(0, state->seccomp_mode);
}

TEST(Hardening, AllowListHasWhatTheTerminalNeedsAndNotExecOrPtrace) {
  SeccompOptions production;
  production.sanitizer_runtime = false;
  const auto names = AllowedSyscalls(production);
  for (const char* needed : {"openat", "pread64", "fsync", "futex", "getrandom", "connect",
                             "sendmsg", "clock_gettime", "mmap"}) {
    CHECK_TEXT(Contains(names, needed), needed);
  }
  for (const char* forbidden : {"execve", "execveat", "ptrace", "fork", "vfork", "clone", "mount",
                                "setuid", "kill", "process_vm_readv", "bpf"}) {
    CHECK_TEXT(!Contains(names, forbidden), forbidden);
  }
  SeccompOptions asan;
  asan.sanitizer_runtime = true;
  CHECK_TRUE(Contains(AllowedSyscalls(asan), "ptrace"));  // LeakSanitizer at exit
}

}  // namespace carnet::fw::hardening
