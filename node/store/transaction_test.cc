#include "node/store/transaction.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "node/store/sqlite_store.h"
#include "node/store/store_test_util.h"

namespace carnet::node::store {
namespace {

constexpr std::string_view kIns = "1840275123456";

PatientRecord Patient(std::string_view ins) {
  return {std::string(ins), Bytes(40, 0x11), PatientState::kActive, ToBytes("{}")};
}

DocumentRecord Document(std::string id) {
  return {std::move(id), std::string(kIns), 1, "11488-4", "810001234567", "", "active",
          1000,          Bytes(60, 0x22)};
}

RequestRecord Request(std::string id) {
  return {std::move(id), "T-1", Bytes(32, 0x33), ToBytes("ok"), 1000};
}

NotificationRecord Notification(NotificationKind kind, uint64_t trace_index) {
  NotificationRecord n;
  n.kind = kind;
  n.ins = std::string(kIns);
  n.actor_id_nat = "810001234567";
  n.document_id = kind == NotificationKind::kNewDocument ? "doc-1" : "";
  n.created_at = 1'780'000'000'000;
  n.trace_index = trace_index;
  return n;
}

}  // namespace

TEST_GROUP(Transaction) {
  testing::TempDir dir;
  std::unique_ptr<SqliteStore> store;

  void setup() override { Reopen(); }
  void Reopen() {
    store.reset();
    auto opened = SqliteStore::Open(dir.File("node.db"));
    CHECK_TRUE_TEXT(opened.ok(), opened.status().ToString().c_str());
    store = std::move(*opened);
  }
};

TEST(Transaction, AllWritesOfAClosureCommitTogether) {
  Status s = store->Transact([](Transaction& txn) -> Status {
    CARNET_TRY(txn.PutPatient(Patient(kIns)));
    CARNET_TRY(txn.PutDocument(Document("doc-1")));
    CARNET_TRY(txn.PutRequest(Request("r-1")));
    return txn.PutNotification(Notification(NotificationKind::kNewDocument, 0)).status();
  });
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(store->GetPatient(kIns).ok());
  CHECK_TRUE(store->GetDocument("doc-1", 1).ok());
  CHECK_TRUE(store->FindRequest("r-1", "T-1")->has_value());
  LONGS_EQUAL(1, static_cast<long>(store->ListNotifications(true)->size()));
}

TEST(Transaction, AFailingClosureLeavesNothingBehind) {
  CHECK_TRUE(store->PutPatient(Patient(kIns)).ok());
  // The document and request are written, then the closure fails on a duplicate patient: all
  // of its writes must disappear, including the ones that succeeded.
  Status s = store->Transact([](Transaction& txn) -> Status {
    CARNET_TRY(txn.PutDocument(Document("doc-1")));
    CARNET_TRY(txn.PutRequest(Request("r-1")));
    CARNET_TRY(txn.PutNotification(Notification(NotificationKind::kNewDocument, 0)).status());
    return txn.PutPatient(Patient(kIns));
  });
  CHECK_TRUE(s.code() == StatusCode::kAlreadyExists);
  CHECK_TRUE(store->GetDocument("doc-1", 1).status().code() == StatusCode::kNotFound);
  CHECK_FALSE(store->FindRequest("r-1", "T-1")->has_value());
  CHECK_TRUE(store->ListNotifications(false)->empty());
}

TEST(Transaction, ClosureErrorIsReturnedUnchanged) {
  Status s = store->Transact([](Transaction&) { return PermissionDenied("policy said no"); });
  CHECK_TRUE(s.code() == StatusCode::kPermissionDenied);
  STRCMP_EQUAL("policy said no", s.message().c_str());
}

TEST(Transaction, ReadsInsideTheClosureSeeItsOwnWrites) {
  Status s = store->Transact([](Transaction& txn) -> Status {
    CARNET_TRY(txn.PutPatient(Patient(kIns)));
    CARNET_ASSIGN_OR_RETURN(auto select, txn.db().Prepare("SELECT COUNT(*) FROM patients"));
    CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row || select.ColumnInt(0) != 1) return Internal("own write not visible");
    return Status::Ok();
  });
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
}

