// Dropping root, for real: only as root (main exits 77 otherwise). Each test in a forked child.
#include <CppUTest/TestHarness.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include "firmware/hardening/hardening.h"
#include "firmware/hardening/hardening_test_util.h"

namespace carnet::fw::hardening {

TEST_GROUP(PrivDrop){};

TEST(PrivDrop, HardenProcessSwitchesToTheAccountForGood) {
  CHECK_CHILD_EXITS_0([] {
    const passwd* nobody = getpwnam("nobody");
    if (nobody == nullptr) return 10;
    const uid_t want_uid = nobody->pw_uid;
    const gid_t want_gid = nobody->pw_gid;
    ProcessOptions options;
    options.run_as_user = "nobody";
    if (!HardenProcess(options).ok()) return 11;
    uid_t r = 0, e = 0, s = 0;
    gid_t rg = 0, eg = 0, sg = 0;
    getresuid(&r, &e, &s);
    getresgid(&rg, &eg, &sg);
    if (r != want_uid || e != want_uid || s != want_uid) return 12;
    if (rg != want_gid || eg != want_gid || sg != want_gid) return 13;
    gid_t groups[8];
    const int n = getgroups(8, groups);
    if (n != 1 || groups[0] != want_gid) return 14;  // root's supplementary groups are gone
    if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0) return 15;
    auto state = CurrentProcessState();
    // The uid change reset the dumpable flag; HardenProcess set it off again.
    if (!state.ok() || state->dumpable || !state->no_new_privs || state->any_id_root) return 16;
    return 0;
  });
}

TEST(PrivDrop, AnAccountWithUidZeroIsRefused) {
  CHECK_CHILD_EXITS_0([] {
    const Status s = DropPrivileges("root");
    if (s.code() != StatusCode::kInvalidArgument) return 10;
    return getuid() == 0 ? 0 : 11;
  });
}

}  // namespace carnet::fw::hardening
