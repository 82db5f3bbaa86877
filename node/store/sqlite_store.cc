#include "node/store/sqlite_store.h"

#include <array>
#include <utility>

#include "node/store/transaction.h"

namespace carnet::node::store {
namespace {

// Migration i brings the schema to version i + 1. Never edit a released entry: append.
constexpr std::array<std::string_view, 2> kMigrations = {
    R"sql(
CREATE TABLE patients (
  ins TEXT PRIMARY KEY NOT NULL,
  wrapped_key BLOB,
  state TEXT NOT NULL,
  settings BLOB NOT NULL
);
CREATE TABLE documents (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  ins TEXT NOT NULL REFERENCES patients(ins),
  type_code TEXT NOT NULL,
  author_id_nat TEXT NOT NULL,
  confidentiality TEXT NOT NULL,
  status TEXT NOT NULL,
  deposited_at INTEGER NOT NULL,
  sealed BLOB NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE INDEX documents_by_ins ON documents (ins, id, version);
CREATE TABLE requests (
  request_id TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  content_hash BLOB NOT NULL,
  response BLOB NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (request_id, terminal_id)
);
)sql",
    // 2: notifications (DESIGN.md §4 step 7) and the trace log's leaves (node/trace owns the
    // table and its contents; the schema of the file is versioned here, in one place). idx is
    // the rowid: leaves are read in index order without a separate index.
    R"sql(
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  ins TEXT NOT NULL,
  actor_id_nat TEXT NOT NULL,
  document_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  trace_index INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX notifications_pending ON notifications (id) WHERE delivered_at IS NULL;
CREATE TABLE trace_leaves (
  idx INTEGER PRIMARY KEY,
  entry BLOB NOT NULL,
  leaf_hash BLOB NOT NULL
);
)sql",
};

constexpr std::string_view kDocumentColumns =
    "id, version, ins, type_code, author_id_nat, confidentiality, status, deposited_at, sealed";
// The same columns with an empty blob in place of `sealed` (ListDocumentHeaders).
constexpr std::string_view kDocumentHeaderColumns =
    "id, version, ins, type_code, author_id_nat, confidentiality, status, deposited_at, X''";

DocumentRecord ReadDocument(const Statement& row) {
  DocumentRecord d;
  d.id = row.ColumnText(0);
  d.version = static_cast<uint64_t>(row.ColumnInt(1));
  d.ins = row.ColumnText(2);
  d.type_code = row.ColumnText(3);
  d.author_id_nat = row.ColumnText(4);
  d.confidentiality = row.ColumnText(5);
  d.status = row.ColumnText(6);
  d.deposited_at = row.ColumnInt(7);
  d.sealed = row.ColumnBlob(8);
  return d;
}

}  // namespace

std::string_view PatientStateName(PatientState state) {
  switch (state) {
    case PatientState::kActive:
      return "active";
    case PatientState::kClosed:
      return "closed";
    case PatientState::kKeyDestroyed:
      return "key_destroyed";
  }
  return "unknown";
}

Result<PatientState> ParsePatientState(std::string_view name) {
  for (auto s : {PatientState::kActive, PatientState::kClosed, PatientState::kKeyDestroyed}) {
    if (PatientStateName(s) == name) return s;
  }
  return DataLoss("unknown patient state '" + std::string(name) + "'");
}

std::string_view NotificationKindName(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kFirstAccess:
      return "first_access";
    case NotificationKind::kEmergencyAccess:
      return "emergency_access";
    case NotificationKind::kNewDocument:
      return "new_document";
  }
  return "unknown";
}

Result<NotificationKind> ParseNotificationKind(std::string_view name) {
  for (auto k : {NotificationKind::kFirstAccess, NotificationKind::kEmergencyAccess,
                 NotificationKind::kNewDocument}) {
    if (NotificationKindName(k) == name) return k;
  }
  return DataLoss("unknown notification kind '" + std::string(name) + "'");
}

// A reader connection borrowed from the pool; returned on destruction.
class SqliteStore::Reader {
 public:
  Reader(SqliteStore* store, std::unique_ptr<Db> db) : store_(store), db_(std::move(db)) {}
  Reader(Reader&& other) noexcept
      : store_(std::exchange(other.store_, nullptr)), db_(std::move(other.db_)) {}
  Reader& operator=(Reader&&) = delete;
  ~Reader() {
    if (store_ != nullptr && db_ != nullptr) store_->ReleaseReader(std::move(db_));
  }
  Db& db() { return *db_; }

