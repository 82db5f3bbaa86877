#pragma once
// The terminal's seccomp filter: the one wrapper around libseccomp (no other file includes
// <seccomp.h>). The allow-list and the reasons for each entry are in README.md.
//
// Install it after start-up (key store opened, SQLite outbox opened, PC/SC context made, TLS
// context built): from then on only the listed syscalls work. The filter is inherited by every
// thread created afterwards and cannot be removed. libseccomp compiles the list for the native
// architecture (x86-64, aarch64, armhf); names that do not exist on an architecture (open vs
// openat) are skipped, so one list serves all three.

#include <string>
#include <vector>

#include "hal/base/status.h"

namespace carnet::fw::hardening {

// Whether this binary was built with AddressSanitizer (the asan preset).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kBuiltWithSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kBuiltWithSanitizer = true;
#else
inline constexpr bool kBuiltWithSanitizer = false;
#endif
#else
inline constexpr bool kBuiltWithSanitizer = false;
#endif

enum class SeccompDefault {
  // Production: a syscall outside the list kills the whole process (SIGSYS, no handler can
  // catch it); the kernel logs it (audit type=1326 with the syscall number, SECCOMP_FILTER_
  // FLAG_LOG). An exploit cannot probe the list and carry on.
  kKillProcess,
  // Bring-up and tests: the syscall fails with EPERM and the kernel logs it; the program keeps
  // running, so one run lists every missing syscall.
  kErrnoEperm,
};

struct SeccompOptions {
  SeccompDefault default_action = SeccompDefault::kKillProcess;
  // Extra syscall names to allow (e.g. from a config during bring-up). Unknown names fail.
  std::vector<std::string> extra_allowed;
  // Set when the program runs under ASan/LSan (detected at compile time by default): adds what
  // the sanitizer runtime needs at run time and at exit (LeakSanitizer's clone/ptrace/wait4).
  bool sanitizer_runtime = kBuiltWithSanitizer;
};

// The syscall names of the allow-list (before architecture filtering), for README and tests.
std::vector<std::string> AllowedSyscalls(const SeccompOptions& options);

// Builds and loads the filter (needs no_new_privs or CAP_SYS_ADMIN: call SetNoNewPrivs first).
// kUnimplemented when the kernel (or qemu-user, which refuses seccomp for its guests) cannot
// load a filter: see SeccompAvailable.
Status InstallSeccompFilter(const SeccompOptions& options = SeccompOptions{});

// Whether a filter can be loaded here, probed in a forked child (so this process stays
// unfiltered). false under qemu-user and on kernels without CONFIG_SECCOMP_FILTER.
bool SeccompAvailable();

}  // namespace carnet::fw::hardening
