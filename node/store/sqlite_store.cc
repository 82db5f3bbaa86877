#include "node/store/sqlite_store.h"

#include <array>
#include <utility>

namespace carnet::node::store {
namespace {

// Migration i brings the schema to version i + 1. Never edit a released entry: append.
constexpr std::array<std::string_view, 1> kMigrations = {
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
};

constexpr std::string_view kDocumentColumns =
    "id, version, ins, type_code, author_id_nat, confidentiality, status, deposited_at, sealed";

Result<int64_t> VersionToSql(uint64_t version) {
  if (version > static_cast<uint64_t>(INT64_MAX)) return InvalidArgument("version too large");
  return static_cast<int64_t>(version);
}

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

// kNotFound unless the last UPDATE/DELETE touched a row.
Status ExpectChanged(const Db& db, std::string what) {
  return db.Changes() > 0 ? Status::Ok() : NotFound(std::move(what) + " not found");
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

Status SqliteStore::PutPatient(const PatientRecord& patient) {
  return Write([&](Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(
        auto insert,
        db.Prepare("INSERT INTO patients (ins, wrapped_key, state, settings) VALUES (?,?,?,?)"));
    CARNET_TRY(insert.BindText(1, patient.ins));
    CARNET_TRY(insert.BindBlob(2, patient.wrapped_key));
    CARNET_TRY(insert.BindText(3, PatientStateName(patient.state)));
    CARNET_TRY(insert.BindBlob(4, patient.settings));
    return insert.Run();
  });
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
  return Write([&](Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(auto update, db.Prepare("UPDATE patients SET state = ? WHERE ins = ?"));
    CARNET_TRY(update.BindText(1, PatientStateName(state)));
    CARNET_TRY(update.BindText(2, ins));
    CARNET_TRY(update.Run());
    return ExpectChanged(db, "patient " + std::string(ins));
  });
}

Status SqliteStore::SetPatientSettings(std::string_view ins, ByteView settings) {
  return Write([&](Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(auto update,
                            db.Prepare("UPDATE patients SET settings = ? WHERE ins = ?"));
    CARNET_TRY(update.BindBlob(1, settings));
    CARNET_TRY(update.BindText(2, ins));
    CARNET_TRY(update.Run());
    return ExpectChanged(db, "patient " + std::string(ins));
  });
}

Status SqliteStore::DestroyPatientKey(std::string_view ins) {
  Status destroyed = Write([&](Db& db) -> Status {
    // secure_delete=ON zeroes the freed cell content in the database file.
    CARNET_ASSIGN_OR_RETURN(
        auto update, db.Prepare("UPDATE patients SET wrapped_key = NULL, state = ? WHERE ins = ?"));
    CARNET_TRY(update.BindText(1, PatientStateName(PatientState::kKeyDestroyed)));
    CARNET_TRY(update.BindText(2, ins));
    CARNET_TRY(update.Run());
    return ExpectChanged(db, "patient " + std::string(ins));
  });
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
  CARNET_ASSIGN_OR_RETURN(int64_t version, VersionToSql(d.version));
  return Write([&](Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(auto insert,
                            db.Prepare("INSERT INTO documents (" + std::string(kDocumentColumns) +
                                       ") VALUES (?,?,?,?,?,?,?,?,?)"));
    CARNET_TRY(insert.BindText(1, d.id));
    CARNET_TRY(insert.BindInt(2, version));
    CARNET_TRY(insert.BindText(3, d.ins));
    CARNET_TRY(insert.BindText(4, d.type_code));
    CARNET_TRY(insert.BindText(5, d.author_id_nat));
    CARNET_TRY(insert.BindText(6, d.confidentiality));
    CARNET_TRY(insert.BindText(7, d.status));
    CARNET_TRY(insert.BindInt(8, d.deposited_at));
    CARNET_TRY(insert.BindBlob(9, d.sealed));
    return insert.Run();
  });
}

Result<DocumentRecord> SqliteStore::GetDocument(std::string_view id, uint64_t version) {
  CARNET_ASSIGN_OR_RETURN(int64_t sql_version, VersionToSql(version));
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
  CARNET_ASSIGN_OR_RETURN(auto reader, AcquireReader());
  CARNET_ASSIGN_OR_RETURN(
      auto select, reader.db().Prepare("SELECT " + std::string(kDocumentColumns) +
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
  CARNET_ASSIGN_OR_RETURN(int64_t sql_version, VersionToSql(version));
  return Write([&](Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(
        auto update, db.Prepare("UPDATE documents SET status = ? WHERE id = ? AND version = ?"));
    CARNET_TRY(update.BindText(1, status));
    CARNET_TRY(update.BindText(2, id));
    CARNET_TRY(update.BindInt(3, sql_version));
    CARNET_TRY(update.Run());
    return ExpectChanged(db, "document " + std::string(id));
  });
}

Status SqliteStore::PutRequest(const RequestRecord& r) {
  return Write([&](Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(auto insert,
                            db.Prepare("INSERT INTO requests (request_id, terminal_id, "
                                       "content_hash, response, received_at) VALUES (?,?,?,?,?)"));
    CARNET_TRY(insert.BindText(1, r.request_id));
    CARNET_TRY(insert.BindText(2, r.terminal_id));
    CARNET_TRY(insert.BindBlob(3, r.content_hash));
    CARNET_TRY(insert.BindBlob(4, r.response));
    CARNET_TRY(insert.BindInt(5, r.received_at));
    return insert.Run();
  });
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
