#include "node/store/sqlite_store.h"

#include <CppUTest/TestHarness.h>

#include <array>
#include <string>

#include "crypto/core/random.h"
#include "node/store/envelope.h"
#include "node/store/sqlite_db.h"
#include "node/store/store_test_util.h"

namespace carnet::node::store {
namespace {

constexpr std::string_view kIns = "1840275123456";

Bytes Text(std::string_view s) { return Bytes(s.begin(), s.end()); }

int64_t CountRows(Db& db, const std::string& table) {
  auto select = db.Prepare("SELECT COUNT(*) FROM " + table);
  CHECK_TRUE(select.ok());
  CHECK_TRUE(*select->Step());
  return select->ColumnInt(0);
}

}  // namespace

TEST_GROUP(SqliteStore) {
  testing::TempDir dir;
  Random& rng = crypto::Drbg::ForThread();
  crypto::SecretBytes kek = crypto::SecretBytes(Bytes(32, 0x42));
  std::unique_ptr<SqliteStore> store;

  void setup() override { Reopen(); }
  void Reopen() {
    store.reset();
    auto opened = SqliteStore::Open(dir.File("node.db"));
    CHECK_TRUE_TEXT(opened.ok(), opened.status().ToString().c_str());
    store = std::move(*opened);
  }
  crypto::SecretBytes AddPatient(std::string_view ins) {
    PatientRecord patient{std::string(ins), *NewWrappedPatientKey(kek, rng), PatientState::kActive,
                          Text("{}")};
    CHECK_TRUE(store->PutPatient(patient).ok());
    return *UnwrapPatientKey(kek, patient.wrapped_key);
  }
  DocumentRecord Seal(const crypto::SecretBytes& key, std::string_view ins, std::string id,
                      uint64_t version, std::string_view body) {
    DocumentRecord d{id, std::string(ins), version,           "11488-4", "810001234567",
                     "", "active",         1'780'000'000'000, {}};
    d.sealed = *SealDocument(key, {d.ins, d.id, d.version}, Text(body), rng);
    return d;
  }
  Result<crypto::SecretBytes> Open(const DocumentRecord& d) {
    CARNET_ASSIGN_OR_RETURN(auto patient, store->GetPatient(d.ins));
    CARNET_ASSIGN_OR_RETURN(auto key, UnwrapPatientKey(kek, patient.wrapped_key));
    return OpenDocument(key, {d.ins, d.id, d.version}, d.sealed);
  }
};

TEST(SqliteStore, PatientRoundTripAndDuplicates) {
  AddPatient(kIns);
  auto patient = store->GetPatient(kIns);
  CHECK_TRUE(patient.ok());
  CHECK_TRUE(patient->state == PatientState::kActive);
  CHECK_TRUE(patient->settings == Text("{}"));
  PatientRecord again{std::string(kIns), Bytes(40, 1), PatientState::kActive, {}};
  CHECK_TRUE(store->PutPatient(again).code() == StatusCode::kAlreadyExists);
  CHECK_TRUE(store->GetPatient("0000000000000").status().code() == StatusCode::kNotFound);
  CHECK_TRUE(store->SetPatientSettings(kIns, Text("{\"x\":1}")).ok());
  CHECK_TRUE(store->SetPatientState(kIns, PatientState::kClosed).ok());
  patient = store->GetPatient(kIns);
  CHECK_TRUE(patient->settings == Text("{\"x\":1}"));
  CHECK_TRUE(patient->state == PatientState::kClosed);
  CHECK_TRUE(store->SetPatientState("nobody", PatientState::kClosed).code() ==
             StatusCode::kNotFound);
}

TEST(SqliteStore, DocumentRoundTrip) {
  auto key = AddPatient(kIns);
  DocumentRecord d = Seal(key, kIns, "doc-1", 1, "compte rendu");
  CHECK_TRUE(store->PutDocument(d).ok());
  CHECK_TRUE(store->PutDocument(d).code() == StatusCode::kAlreadyExists);
  auto read = store->GetDocument("doc-1", 1);
  CHECK_TRUE(read.ok());
  STRCMP_EQUAL("11488-4", read->type_code.c_str());
  STRCMP_EQUAL("810001234567", read->author_id_nat.c_str());
  LONGS_EQUAL(1'780'000'000'000, read->deposited_at);
  auto plain = Open(*read);
  CHECK_TRUE(plain.ok());
  CHECK_TRUE(Bytes(plain->view().begin(), plain->view().end()) == Text("compte rendu"));
  CHECK_TRUE(store->GetDocument("doc-1", 2).status().code() == StatusCode::kNotFound);
  CHECK_TRUE(store->SetDocumentStatus("doc-1", 1, "archived").ok());
  STRCMP_EQUAL("archived", store->GetDocument("doc-1", 1)->status.c_str());
}

TEST(SqliteStore, DocumentOfUnknownPatientIsRefused) {
  auto key = crypto::SecretBytes(Bytes(32, 7));
  DocumentRecord d = Seal(key, "9999999999999", "doc-x", 1, "x");
  CHECK_TRUE(store->PutDocument(d).code() == StatusCode::kFailedPrecondition);
}

TEST(SqliteStore, SwappedBlobsFailWithDataLoss) {
  auto key_a = AddPatient(kIns);
  auto key_b = AddPatient("2850375123456");
  DocumentRecord a1 = Seal(key_a, kIns, "doc-a", 1, "a1");
  DocumentRecord a2 = Seal(key_a, kIns, "doc-a", 2, "a2");
  DocumentRecord b1 = Seal(key_b, "2850375123456", "doc-b", 1, "b1");
  // Same patient, another version; and another patient: each must be refused.
  std::swap(a1.sealed, a2.sealed);
  CHECK_TRUE(store->PutDocument(a1).ok());
  CHECK_TRUE(store->PutDocument(a2).ok());
  std::swap(b1.sealed, a1.sealed);  // b1 now holds a2's blob
  CHECK_TRUE(store->PutDocument(b1).ok());
  CHECK_TRUE(Open(*store->GetDocument("doc-a", 1)).status().code() == StatusCode::kDataLoss);
  CHECK_TRUE(Open(*store->GetDocument("doc-a", 2)).status().code() == StatusCode::kDataLoss);
  CHECK_TRUE(Open(*store->GetDocument("doc-b", 1)).status().code() == StatusCode::kDataLoss);
}

TEST(SqliteStore, DestroyedPatientKeyMakesDocumentsUnreadable) {
  auto key = AddPatient(kIns);
  AddPatient("2850375123456");
  CHECK_TRUE(store->PutDocument(Seal(key, kIns, "doc-1", 1, "one")).ok());
  CHECK_TRUE(store->PutDocument(Seal(key, kIns, "doc-1", 2, "two")).ok());
  CHECK_TRUE(Open(*store->GetDocument("doc-1", 1)).ok());
  CHECK_EQUAL(0u, store->SweepUnreadable()->size());

  CHECK_TRUE(store->DestroyPatientKey(kIns).ok());
  CHECK_TRUE(store->DestroyPatientKey(kIns).ok());  // idempotent
  CHECK_TRUE(store->DestroyPatientKey("nobody").code() == StatusCode::kNotFound);
  auto patient = store->GetPatient(kIns);
  CHECK_TRUE(patient->state == PatientState::kKeyDestroyed);
  CHECK_TRUE(patient->wrapped_key.empty());
  CHECK_TRUE(Open(*store->GetDocument("doc-1", 1)).status().code() == StatusCode::kDataLoss);
  auto swept = store->SweepUnreadable();
  CHECK_TRUE(swept.ok());
  LONGS_EQUAL(2, swept->size());
  STRCMP_EQUAL("doc-1", (*swept)[1].id.c_str());
  LONGS_EQUAL(2, (*swept)[1].version);
  // Survives a restart.
  Reopen();
  CHECK_TRUE(Open(*store->GetDocument("doc-1", 2)).status().code() == StatusCode::kDataLoss);
  LONGS_EQUAL(2, store->SweepUnreadable()->size());
}

TEST(SqliteStore, RequestIdsForIdempotency) {
  RequestRecord r{"req-1", "term-1", Bytes(32, 0xaa), Text("response-1"), 1000};
  CHECK_TRUE(store->PutRequest(r).ok());
  auto found = store->FindRequest("req-1", "term-1");
  CHECK_TRUE(found.ok() && found->has_value());
  CHECK_TRUE((*found)->content_hash == Bytes(32, 0xaa));
  CHECK_TRUE((*found)->response == Text("response-1"));
  LONGS_EQUAL(1000, (*found)->received_at);
  // The same id from another terminal is another request.
  CHECK_FALSE(store->FindRequest("req-1", "term-2")->has_value());
  CHECK_FALSE(store->FindRequest("req-2", "term-1")->has_value());
  // A second insert (a replay, same or other content) changes nothing.
  RequestRecord replay{"req-1", "term-1", Bytes(32, 0xbb), Text("other"), 2000};
  CHECK_TRUE(store->PutRequest(replay).code() == StatusCode::kAlreadyExists);
  CHECK_TRUE((*store->FindRequest("req-1", "term-1"))->content_hash == Bytes(32, 0xaa));
}

TEST(SqliteStore, DataSurvivesCloseAndReopen) {
  auto key = AddPatient(kIns);
  CHECK_TRUE(store->PutDocument(Seal(key, kIns, "doc-1", 1, "persisted")).ok());
  CHECK_TRUE(store->PutRequest({"req-1", "term-1", Bytes(32, 1), Text("r"), 5}).ok());
  Reopen();
  auto docs = store->ListDocuments(kIns);
  CHECK_TRUE(docs.ok());
  LONGS_EQUAL(1, docs->size());
  auto plain = Open((*docs)[0]);
  CHECK_TRUE(plain.ok());
  CHECK_TRUE(Bytes(plain->view().begin(), plain->view().end()) == Text("persisted"));
  CHECK_TRUE(store->FindRequest("req-1", "term-1")->has_value());
}

TEST(SqliteStore, DocumentHeadersLeaveTheBlobsOut) {
  auto key = AddPatient(kIns);
  CHECK_TRUE(store->PutDocument(Seal(key, kIns, "doc-1", 1, "one")).ok());
  CHECK_TRUE(store->PutDocument(Seal(key, kIns, "doc-1", 2, "two")).ok());
  auto full = store->ListDocuments(kIns);
  auto headers = store->ListDocumentHeaders(kIns);
  CHECK_TRUE(full.ok() && headers.ok());
  LONGS_EQUAL(2, headers->size());
  for (size_t i = 0; i < headers->size(); ++i) {
    STRCMP_EQUAL((*full)[i].id.c_str(), (*headers)[i].id.c_str());
    LONGS_EQUAL((*full)[i].version, (*headers)[i].version);
    CHECK_FALSE((*full)[i].sealed.empty());
    CHECK_TRUE((*headers)[i].sealed.empty());
  }
}

TEST(SqliteStore, MigrationsAppliedOnce) {
  store.reset();
  auto db = Db::Open(dir.File("node.db"), Db::Options{});
  CHECK_TRUE(db.ok());
  LONGS_EQUAL(static_cast<long>(SqliteStore::Migrations().size()),
              CountRows(**db, "schema_version"));
  db->reset();
  Reopen();
  Reopen();
  db = Db::Open(dir.File("node.db"), Db::Options{});
  LONGS_EQUAL(static_cast<long>(SqliteStore::Migrations().size()),
              CountRows(**db, "schema_version"));
}

TEST(SqliteStore, PragmasAreSet) {
  auto db = Db::Open(dir.File("node.db"), Db::Options{});
  CHECK_TRUE(db.ok());
  auto mode = (*db)->Prepare("PRAGMA journal_mode");
  CHECK_TRUE(*mode->Step());
  STRCMP_EQUAL("wal", mode->ColumnText(0).c_str());
  auto checks = std::array<std::pair<const char*, int64_t>, 3>{
      {{"PRAGMA synchronous", 2}, {"PRAGMA secure_delete", 1}, {"PRAGMA foreign_keys", 1}}};
  for (const auto& [sql, expected] : checks) {
    auto pragma = (*db)->Prepare(sql);
    CHECK_TRUE(*pragma->Step());
    LONGS_EQUAL(expected, pragma->ColumnInt(0));
  }
}

TEST_GROUP(SqliteDb) { testing::TempDir dir; };

TEST(SqliteDb, MigrationsRunInOrderOncePerVersion) {
  std::array<std::string_view, 2> first = {"CREATE TABLE t (x INTEGER)",
                                           "INSERT INTO t VALUES (1)"};
  auto db = Db::Open(dir.File("m.db"), Db::Options{});
  LONGS_EQUAL(2, *(*db)->Migrate(first));
  LONGS_EQUAL(2, *(*db)->Migrate(first));
  LONGS_EQUAL(1, CountRows(**db, "t"));
  // A new release appends a migration: only that one runs.
  std::array<std::string_view, 3> second = {first[0], first[1], "INSERT INTO t VALUES (2)"};
  LONGS_EQUAL(3, *(*db)->Migrate(second));
  LONGS_EQUAL(2, CountRows(**db, "t"));
  // An older program refuses a newer schema.
  CHECK_TRUE((*db)->Migrate(first).status().code() == StatusCode::kFailedPrecondition);
}

TEST(SqliteDb, FailedMigrationRollsBackEntirely) {
  std::array<std::string_view, 2> migrations = {
      "CREATE TABLE t (x INTEGER)", "INSERT INTO t VALUES (1); INSERT INTO nowhere VALUES (2)"};
  auto db = Db::Open(dir.File("m.db"), Db::Options{});
  auto result = (*db)->Migrate(migrations);
  CHECK_FALSE(result.ok());
  CHECK_TRUE(result.status().message().find("migration 2") != std::string::npos);
  LONGS_EQUAL(1, *(*db)->SchemaVersion());
  LONGS_EQUAL(0, CountRows(**db, "t"));
}

TEST(SqliteDb, ErrorsKeepTheSqliteCodeAndMessage) {
  auto db = Db::Open(dir.File("e.db"), Db::Options{});
  Status s = (*db)->Exec("SELEKT 1");
  CHECK_FALSE(s.ok());
  CHECK_TRUE(s.message().find("syntax error") != std::string::npos);
  CHECK_TRUE(s.message().find("(SQLite 1)") != std::string::npos);
  CHECK_TRUE((*db)->Exec("CREATE TABLE u (k TEXT PRIMARY KEY)").ok());
  CHECK_TRUE((*db)->Exec("INSERT INTO u VALUES ('a')").ok());
  s = (*db)->Exec("INSERT INTO u VALUES ('a')");
  CHECK_TRUE(s.code() == StatusCode::kAlreadyExists);
  CHECK_TRUE(s.message().find("(SQLite 1555)") != std::string::npos);  // CONSTRAINT_PRIMARYKEY
}

TEST(SqliteDb, NotADatabaseIsDataLoss) {
  std::string path = dir.File("junk.db");
  FILE* f = std::fopen(path.c_str(), "wb");
  std::fputs("this is not an SQLite database, not at all, really not", f);
  std::fclose(f);
  auto db = Db::Open(path, Db::Options{});
  CHECK_TRUE(db.status().code() == StatusCode::kDataLoss);
}

}  // namespace carnet::node::store