 private:
  SqliteStore* store_;
  std::unique_ptr<Db> db_;
};

std::span<const std::string_view> SqliteStore::Migrations() { return kMigrations; }

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  CARNET_ASSIGN_OR_RETURN(auto writer, Db::Open(path, Db::Options{}));
  CARNET_TRY(writer->Migrate(kMigrations).status());
  return std::unique_ptr<SqliteStore>(new SqliteStore(path, std::move(writer)));
}

Result<SqliteStore::Reader> SqliteStore::AcquireReader() {
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      auto db = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return Reader(this, std::move(db));
    }
  }
  Db::Options options;
  options.read_only = true;
  CARNET_ASSIGN_OR_RETURN(auto db, Db::Open(path_, options));
  return Reader(this, std::move(db));
}

void SqliteStore::ReleaseReader(std::unique_ptr<Db> db) {
  std::lock_guard lock(readers_mu_);
  idle_readers_.push_back(std::move(db));
}

Status SqliteStore::Transact(const TransactFn& body) {
  return group_->Run([&body](Db& db) -> Status {
    Transaction txn(db);
    return body(txn);
  });
}

Status SqliteStore::Read(const ReadFn& body) {
  CARNET_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  return body(reader.db());
}

Status SqliteStore::PutPatient(const PatientRecord& patient) {
  return Transact([&](Transaction& txn) { return txn.PutPatient(patient); });
}

Result<PatientRecord> SqliteStore::GetPatient(std::string_view ins) {
  CARNET_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  CARNET_ASSIGN_OR_RETURN(
      auto select,
      reader.db().Prepare("SELECT wrapped_key, state, settings FROM patients WHERE ins = ?"));
  CARNET_TRY(select.BindText(1, ins));
  CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return NotFound("patient " + std::string(ins) + " not found");
  PatientRecord patient;
  patient.ins = std::string(ins);
  patient.wrapped_key = select.ColumnBlob(0);
  CARNET_ASSIGN_OR_RETURN(patient.state, ParsePatientState(select.ColumnText(1)));
  patient.settings = select.ColumnBlob(2);
  return patient;
}

Status SqliteStore::SetPatientState(std::string_view ins, PatientState state) {
  return Transact([&](Transaction& txn) { return txn.SetPatientState(ins, state); });
}

Status SqliteStore::SetPatientSettings(std::string_view ins, ByteView settings) {
  return Transact([&](Transaction& txn) { return txn.SetPatientSettings(ins, settings); });
}

Status SqliteStore::DestroyPatientKey(std::string_view ins) {
  Status destroyed = Transact([&](Transaction& txn) { return txn.ErasePatientKey(ins); });
  if (!destroyed.ok()) return destroyed;
  // The old page images still sit in the WAL until a checkpoint copies the new ones back and
  // the WAL is truncated. Readers holding old snapshots can make this partial; the next
  // checkpoint finishes it. Best effort: the key is already gone from the live database.
  // The writer connection belongs to the writer thread, so checkpoint from a connection of our own.
  auto checkpointer = Db::Open(path_, Db::Options{});
  if (checkpointer.ok()) (*checkpointer)->Exec("PRAGMA wal_checkpoint(TRUNCATE)").IgnoreError();
  return Status::Ok();
}

Status SqliteStore::PutDocument(const DocumentRecord& d) {
  return Transact([&](Transaction& txn) { return txn.PutDocument(d); });
}

Result<DocumentRecord> SqliteStore::GetDocument(std::string_view id, uint64_t version) {
  CARNET_ASSIGN_OR_RETURN(int64_t sql_version, ToSqlInteger(version, "version"));
  CARNET_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  CARNET_ASSIGN_OR_RETURN(auto select,
                          reader.db().Prepare("SELECT " + std::string(kDocumentColumns) +
                                              " FROM documents WHERE id = ? AND version = ?"));
  CARNET_TRY(select.BindText(1, id));
  CARNET_TRY(select.BindInt(2, sql_version));
  CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return NotFound("document " + std::string(id) + " v" + std::to_string(version) + " not found");
  }
  return ReadDocument(select);
}

Result<std::vector<DocumentRecord>> SqliteStore::ListDocuments(std::string_view ins) {
  return SelectDocuments(ins, kDocumentColumns);
}

