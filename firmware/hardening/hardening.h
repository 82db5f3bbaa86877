#pragma once
// Process hardening for the running terminal (issue #6). What is applied, in which order, and
// why each step: README.md in this folder.
//
// Call order in carnet-terminal's main (firmware/app/main.cc):
//   1. HardenProcess(options) first thing in main(), before any secret is read: core dumps off
//      and not dumpable (secrets never reach a core file or another process's ptrace), no new
//      privileges (no set-uid binary can hand us root back), and, when started as root, the
//      switch to the unprivileged account.
//   2. Initialise: open the key store, the outbox database, the PC/SC context, the TLS context.
//   3. InstallSeccompFilter(SeccompOptions{}) (seccomp_filter.h) once initialisation is done:
//      from there on only the syscalls of the allow-list are possible.
//
// Every call returns a Status whose message says what to do; a failure must stop the program
// (a terminal that cannot harden itself must not run with secrets in memory).

#include <string>

#include "hal/base/status.h"

namespace carnet::fw::hardening {

inline constexpr char kDefaultUser[] = "carnet";

struct ProcessOptions {
  // Account to switch to when started as root (real or effective uid 0). Ignored otherwise.
  std::string run_as_user = kDefaultUser;
  // Refuse to run as root when false (instead of switching): for tests only.
  bool drop_privileges = true;
  // Development and CI containers that run everything as root: stay root (one warning line on
  // stderr) instead of switching. Never set on an appliance.
  bool allow_root = false;
};

// ProcessOptions from the environment, for main(): CARNET_TERMINAL_USER (the account to switch
// to; default "carnet") and CARNET_TERMINAL_ALLOW_ROOT=1 (allow_root).
ProcessOptions ProcessOptionsFromEnvironment();

// RLIMIT_CORE 0 (soft and hard) and PR_SET_DUMPABLE 0. Idempotent.
Status DisableCoreDumps();

// PR_SET_NO_NEW_PRIVS 1 (also required for an unprivileged seccomp filter). Idempotent.
Status SetNoNewPrivs();

// When the real, effective or saved uid is 0: setgroups to the user's primary group only,
// setresgid, setresuid to `user` (looked up in the passwd database), then verifies that uid 0
// cannot be regained (setuid(0) and setresuid(-1, 0, -1) must fail) and that no uid or gid
// of the process is 0 any more. No-op (OK) when not root. kNotFound names the missing account.
// Switching uid resets the dumpable flag: call DisableCoreDumps() after it (HardenProcess does).
Status DropPrivileges(const std::string& user);

// DisableCoreDumps, SetNoNewPrivs, DropPrivileges(options.run_as_user) if root (unless
// allow_root), then DisableCoreDumps again (setuid resets the dumpable flag to the sysctl
// default).
Status HardenProcess(const ProcessOptions& options = ProcessOptions{});

// What the process looks like now, for `status` screens and tests.
struct ProcessState {
  bool dumpable = true;          // PR_GET_DUMPABLE != 0
  bool no_new_privs = false;     // PR_GET_NO_NEW_PRIVS
  bool core_limit_zero = false;  // RLIMIT_CORE soft and hard both 0
  int seccomp_mode = 0;          // /proc/self/status "Seccomp:" 0 none, 1 strict, 2 filter
  bool any_id_root = false;      // any of real/effective/saved uid or gid is 0
};
Result<ProcessState> CurrentProcessState();

}  // namespace carnet::fw::hardening
