// The terminal's seccomp filter (libseccomp). The only file that includes <seccomp.h>.
// Why each syscall is on the list: README.md, "Allow-list".
#include "firmware/hardening/seccomp_filter.h"

#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace carnet::fw::hardening {
namespace {

// Allowed without argument checks. Names missing on an architecture are skipped (Resolve).
// clang-format off
constexpr const char* kPlain[] = {
    // memory (malloc, mbedTLS, SQLite's WAL index is an mmap of the -shm file)
    "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise",
    // threads and locks (hal/card watchdog thread, pcsc-lite client, std::mutex)
    "futex", "futex_time64", "set_robust_list", "rseq", "sched_yield", "sched_getaffinity",
    "gettid", "getpid", "exit", "exit_group",
    // signals (glibc's own use; SIGPIPE is ignored, not caught)
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigreturn", "sigaltstack",
    "restart_syscall",
    // time (timeouts, freshness, log lines)
    "clock_gettime", "clock_gettime64", "clock_getres", "clock_getres_time64", "gettimeofday",
    "clock_nanosleep", "clock_nanosleep_time64", "nanosleep",
    // randomness (SystemRandom, mbedTLS entropy)
    "getrandom",
    // files: SQLite outbox (open, lock with fcntl, pread/pwrite, fsync, journal unlink,
    // truncate), key store reads and atomic replace, /etc files read by getaddrinfo
    "read", "write", "readv", "writev", "pread64", "pwrite64", "lseek", "_llseek", "close",
    "open", "openat", "stat", "lstat", "fstat", "stat64", "lstat64", "fstat64", "newfstatat",
    "fstatat64", "statx", "fcntl", "fcntl64", "fsync", "fdatasync", "ftruncate", "ftruncate64",
    "unlink", "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "access",
    "faccessat", "faccessat2", "getcwd", "readlink", "readlinkat", "getdents64", "flock",
    "dup", "dup2", "dup3", "umask",
    // the session commands make their state and outbox folders on first use (0700)
    "mkdir", "mkdirat", "fchmod",
    // SQLite gives a new journal/WAL file the database's owner when it runs as root
    // (development only: the terminal runs as its own account, where this is a no-op)
    "fchown", "fchown32",
    // sockets: PC/SC (AF_UNIX to pcscd), TCP to the node, DNS (UDP) and getaddrinfo's
    // AI_ADDRCONFIG (a netlink socket, bound). socket() itself is checked by family below.
    "connect", "bind", "sendto", "recvfrom", "sendmsg", "recvmsg", "send", "recv", "shutdown",
    "getsockopt", "setsockopt", "getsockname", "getpeername", "poll", "ppoll", "ppoll_time64",
    "select", "_newselect", "pselect6", "pselect6_time64", "epoll_create1", "epoll_ctl",
    "epoll_wait", "epoll_pwait", "eventfd2", "pipe2",
    // identity (SQLite asks geteuid before fchown; logs)
    "getuid", "geteuid", "getgid", "getegid", "getuid32", "geteuid32", "getgid32", "getegid32",
    "getresuid", "getresgid", "uname", "sysinfo", "getrlimit", "ugetrlimit", "prlimit64",
};

// What the ASan/LSan runtime needs: LeakSanitizer stops the world at exit with a ptrace'd
// clone (not a thread) and waits for it; the allocator asks for its limits and reads
// /proc/self/maps. Only in sanitizer builds, which never ship.
constexpr const char* kSanitizer[] = {
    "clone", "ptrace", "wait4", "waitpid", "prctl", "getppid", "kill", "tkill", "tgkill",
    "ioctl", "setrlimit", "mincore", "process_vm_readv", "sched_getparam", "sched_setaffinity",
    "getdents", "pipe", "arch_prctl", "rt_sigtimedwait", "rt_sigsuspend", "waitid",
};
// clang-format on

struct CtxDeleter {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxDeleter>;

// libseccomp returns -errno: translated here, once, keeping the code.
Status SeccompStatus(std::string_view what, int rc) {
  const int err = -rc;
  std::string msg =
      "seccomp " + std::string(what) + ": " + std::strerror(err) + " (" + std::to_string(rc) + ")";
  if (err == EINVAL || err == ENOSYS || err == EOPNOTSUPP) {
    return Status(StatusCode::kUnimplemented,
                  msg + "; this kernel (or qemu-user) cannot load seccomp filters");
  }
  if (err == EACCES || err == EPERM) {
    return PermissionDenied(msg + "; set no_new_privs first (hardening::SetNoNewPrivs)");
  }
  return Internal(std::move(msg));
}

// Native syscall number, or -1 when the name does not exist on this architecture.
int Resolve(const char* name) {
  const int nr = seccomp_syscall_resolve_name(name);
  return nr == __NR_SCMP_ERROR || nr < 0 ? -1 : nr;
}

Status Allow(scmp_filter_ctx ctx, const char* name, bool must_exist) {
  const int nr = Resolve(name);
  if (nr < 0) {
    if (must_exist) return InvalidArgument(std::string("unknown syscall name '") + name + "'");
    return Status::Ok();
  }
  const int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
  if (rc != 0) return SeccompStatus(std::string("allowing ") + name, rc);
  return Status::Ok();
}

Status AllowWithArg(scmp_filter_ctx ctx, const char* name, scmp_arg_cmp cmp) {
  const int nr = Resolve(name);
  if (nr < 0) return Status::Ok();
  const int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, cmp);
  if (rc != 0) return SeccompStatus(std::string("allowing ") + name, rc);
  return Status::Ok();
}

// Syscalls allowed only with some arguments: the attack each restriction stops is named.
Status AddConditionalRules(scmp_filter_ctx ctx, bool sanitizer) {
  // socket: the families the terminal uses. No AF_PACKET (raw sniffing), no AF_ALG...
  for (int family : {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK}) {
    CARNET_TRY(
        AllowWithArg(ctx, "socket", SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(family))));
  }
  if (!sanitizer) {
    // clone: threads only (CLONE_THREAD set). A new process could exec nothing (execve is not
    // allowed) but fork-bombing or a ptrace'able child is still worth closing.
    CARNET_TRY(AllowWithArg(ctx, "clone", SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)));
    // signals to this process only (abort(), raise()): never to another process of our uid.
    CARNET_TRY(
        AllowWithArg(ctx, "tgkill", SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(getpid()))));
    // ioctl: terminal queries of stdio (isatty) and the byte count of a socket; nothing that
    // talks to a device driver.
    for (unsigned long request :
         {static_cast<unsigned long>(TCGETS), static_cast<unsigned long>(FIONREAD),
          static_cast<unsigned long>(FIONBIO)}) {
      CARNET_TRY(AllowWithArg(ctx, "ioctl", SCMP_A1(SCMP_CMP_EQ, request)));
    }
    // prctl: reading our own hardening state (status screen); never PR_SET_DUMPABLE back on.
    for (int option : {PR_GET_DUMPABLE, PR_GET_NO_NEW_PRIVS, PR_GET_SECCOMP}) {
      CARNET_TRY(
          AllowWithArg(ctx, "prctl", SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(option))));
    }
  }
  // clone3 takes its flags through a pointer, which seccomp cannot read: ENOSYS makes glibc
  // fall back to clone, where the flags are checked above.
  const int clone3 = Resolve("clone3");
  if (clone3 >= 0) {
    const int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), clone3, 0);
    if (rc != 0) return SeccompStatus("clone3 rule", rc);
  }
  return Status::Ok();
}

