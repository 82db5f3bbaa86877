#include "firmware/outbox/outbox.h"

#include <CppUTest/TestHarness.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "firmware/outbox/sqlite.h"
#include "hal/keystore/fake_key_store.h"

namespace carnet::fw::outbox {
namespace {

Bytes Id(uint8_t n) {
  Bytes id(kRequestIdSize, 0xA0);
  id[15] = n;
  return id;
}

Bytes Cose(uint8_t n) { return ToBytes("COSE-SIGN1-PLAINTEXT-MARKER-" + std::to_string(n)); }

crypto::SecretBytes Key(uint8_t fill) {
  crypto::SecretBytes k(32);
  for (auto& b : k.mutable_view()) b = fill;
  return k;
}

int Code(const Status& s) { return static_cast<int>(s.code()); }

// Records what "the node" received and answers with a scripted status.
struct FakeNode {
  std::vector<Bytes> received;
  std::vector<int> statuses;  // per call; 200 when exhausted
  Status down;                // when not OK, every send fails with it
  SendFn Fn() {
    return [this](ByteView id, ByteView cose) -> Result<NodeAnswer> {
      if (!down.ok()) return down;
      received.emplace_back(id.begin(), id.end());
      (void)cose;
      size_t i = received.size() - 1;
      int status = i < statuses.size() ? statuses[i] : 200;
      return NodeAnswer{status, status == 200 ? "" : "refused by rule X"};
    };
  }
};

}  // namespace

TEST_GROUP(Outbox) {
  std::string dir;
  std::string path;
  FakeClock clock{1700000000000};
  void setup() override {
    char tmpl[] = "/tmp/carnet-outbox-XXXXXX";
    dir = mkdtemp(tmpl);
    path = dir + "/outbox.db";
  }
  void teardown() override { std::filesystem::remove_all(dir); }
  std::unique_ptr<Outbox> OpenBox(uint8_t key = 7) {
    auto box = Outbox::Open(path, Key(key), clock);
    CHECK_TRUE_TEXT(box.ok(), box.status().ToString().c_str());
    return std::move(box).value();
  }
  void Put(Outbox & box, uint8_t n) {
    auto r = box.Enqueue(Id(n), Cose(n), "deposit " + std::to_string(n));
    CHECK_TRUE_TEXT(r.ok(), r.status().ToString().c_str());
    LONGS_EQUAL(static_cast<int>(EnqueueOutcome::kQueued), static_cast<int>(*r));
  }
  // Flips one byte of a sealed column of the item `seq`, through SQLite itself.
  void Exec(const std::string& sql) {
    auto db = Db::Open(path);
    CHECK_TRUE(db.ok());
    Status s = (*db)->Exec(sql);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }
};

TEST(Outbox, FlushSendsInOrderAndEmptiesTheQueue) {
  auto box = OpenBox();
  for (uint8_t n = 1; n <= 5; ++n) Put(*box, n);
  LONGS_EQUAL(5, *box->Size());
  FakeNode node;
  auto report = box->Flush(node.Fn());
  CHECK_TRUE(report.ok());
  CHECK_TRUE(report->stopped.ok());
  LONGS_EQUAL(5, node.received.size());
  for (uint8_t n = 1; n <= 5; ++n) CHECK_TRUE(node.received[n - 1] == Id(n));
  LONGS_EQUAL(0, report->remaining);
  LONGS_EQUAL(5, box->Delivered(100)->size());
}

TEST(Outbox, ContentReachesTheSenderIntact) {
  auto box = OpenBox();
  Put(*box, 1);
  Bytes got;
  auto report = box->Flush([&](ByteView, ByteView cose) -> Result<NodeAnswer> {
    got.assign(cose.begin(), cose.end());
    return NodeAnswer{201, ""};
  });
  CHECK_TRUE(report.ok());
  CHECK_TRUE(got == Cose(1));
}

TEST(Outbox, EnqueueIsIdempotentPerRequestId) {
  auto box = OpenBox();
  Put(*box, 1);
  LONGS_EQUAL(static_cast<int>(EnqueueOutcome::kAlreadyQueued),
              static_cast<int>(*box->Enqueue(Id(1), Cose(1), "again")));
  LONGS_EQUAL(1, *box->Size());
  // Same id, other content: a caller bug the node would refuse; refused here first.
  LONGS_EQUAL(Code(AlreadyExists("")), Code(box->Enqueue(Id(1), Cose(2), "x").status()));
  FakeNode node;
  CHECK_TRUE(box->Flush(node.Fn()).ok());
  LONGS_EQUAL(static_cast<int>(EnqueueOutcome::kAlreadyDelivered),
              static_cast<int>(*box->Enqueue(Id(1), Cose(1), "late retry")));
  LONGS_EQUAL(0, *box->Size());
}

TEST(Outbox, TransportFailureStopsAndKeepsOrder) {
  auto box = OpenBox();
  for (uint8_t n = 1; n <= 3; ++n) Put(*box, n);
  FakeNode node;
  node.down = Unavailable("node unreachable");
  auto report = box->Flush(node.Fn());
  CHECK_TRUE(report.ok());
  LONGS_EQUAL(Code(Unavailable("")), Code(report->stopped));
  LONGS_EQUAL(3, report->remaining);
  auto items = box->List();
  LONGS_EQUAL(1, (*items)[0].attempts);
  CHECK_TRUE((*items)[0].last_error.find("node unreachable") != std::string::npos);
  LONGS_EQUAL(0, (*items)[1].attempts);  // never tried: Flush stopped at the first
  node.down = Status::Ok();
  CHECK_TRUE(box->Flush(node.Fn()).ok());
  LONGS_EQUAL(3, node.received.size());
  CHECK_TRUE(node.received[0] == Id(1));
  CHECK_TRUE(node.received[2] == Id(3));
}

TEST(Outbox, TransientAnswersKeepTheItem) {
  for (int status : {503, 429, 408, 302}) {
    auto box = OpenBox();
    Put(*box, static_cast<uint8_t>(status % 256));
    FakeNode node;
    node.statuses = {status};
    auto report = box->Flush(node.Fn());
    CHECK_TRUE(report.ok());
    LONGS_EQUAL(Code(Unavailable("")), Code(report->stopped));
    LONGS_EQUAL(1, report->remaining);
    box.reset();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directory(dir);
  }
}

TEST(Outbox, DefinitiveRefusalIsLoggedAndRemoved) {
  auto box = OpenBox();
  Put(*box, 1);
  Put(*box, 2);
  FakeNode node;
  node.statuses = {403, 200};
  auto report = box->Flush(node.Fn());
  CHECK_TRUE(report.ok());
  LONGS_EQUAL(2, report->answered.size());
  CHECK_TRUE(report->answered[0].refused);
  LONGS_EQUAL(403, report->answered[0].http_status);
  CHECK_FALSE(report->answered[1].refused);
  auto log = box->Delivered(10);
  LONGS_EQUAL(2, log->size());
  CHECK_TRUE((*log)[1].request_id == Id(1));  // newest first
  STRCMP_EQUAL("refused by rule X", (*log)[1].note.c_str());
  LONGS_EQUAL(1700000000000, (*log)[1].at);
}

TEST(Outbox, ListShowsMetadataNeverContent) {
  clock.Set(1700000001234);
  auto box = OpenBox();
  Put(*box, 9);
  auto items = box->List();
  CHECK_TRUE(items.ok());
  LONGS_EQUAL(1, items->size());
  const OutboxItem& item = (*items)[0];
  STRCMP_EQUAL("deposit 9", item.description.c_str());
  LONGS_EQUAL(1700000001234, item.created);
  CHECK_TRUE(item.request_id == Id(9));
  LONGS_EQUAL(0, item.attempts);
}

TEST(Outbox, FileIsPrivateAndHoldsNoPlaintext) {
  {
    auto box = OpenBox();
    Put(*box, 1);
  }
  struct stat st {};
  CHECK_EQUAL(0, stat(path.c_str(), &st));
  LONGS_EQUAL(0600, st.st_mode & 0777);
  std::string all;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  CHECK_TRUE(all.find("PLAINTEXT-MARKER") == std::string::npos);
  CHECK_TRUE(all.find("deposit 1") == std::string::npos);
}

TEST(Outbox, ReopenKeepsEverything) {
  {
    auto box = OpenBox();
    for (uint8_t n = 1; n <= 3; ++n) Put(*box, n);
  }
  auto box = OpenBox();
  LONGS_EQUAL(3, *box->Size());
  Put(*box, 4);
  FakeNode node;
  CHECK_TRUE(box->Flush(node.Fn()).ok());
  LONGS_EQUAL(4, node.received.size());
  CHECK_TRUE(node.received[3] == Id(4));
}

TEST(Outbox, WrongKeyIsAClearError) {
  { OpenBox(7); }
  auto box = Outbox::Open(path, Key(8), clock);
  LONGS_EQUAL(Code(DataLoss("")), Code(box.status()));
  CHECK_TRUE(box.status().message().find("outbox key does not open") != std::string::npos);
  LONGS_EQUAL(Code(InvalidArgument("")),
              Code(Outbox::Open(path, crypto::SecretBytes(16)).status()));
}

TEST(Outbox, TamperedRowIsRefusedAndNotSent) {
  {
    auto box = OpenBox();
    Put(*box, 1);
  }
  // Flip the last byte of the sealed content (inside the GCM tag).
  Exec(
      "UPDATE items SET content = substr(content, 1, length(content) - 1) || "
      "CAST(x'00' AS BLOB) WHERE seq = 1");
  auto box = OpenBox();
  FakeNode node;
  auto report = box->Flush(node.Fn());
  LONGS_EQUAL(Code(DataLoss("")), Code(report.status()));
  CHECK_TRUE(report.status().message().find("outbox item 1") != std::string::npos);
  LONGS_EQUAL(0, node.received.size());
}

TEST(Outbox, RowsCannotBeSwappedOrRelabelled) {
  {
    auto box = OpenBox();
    Put(*box, 1);
    Put(*box, 2);
  }
  // Give item 2's request id to item 1's ciphertext: the AAD no longer matches.
  Exec("DELETE FROM items WHERE seq = 2");
  Exec("UPDATE items SET request_id = x'" + HexEncode(Id(2)) + "' WHERE seq = 1");
  auto box = OpenBox();
  LONGS_EQUAL(Code(DataLoss("")), Code(box->List().status()));
}

TEST(Outbox, RejectsBadArguments) {
  auto box = OpenBox();
  LONGS_EQUAL(Code(InvalidArgument("")), Code(box->Enqueue(Bytes(15), Cose(1), "").status()));
  LONGS_EQUAL(Code(OutOfRange("")), Code(box->Enqueue(Id(1), Bytes(), "").status()));
  LONGS_EQUAL(Code(OutOfRange("")),
              Code(box->Enqueue(Id(1), Cose(1), std::string(1025, 'd')).status()));
}

TEST(Outbox, KeyComesFromTheKeyStoreAndIsStable) {
  hal::keystore::FakeKeyStore store;
  FakeRandom rng(3);
  auto k1 = LoadOrCreateOutboxKey(store, rng);
  CHECK_TRUE(k1.ok());
  LONGS_EQUAL(32, k1->size());
  auto k2 = LoadOrCreateOutboxKey(store, rng);
  CHECK_TRUE(k1->Equals(*k2));
  CHECK_TRUE(store.Replace(kOutboxKeyName, Bytes(5)).ok());
  LONGS_EQUAL(Code(DataLoss("")), Code(LoadOrCreateOutboxKey(store, rng).status()));
}

TEST(Outbox, ClassifiesAnswers) {
  LONGS_EQUAL(static_cast<int>(AnswerKind::kAccepted), static_cast<int>(ClassifyAnswer(200)));
  LONGS_EQUAL(static_cast<int>(AnswerKind::kAccepted), static_cast<int>(ClassifyAnswer(201)));
  for (int s : {400, 401, 403, 409, 413}) {
    LONGS_EQUAL(static_cast<int>(AnswerKind::kRefused), static_cast<int>(ClassifyAnswer(s)));
  }
  for (int s : {100, 302, 408, 429, 500, 503, 0}) {
    LONGS_EQUAL(static_cast<int>(AnswerKind::kTransient), static_cast<int>(ClassifyAnswer(s)));
  }
}

}  // namespace carnet::fw::outbox
