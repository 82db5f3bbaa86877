// The real SQLite outbox and key store under the production filter (kill on any syscall off
// the list): what the terminal does after start-up, with the libraries it really uses. A
// missing syscall shows up as "child killed by signal 31" (SIGSYS).
#include <CppUTest/TestHarness.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "firmware/hardening/hardening_test_util.h"
#include "firmware/hardening/seccomp_filter.h"
#include "firmware/outbox/outbox.h"
#include "hal/keystore/key_store.h"

namespace carnet::fw::hardening {
namespace {

Bytes Id(uint8_t n) { return Bytes(16, n); }

int OutboxWork(const std::string& dir) {
  auto store = hal::keystore::DirectoryKeyStore::Open(dir + "/keys", {.create_if_missing = true});
  if (!store.ok()) return 20;
  auto key = outbox::LoadOrCreateOutboxKey(**store, SystemRandom::Instance());
  if (!key.ok()) return 21;
  auto box = outbox::Outbox::Open(dir + "/outbox.db", *key);  // start-up: before the filter
  if (!box.ok()) return 22;
  if (!InstallSeccompFilter(SeccompOptions{}).ok()) return 23;
  for (uint8_t n = 1; n <= 3; ++n) {
    if (!(*box)->Enqueue(Id(n), Bytes(100, n), "read").ok()) return 24;
  }
  auto listed = (*box)->List();
  if (!listed.ok() || listed->size() != 3) return 25;
  auto flushed = (*box)->Flush([](ByteView, ByteView) -> Result<outbox::NodeAnswer> {
    return outbox::NodeAnswer{201, ""};
  });
  if (!flushed.ok() || flushed->remaining != 0) return 26;
  box->reset();
  // A second open under the filter: the outbox reopened after a failure, journal and WAL
  // files created and removed.
  auto again = outbox::Outbox::Open(dir + "/outbox.db", *key);
  if (!again.ok()) return 27;
  auto delivered = (*again)->Delivered(10);
  if (!delivered.ok() || delivered->size() != 3) return 28;
  if (!(*store)->Get(outbox::kOutboxKeyName).ok()) return 29;  // key store read
  return 0;
}

}  // namespace

TEST_GROUP(SeccompOutbox){};

TEST(SeccompOutbox, SqliteOutboxAndKeyStoreRunUnderTheProductionFilter) {
  char tmpl[] = "/tmp/carnet-seccomp-outbox-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  CHECK(dir != nullptr);
  const std::string d(dir);
  auto r = testing::RunInChild([&d] {
    const int rc = OutboxWork(d);
    std::fflush(nullptr);
    std::exit(rc);  // exit-time work (and LeakSanitizer) under the filter too
    return rc;
  });
  const std::string cleanup = "rm -rf '" + d + "'";
  CHECK_EQUAL(0, std::system(cleanup.c_str()));
  CHECK_TEXT(r.exited && r.exit_code == 0, r.Describe().c_str());
}

}  // namespace carnet::fw::hardening