Result<Ctx> Build(const SeccompOptions& options) {
  const uint32_t def = options.default_action == SeccompDefault::kKillProcess
                           ? SCMP_ACT_KILL_PROCESS
                           : SCMP_ACT_ERRNO(EPERM);
  Ctx ctx(seccomp_init(def));
  if (!ctx) return Internal("seccomp_init failed (out of memory?)");
  // Log every denied syscall (kernel audit, type=1326, with the syscall number).
  int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_LOG, 1);
  if (rc != 0 && rc != -EOPNOTSUPP) return SeccompStatus("log attribute", rc);
  // Every thread of the process, not only the caller: threads started during initialisation
  // (the card watchdog, pcsc-lite's) must not stay unfiltered.
  rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_TSYNC, 1);
  if (rc != 0) return SeccompStatus("thread synchronisation attribute", rc);
  for (const std::string& name : AllowedSyscalls(options)) {
    CARNET_TRY(Allow(ctx.get(), name.c_str(), false));
  }
  for (const std::string& name : options.extra_allowed) {
    CARNET_TRY(Allow(ctx.get(), name.c_str(), true));
  }
  CARNET_TRY(AddConditionalRules(ctx.get(), options.sanitizer_runtime));
  return ctx;
}

}  // namespace

std::vector<std::string> AllowedSyscalls(const SeccompOptions& options) {
  std::vector<std::string> names(std::begin(kPlain), std::end(kPlain));
  if (options.sanitizer_runtime)
    names.insert(names.end(), std::begin(kSanitizer), std::end(kSanitizer));
  return names;
}

Status InstallSeccompFilter(const SeccompOptions& options) {
  CARNET_ASSIGN_OR_RETURN(Ctx ctx, Build(options));
  const int rc = seccomp_load(ctx.get());
  if (rc != 0) return SeccompStatus("load", rc);
  return Status::Ok();
}

bool SeccompAvailable() {
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    // Child: an allow-everything filter is enough to know whether the kernel takes one.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(1);
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == nullptr) _exit(1);
    const int rc = seccomp_load(ctx);
    _exit(rc == 0 ? 0 : 1);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return false;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace carnet::fw::hardening