TEST(Transaction, UpdatesOfAbsentRowsAreNotFound) {
  Status s = store->Transact(
      [](Transaction& txn) { return txn.SetDocumentStatus("nothing", 1, "deleted"); });
  CHECK_TRUE(s.code() == StatusCode::kNotFound);
  s = store->Transact(
      [](Transaction& txn) { return txn.SetPatientState("x", PatientState::kClosed); });
  CHECK_TRUE(s.code() == StatusCode::kNotFound);
  s = store->Transact([](Transaction& txn) { return txn.ErasePatientKey("x"); });
  CHECK_TRUE(s.code() == StatusCode::kNotFound);
}

TEST(Transaction, VersionAboveInt64IsRefused) {
  CHECK_TRUE(store->PutPatient(Patient(kIns)).ok());
  DocumentRecord d = Document("doc-1");
  d.version = static_cast<uint64_t>(INT64_MAX) + 1;
  CHECK_TRUE(store->PutDocument(d).code() == StatusCode::kInvalidArgument);
}

TEST(Transaction, NotificationsPendingThenDelivered) {
  auto first = store->PutNotification(Notification(NotificationKind::kFirstAccess, 7));
  auto emergency = store->PutNotification(Notification(NotificationKind::kEmergencyAccess, 8));
  auto created = store->PutNotification(Notification(NotificationKind::kNewDocument, 9));
  CHECK_TRUE(first.ok() && emergency.ok() && created.ok());
  CHECK_TRUE(*first < *emergency && *emergency < *created);

  auto pending = store->ListNotifications(true);
  CHECK_TRUE(pending.ok());
  LONGS_EQUAL(3, static_cast<long>(pending->size()));
  const NotificationRecord& n = (*pending)[2];
  CHECK_TRUE(n.kind == NotificationKind::kNewDocument);
  STRCMP_EQUAL(std::string(kIns).c_str(), n.ins.c_str());
  STRCMP_EQUAL("810001234567", n.actor_id_nat.c_str());
  STRCMP_EQUAL("doc-1", n.document_id.c_str());
  LONGS_EQUAL(9, static_cast<long>(n.trace_index));
  CHECK_FALSE(n.delivered_at.has_value());

  CHECK_TRUE(store->MarkNotificationDelivered(*emergency, 5000).ok());
  CHECK_TRUE(store->MarkNotificationDelivered(*emergency, 6000).ok());  // idempotent
  CHECK_TRUE(store->MarkNotificationDelivered(9999, 5000).code() == StatusCode::kNotFound);
  Reopen();
  pending = store->ListNotifications(true);
  LONGS_EQUAL(2, static_cast<long>(pending->size()));
  CHECK_TRUE((*pending)[0].kind == NotificationKind::kFirstAccess);
  CHECK_TRUE((*pending)[1].kind == NotificationKind::kNewDocument);
  auto all = store->ListNotifications(false);
  LONGS_EQUAL(3, static_cast<long>(all->size()));
  CHECK_TRUE((*all)[1].delivered_at == std::optional<UnixMillis>(5000));  // the first time kept
}

TEST(Transaction, NotificationKindNamesRoundTrip) {
  for (auto k : {NotificationKind::kFirstAccess, NotificationKind::kEmergencyAccess,
                 NotificationKind::kNewDocument}) {
    auto parsed = ParseNotificationKind(NotificationKindName(k));
    CHECK_TRUE(parsed.ok() && *parsed == k);
  }
  CHECK_TRUE(ParseNotificationKind("first-access").status().code() == StatusCode::kDataLoss);
}

}  // namespace carnet::node::store