Result<std::vector<DocumentRecord>> SqliteStore::ListDocumentHeaders(std::string_view ins) {
  return SelectDocuments(ins, kDocumentHeaderColumns);
}

Result<std::vector<DocumentRecord>> SqliteStore::SelectDocuments(std::string_view ins,
                                                                 std::string_view columns) {
  CARNET_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  CARNET_ASSIGN_OR_RETURN(
      auto select, reader.db().Prepare("SELECT " + std::string(columns) +
                                       " FROM documents WHERE ins = ? ORDER BY id, version"));
  CARNET_TRY(select.BindText(1, ins));
  std::vector<DocumentRecord> documents;
  while (true) {
    CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    documents.push_back(ReadDocument(select));
  }
  return documents;
}

Status SqliteStore::SetDocumentStatus(std::string_view id,
                                      uint64_t version,
                                      std::string_view status) {
  return Transact([&](Transaction& txn) { return txn.SetDocumentStatus(id, version, status); });
}

Status SqliteStore::PutRequest(const RequestRecord& r) {
  return Transact([&](Transaction& txn) { return txn.PutRequest(r); });
}

Result<std::optional<RequestRecord>> SqliteStore::FindRequest(std::string_view request_id,
                                                              std::string_view terminal_id) {
  CARNET_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  CARNET_ASSIGN_OR_RETURN(auto select,
                          reader.db().Prepare("SELECT content_hash, response, received_at FROM "
                                              "requests WHERE request_id = ? AND terminal_id = ?"));
  CARNET_TRY(select.BindText(1, request_id));
  CARNET_TRY(select.BindText(2, terminal_id));
  CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<RequestRecord>();
  RequestRecord r;
  r.request_id = std::string(request_id);
  r.terminal_id = std::string(terminal_id);
  r.content_hash = select.ColumnBlob(0);
  r.response = select.ColumnBlob(1);
  r.received_at = select.ColumnInt(2);
  return std::optional<RequestRecord>(std::move(r));
}

Result<int64_t> SqliteStore::PutNotification(const NotificationRecord& notification) {
  int64_t id = 0;
  CARNET_TRY(Transact([&](Transaction& txn) -> Status {
    CARNET_ASSIGN_OR_RETURN(id, txn.PutNotification(notification));
    return Status::Ok();
  }));
  return id;
}

Result<std::vector<NotificationRecord>> SqliteStore::ListNotifications(bool pending_only) {
  CARNET_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  std::string sql =
      "SELECT id, kind, ins, actor_id_nat, document_id, created_at, trace_index, delivered_at "
      "FROM notifications";
  if (pending_only) sql += " WHERE delivered_at IS NULL";
  CARNET_ASSIGN_OR_RETURN(auto select, reader.db().Prepare(sql + " ORDER BY id"));
  std::vector<NotificationRecord> notifications;
  while (true) {
    CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    NotificationRecord n;
    n.id = select.ColumnInt(0);
    CARNET_ASSIGN_OR_RETURN(n.kind, ParseNotificationKind(select.ColumnText(1)));
    n.ins = select.ColumnText(2);
    n.actor_id_nat = select.ColumnText(3);
    n.document_id = select.ColumnText(4);
    n.created_at = select.ColumnInt(5);
    n.trace_index = static_cast<uint64_t>(select.ColumnInt(6));
    if (!select.ColumnIsNull(7)) n.delivered_at = select.ColumnInt(7);
    notifications.push_back(std::move(n));
  }
  return notifications;
}

Status SqliteStore::MarkNotificationDelivered(int64_t id, UnixMillis delivered_at) {
  return Transact(
      [&](Transaction& txn) { return txn.MarkNotificationDelivered(id, delivered_at); });
}

Result<std::vector<UnreadableDocument>> SqliteStore::SweepUnreadable() {
  CARNET_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  CARNET_ASSIGN_OR_RETURN(
      auto select, reader.db().Prepare("SELECT d.id, d.version, d.ins FROM documents d JOIN "
                                       "patients p ON p.ins = d.ins WHERE p.wrapped_key IS NULL "
                                       "ORDER BY d.ins, d.id, d.version"));
  std::vector<UnreadableDocument> unreadable;
  while (true) {
    CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    unreadable.push_back(
        {select.ColumnText(0), static_cast<uint64_t>(select.ColumnInt(1)), select.ColumnText(2)});
  }
  return unreadable;
}

}  // namespace carnet::node::store
