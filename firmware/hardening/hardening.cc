// Process hardening: core dumps, no_new_privs, dropping root. Order and reasons: README.md.
#include "firmware/hardening/hardening.h"

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace carnet::fw::hardening {
namespace {

// errno -> Status in one place, with the number and text kept.
Status ErrnoStatus(std::string_view what, int err) {
  std::string msg =
      std::string(what) + ": " + std::strerror(err) + " (errno " + std::to_string(err) + ")";
  if (err == EPERM || err == EACCES) return PermissionDenied(std::move(msg));
  return Internal(std::move(msg));
}

bool AnyIdRoot() {
  uid_t ruid = 0, euid = 0, suid = 0;
  gid_t rgid = 0, egid = 0, sgid = 0;
  if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0) return true;
  return ruid == 0 || euid == 0 || suid == 0 || rgid == 0 || egid == 0 || sgid == 0;
}

bool AnyUidRoot() {
  uid_t ruid = 0, euid = 0, suid = 0;
  if (getresuid(&ruid, &euid, &suid) != 0) return true;
  return ruid == 0 || euid == 0 || suid == 0;
}

struct Account {
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<Account> LookUp(const std::string& user) {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(size > 0 ? static_cast<size_t>(size) : 16384);
  passwd pw{};
  passwd* found = nullptr;
  const int rc = getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found);
  if (rc != 0) return ErrnoStatus("looking up account '" + user + "'", rc);
  if (found == nullptr) {
    return NotFound("account '" + user +
                    "' does not exist: create it (useradd --system --no-create-home " + user +
                    ") or name another unprivileged account (CARNET_TERMINAL_USER)");
  }
  if (pw.pw_uid == 0 || pw.pw_gid == 0) {
    return InvalidArgument("account '" + user + "' has uid or gid 0: it would keep root");
  }
  return Account{pw.pw_uid, pw.pw_gid};
}

// After the switch, uid 0 must be out of reach for good. setresuid(2) keeps the saved uid, so
// a forgotten saved uid 0 would let any code in this process become root again: check it.
Status VerifyNoWayBack() {
  if (AnyIdRoot()) return Internal("still holding uid or gid 0 after dropping privileges");
  if (setuid(0) == 0 || seteuid(0) == 0 ||
      setresuid(static_cast<uid_t>(-1), 0, static_cast<uid_t>(-1)) == 0) {
    return Internal("uid 0 could be regained after dropping privileges");
  }
  if (setgid(0) == 0 || setegid(0) == 0) {
    return Internal("gid 0 could be regained after dropping privileges");
  }
  return Status::Ok();
}

}  // namespace

Status DisableCoreDumps() {
  const rlimit zero{0, 0};
  if (setrlimit(RLIMIT_CORE, &zero) != 0) return ErrnoStatus("setrlimit(RLIMIT_CORE, 0)", errno);
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    return ErrnoStatus("prctl(PR_SET_DUMPABLE, 0)", errno);
  return Status::Ok();
}

Status SetNoNewPrivs() {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return ErrnoStatus("prctl(PR_SET_NO_NEW_PRIVS, 1)", errno);
  }
  return Status::Ok();
}

Status DropPrivileges(const std::string& user) {
  if (!AnyUidRoot()) return Status::Ok();
  CARNET_ASSIGN_OR_RETURN(Account account, LookUp(user));
  // Groups first, while we still may: supplementary groups (root's, e.g. disk) would otherwise
  // stay with the process after the uid changes.
  if (setgroups(1, &account.gid) != 0) return ErrnoStatus("setgroups", errno);
  if (setresgid(account.gid, account.gid, account.gid) != 0) return ErrnoStatus("setresgid", errno);
  if (setresuid(account.uid, account.uid, account.uid) != 0) return ErrnoStatus("setresuid", errno);
  return VerifyNoWayBack();
}

Status HardenProcess(const ProcessOptions& options) {
  CARNET_TRY(DisableCoreDumps());
  CARNET_TRY(SetNoNewPrivs());
  if (AnyUidRoot()) {
    if (options.allow_root) {
      std::fputs(
          "carnet-terminal: warning: running as root (CARNET_TERMINAL_ALLOW_ROOT): "
          "development only\n",
          stderr);
      return Status::Ok();
    }
    if (!options.drop_privileges) {
      return PermissionDenied("refusing to run as root: start carnet-terminal as its own account");
    }
    CARNET_TRY(DropPrivileges(options.run_as_user));
    // A uid change resets the dumpable flag to fs.suid_dumpable: set it again.
    CARNET_TRY(DisableCoreDumps());
  }
  return Status::Ok();
}

ProcessOptions ProcessOptionsFromEnvironment() {
  ProcessOptions options;
  if (const char* user = std::getenv("CARNET_TERMINAL_USER"); user != nullptr && *user != '\0') {
    options.run_as_user = user;
  }
  const char* allow = std::getenv("CARNET_TERMINAL_ALLOW_ROOT");
  options.allow_root = allow != nullptr && std::string_view(allow) == "1";
  return options;
}

Result<ProcessState> CurrentProcessState() {
  ProcessState state;
  const int dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
  if (dumpable < 0) return ErrnoStatus("prctl(PR_GET_DUMPABLE)", errno);
  state.dumpable = dumpable != 0;
  const int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  if (nnp < 0) return ErrnoStatus("prctl(PR_GET_NO_NEW_PRIVS)", errno);
  state.no_new_privs = nnp != 0;
  rlimit core{};
  if (getrlimit(RLIMIT_CORE, &core) != 0) return ErrnoStatus("getrlimit(RLIMIT_CORE)", errno);
  state.core_limit_zero = core.rlim_cur == 0 && core.rlim_max == 0;
  state.any_id_root = AnyIdRoot();
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Seccomp:", 0) == 0) {
      state.seccomp_mode = std::atoi(line.c_str() + 8);
      break;
    }
  }
  return state;
}

}  // namespace carnet::fw::hardening
