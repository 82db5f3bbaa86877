#include "node/trace/trace_log.h"

#include <CppUTest/TestHarness.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <vector>

#include "crypto/core/random.h"
#include "crypto/merkle/verify.h"
#include "node/store/store_test_util.h"
#include "node/trace/trace_test_util.h"

namespace carnet::node::trace {
namespace {

using crypto::merkle::Hash;
constexpr std::string_view kIns = "1840275123456";

store::DocumentRecord Document(std::string id, std::string ins = std::string(kIns)) {
  return {std::move(id), std::move(ins), 1, "11488-4", "810001234567", "", "active",
          1000,          Bytes(60, 0x22)};
}

}  // namespace

TEST_GROUP(TraceLog) {
  store::testing::TempDir dir;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<TraceLog> log;

  void setup() override {
    Reopen();
    store::PatientRecord p{std::string(kIns), Bytes(40, 1), store::PatientState::kActive, {}};
    CHECK_TRUE(store->PutPatient(p).ok());
  }
  void Reopen() {
    log.reset();
    store.reset();
    auto opened = store::SqliteStore::Open(dir.File("node.db"));
    CHECK_TRUE_TEXT(opened.ok(), opened.status().ToString().c_str());
    store = std::move(*opened);
    auto trace = TraceLog::Open(*store);
    CHECK_TRUE_TEXT(trace.ok(), trace.status().ToString().c_str());
    log = std::move(*trace);
  }
  uint64_t AppendOne(int n) {
    uint64_t index = 0;
    Status s = store->Transact([&](store::Transaction& txn) -> Status {
      CARNET_ASSIGN_OR_RETURN(index, log->Append(txn, testing::SampleEntry(n)));
      return Status::Ok();
    });
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    return index;
  }
  std::vector<Bytes> Export() {
    std::vector<Bytes> entries;
    Status s = log->ForEachEntry(0, UINT64_MAX >> 1, [&](uint64_t index, ByteView entry) {
      if (index != entries.size()) return Internal("out of order");
      entries.emplace_back(entry.begin(), entry.end());
      return Status::Ok();
    });
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    return entries;
  }
};

TEST(TraceLog, AppendsGetConsecutiveIndexesAndReadBack) {
  LONGS_EQUAL(0, static_cast<long>(*log->Size()));
  for (int i = 0; i < 5; ++i) LONGS_EQUAL(i, static_cast<long>(AppendOne(i)));
  LONGS_EQUAL(5, static_cast<long>(*log->Size()));
  auto entry = log->Entry(3);
  CHECK_TRUE(entry.ok());
  CHECK_TRUE(*DecodeEntry(*entry) == testing::SampleEntry(3));
  CHECK_TRUE(log->Entry(5).status().code() == StatusCode::kNotFound);
  LONGS_EQUAL(5, static_cast<long>(Export().size()));
}

TEST(TraceLog, AFailedClosureLeavesTheLogUnchanged) {
  AppendOne(0);
  Hash root = *log->Root(1);
  Status s = store->Transact([&](store::Transaction& txn) -> Status {
    CARNET_TRY(log->Append(txn, testing::SampleEntry(1)).status());
    CARNET_TRY(log->Append(txn, testing::SampleEntry(2)).status());
    return Aborted("the change failed after the entries were appended");
  });
  CHECK_TRUE(s.code() == StatusCode::kAborted);
  LONGS_EQUAL(1, static_cast<long>(*log->Size()));
  CHECK_TRUE(*log->Root(1) == root);
  LONGS_EQUAL(1, static_cast<long>(AppendOne(3)));  // the index is reused: no gap
  CHECK_TRUE(*DecodeEntry(*log->Entry(1)) == testing::SampleEntry(3));
}

TEST(TraceLog, AnInvalidEntryIsRefusedAndRollsBackTheChange) {
  TraceEntry bad = testing::SampleEntry();
  bad.action.clear();
  Status s = store->Transact([&](store::Transaction& txn) -> Status {
    CARNET_TRY(txn.PutDocument(Document("doc-1")));
    return log->Append(txn, bad).status();
  });
  CHECK_TRUE(s.code() == StatusCode::kInvalidArgument);
  CHECK_TRUE(store->GetDocument("doc-1", 1).status().code() == StatusCode::kNotFound);
}

TEST(TraceLog, TheChangeAndItsEntryAreBothPresentOrBothAbsent) {
  // Both present.
  Status s = store->Transact([&](store::Transaction& txn) -> Status {
    CARNET_TRY(txn.PutDocument(Document("doc-1")));
    return log->Append(txn, testing::SampleEntry(1)).status();
  });
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(store->GetDocument("doc-1", 1).ok());
  LONGS_EQUAL(1, static_cast<long>(*log->Size()));
  // Both absent: the entry is appended first, the change then fails (unknown patient).
  s = store->Transact([&](store::Transaction& txn) -> Status {
    CARNET_TRY(log->Append(txn, testing::SampleEntry(2)).status());
    return txn.PutDocument(Document("doc-2", "0000000000000"));
  });
  CHECK_TRUE(s.code() == StatusCode::kFailedPrecondition);
  CHECK_TRUE(store->GetDocument("doc-2", 1).status().code() == StatusCode::kNotFound);
  LONGS_EQUAL(1, static_cast<long>(*log->Size()));
}

TEST(TraceLog, ConcurrentGroupsWithFailuresLeaveNoGaps) {
  std::atomic<int> committed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const bool fail = (t + i) % 3 == 0;
        Status s = store->Transact([&](store::Transaction& txn) -> Status {
          CARNET_TRY(log->Append(txn, testing::SampleEntry(t * 100 + i)).status());
          return fail ? Aborted("fails") : Status::Ok();
        });
        if (s.ok()) committed.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK_TRUE(committed.load() > 0);
  LONGS_EQUAL(committed.load(), static_cast<long>(*log->Size()));
  LONGS_EQUAL(committed.load(), static_cast<long>(Export().size()));  // indexes 0..n-1
}

TEST(TraceLog, ProofsVerifyWithTheMerkleVerifiers) {
  constexpr int kCount = 13;
  std::vector<Hash> leaves;
  for (int i = 0; i < kCount; ++i) {
    AppendOne(i);
    leaves.push_back(crypto::merkle::LeafHash(*EncodeEntry(testing::SampleEntry(i))));
  }
  for (uint64_t size = 1; size <= kCount; ++size) {
    auto root = log->Root(size);
    CHECK_TRUE(root.ok());
    CHECK_TRUE(*root == crypto::merkle::Root(std::span<const Hash>(leaves).first(size)));
    for (uint64_t index = 0; index < size; ++index) {
      auto proof = log->InclusionProof(index, size);
      CHECK_TRUE(proof.ok());
      CHECK_TRUE(crypto::merkle::VerifyInclusion(index, size, leaves[index], *proof, *root).ok());
    }
    for (uint64_t old_size = 1; old_size <= size; ++old_size) {
      auto proof = log->ConsistencyProof(old_size, size);
      CHECK_TRUE(proof.ok());
      CHECK_TRUE(
          crypto::merkle::VerifyConsistency(old_size, size, *log->Root(old_size), *root, *proof)
              .ok());
    }
  }
  CHECK_TRUE(log->Root(kCount + 1).status().code() == StatusCode::kOutOfRange);
  CHECK_TRUE(log->InclusionProof(0, kCount + 1).status().code() == StatusCode::kOutOfRange);
  CHECK_TRUE(log->ConsistencyProof(1, kCount + 1).status().code() == StatusCode::kOutOfRange);
  CHECK_TRUE(log->InclusionProof(kCount, kCount).status().code() == StatusCode::kInvalidArgument);
}

TEST(TraceLog, SignedHeadCoversTheExportedLog) {
  for (int i = 0; i < 6; ++i) AppendOne(i);
  Random& rng = crypto::Drbg::ForThread();
  auto key = crypto::PrivateKey::GenerateEcP256(rng);
  auto head = log->SignHead(*key, 1'780'000'000'000, rng);
  CHECK_TRUE_TEXT(head.ok(), head.status().ToString().c_str());
  LONGS_EQUAL(6, static_cast<long>(head->tree_size));
  CHECK_TRUE(head->root == *log->Root(6));
  Status s = VerifyLog(Export(), *head, key->public_key());
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
}

TEST(TraceLog, ReopeningRebuildsTheSameRoot) {
  for (int i = 0; i < 9; ++i) AppendOne(i);
  Hash root = *log->Root(9);
  Reopen();
  LONGS_EQUAL(9, static_cast<long>(*log->Size()));
  CHECK_TRUE(*log->Root(9) == root);
  LONGS_EQUAL(9, static_cast<long>(AppendOne(9)));
}

TEST(TraceLog, ARowEditedBehindTheLogIsDataLoss) {
  for (int i = 0; i < 3; ++i) AppendOne(i);
  log.reset();
  store.reset();
  {
    auto db = store::Db::Open(dir.File("node.db"), store::Db::Options{});
    CHECK_TRUE(db.ok());
    auto update = (*db)->Prepare("UPDATE trace_leaves SET entry = ? WHERE idx = 1");
    CHECK_TRUE(update->BindBlob(1, *EncodeEntry(testing::SampleEntry(7))).ok());
    CHECK_TRUE(update->Run().ok());
  }
  auto opened = store::SqliteStore::Open(dir.File("node.db"));
  CHECK_TRUE(opened.ok());
  store = std::move(*opened);
  CHECK_TRUE(TraceLog::Open(*store).status().code() == StatusCode::kDataLoss);
}

TEST(TraceLog, AGapInIndexesIsDataLoss) {
  for (int i = 0; i < 3; ++i) AppendOne(i);
  log.reset();
  store.reset();
  {
    auto db = store::Db::Open(dir.File("node.db"), store::Db::Options{});
    CHECK_TRUE((*db)->Exec("DELETE FROM trace_leaves WHERE idx = 1").ok());
  }
  store = std::move(*store::SqliteStore::Open(dir.File("node.db")));
  CHECK_TRUE(TraceLog::Open(*store).status().code() == StatusCode::kDataLoss);
}

// Not a benchmark: prints appends/s through the group-commit writer when CARNET_MEASURE is set
// (figure recorded in README.md), next to a baseline of bare request-id writes measured the
// same way at the same moment (the disk is shared). Never asserts on time.
static double Rate(int threads,
                   int total,
                   const std::function<Status(store::Transaction&, int)>& write,
                   store::SqliteStore& store) {
  const int per_thread = total / threads;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        store.Transact([&](store::Transaction& txn) { return write(txn, t * 100000 + i); })
            .IgnoreError();
      }
    });
  }
  for (auto& w : workers) w.join();
  std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  return threads * per_thread / seconds.count();
}

TEST(TraceLog, MeasureAppendsPerSecond) {
  if (std::getenv("CARNET_MEASURE") == nullptr) return;
  auto append = [&](store::Transaction& txn, int n) {
    return log->Append(txn, testing::SampleEntry(n)).status();
  };
  auto request = [](store::Transaction& txn, int n) {
    return txn.PutRequest({"m-" + std::to_string(n), "T-1", Bytes(32, 1), Bytes(160, 2), 1});
  };
  for (int threads : {1, 8, 32}) {
    const int total = threads == 1 ? 400 : 1600;
    auto before = store->WriterStats().transactions;
    double appends = Rate(threads, total, append, *store);
    auto append_txns = store->WriterStats().transactions - before;
    double requests = Rate(threads, total, request, *store);
    std::printf("\n%2d threads: %.0f trace appends/s (%llu transactions), %.0f request writes/s",
                threads, appends, static_cast<unsigned long long>(append_txns), requests);
  }
}

}  // namespace carnet::node::trace
