#include "node/store/group_commit.h"

#include <CppUTest/TestHarness.h>

#include <atomic>
#include <thread>
#include <vector>

#include "node/store/sqlite_db.h"
#include "node/store/sqlite_store.h"
#include "node/store/store_test_util.h"

namespace carnet::node::store {
namespace {

int64_t Count(Db& db, const char* sql) {
  auto select = db.Prepare(sql);
  CHECK_TRUE(select.ok());
  CHECK_TRUE(*select->Step());
  return select->ColumnInt(0);
}

GroupCommitWriter::WriteFn Insert(int value) {
  return
      [value](Db& db) { return db.Exec("INSERT INTO t VALUES (" + std::to_string(value) + ")"); };
}

}  // namespace

TEST_GROUP(GroupCommit) {
  testing::TempDir dir;
  std::unique_ptr<Db> db;
  void setup() override {
    auto opened = Db::Open(dir.File("g.db"), Db::Options{});
    CHECK_TRUE(opened.ok());
    db = std::move(*opened);
    CHECK_TRUE(db->Exec("CREATE TABLE t (x INTEGER PRIMARY KEY)").ok());
  }
};

TEST(GroupCommit, QueuedWritesShareOneTransaction) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<std::future<Status>> results;
  {
    GroupCommitWriter writer(*db);
    // The first write holds the writer thread until everything else is queued.
    results.push_back(writer.Submit([released](Db& d) {
      released.wait();
      return d.Exec("INSERT INTO t VALUES (0)");
    }));
    for (int i = 1; i <= 20; ++i) results.push_back(writer.Submit(Insert(i)));
    release.set_value();
    for (auto& r : results) CHECK_TRUE(r.get().ok());
    auto stats = writer.stats();
    LONGS_EQUAL(21, stats.writes);
    CHECK_TRUE(stats.transactions <= 2);  // the blocked one, then the 20 queued behind it
  }
  LONGS_EQUAL(21, Count(*db, "SELECT COUNT(*) FROM t"));
}

TEST(GroupCommit, AFailingWriteIsRolledBackAloneInItsBatch) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  GroupCommitWriter writer(*db);
  auto blocker = writer.Submit([released](Db& d) {
    released.wait();
    return d.Exec("INSERT INTO t VALUES (1)");
  });
  auto ok = writer.Submit(Insert(2));
  auto failing = writer.Submit([](Db& d) -> Status {
    CARNET_TRY(d.Exec("INSERT INTO t VALUES (3)"));  // undone by the savepoint rollback
    return d.Exec("INSERT INTO t VALUES (2)");       // duplicate key
  });
  auto refused = writer.Submit([](Db&) { return PermissionDenied("policy said no"); });
  auto after = writer.Submit(Insert(4));
  release.set_value();
  CHECK_TRUE(blocker.get().ok());
  CHECK_TRUE(ok.get().ok());
  CHECK_TRUE(failing.get().code() == StatusCode::kAlreadyExists);
  CHECK_TRUE(refused.get().code() == StatusCode::kPermissionDenied);
  CHECK_TRUE(after.get().ok());
  LONGS_EQUAL(3, Count(*db, "SELECT COUNT(*) FROM t"));
  LONGS_EQUAL(0, Count(*db, "SELECT COUNT(*) FROM t WHERE x = 3"));
}

TEST(GroupCommit, ConcurrentStoreWritersAllLand) {
  auto store = SqliteStore::Open(dir.File("s.db"));
  CHECK_TRUE(store.ok());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = "req-" + std::to_string(t) + "-" + std::to_string(i);
        if (!(*store)->PutRequest({id, "term", Bytes(32, 1), Bytes(), 0}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  LONGS_EQUAL(0, failures.load());
  auto stats = (*store)->WriterStats();
  LONGS_EQUAL(kThreads * kPerThread, stats.writes);
  CHECK_TRUE((*(*store)->FindRequest("req-3-24", "term")).has_value());
}

}  // namespace carnet::node::store
