#include "node/store/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace carnet::node::store {

Status SqliteStatus(int rc, sqlite3* db, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return Status::Ok();
  int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  if ((extended & 0xff) != (rc & 0xff)) extended = rc;  // errmsg belongs to another call
  std::string message = std::string(what) + ": " +
                        (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) + " (SQLite " +
                        std::to_string(extended) + ")";
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(std::move(message));
    case SQLITE_CONSTRAINT:
      if (extended == SQLITE_CONSTRAINT_PRIMARYKEY || extended == SQLITE_CONSTRAINT_UNIQUE) {
        return AlreadyExists(std::move(message));
      }
      if (extended == SQLITE_CONSTRAINT_FOREIGNKEY) return FailedPrecondition(std::move(message));
      return InvalidArgument(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLoss(std::move(message));
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return ResourceExhausted(std::move(message));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Unavailable(std::move(message));
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      return InvalidArgument(std::move(message));
    default:
      return Internal(std::move(message));
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Status Statement::BindInt(int index, int64_t value) {
  return SqliteStatus(sqlite3_bind_int64(stmt_, index, value), db_, "binding an integer");
}

Status Statement::BindText(int index, std::string_view value) {
  return SqliteStatus(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      db_, "binding text");
}

Status Statement::BindBlob(int index, ByteView value) {
  // A zero-length blob needs a non-null pointer or SQLite stores NULL.
  static const uint8_t kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  return SqliteStatus(sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT), db_,
                      "binding a blob");
}

Status Statement::BindNull(int index) {
  return SqliteStatus(sqlite3_bind_null(stmt_, index), db_, "binding null");
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(rc, db_, std::string("running ") + sqlite3_sql(stmt_));
}

Status Statement::Run() {
  CARNET_ASSIGN_OR_RETURN(bool row, Step());
  if (row) return Internal(std::string("statement returned a row: ") + sqlite3_sql(stmt_));
  return Status::Ok();
}

void Statement::Reset() {
  // sqlite3_reset repeats the last step's error, which Step() already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  int size = sqlite3_column_bytes(stmt_, index);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

Bytes Statement::ColumnBlob(int index) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, index));
  int size = sqlite3_column_bytes(stmt_, index);
  if (data == nullptr) return {};
  return Bytes(data, data + size);
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const Options& options) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Db> db(new Db(raw));  // owns `raw` even when open failed
  CARNET_TRY(SqliteStatus(rc, raw, "opening database " + path));
  CARNET_TRY(SqliteStatus(sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count())),
                          raw, "setting busy timeout"));
  std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA synchronous=FULL;";
  if (!options.read_only) pragmas = "PRAGMA journal_mode=WAL; " + pragmas;
  CARNET_TRY(db->Exec(pragmas).Annotate("configuring " + path));
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

Result<Statement> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  Statement statement(db_, stmt);
  CARNET_TRY(SqliteStatus(rc, db_, "preparing " + std::string(sql)));
  return statement;
}

Status Db::Exec(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // sqlite3_errmsg carries the same text
  return SqliteStatus(rc, db_, "executing " + sql);
}

Status Db::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status Db::Commit() { return Exec("COMMIT"); }
Status Db::Rollback() {
  if (sqlite3_get_autocommit(db_) != 0) return Status::Ok();  // SQLite already rolled back
  return Exec("ROLLBACK");
}

int64_t Db::Changes() const { return sqlite3_changes64(db_); }

Result<int64_t> Db::SchemaVersion() {
  CARNET_TRY(Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
  CARNET_ASSIGN_OR_RETURN(auto select, Prepare("SELECT MAX(version) FROM schema_version"));
  CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row || select.ColumnIsNull(0)) return int64_t{0};
  return select.ColumnInt(0);
}

Result<int64_t> Db::Migrate(std::span<const std::string_view> migrations) {
  CARNET_ASSIGN_OR_RETURN(int64_t version, SchemaVersion());
  if (version > static_cast<int64_t>(migrations.size())) {
    return FailedPrecondition("database schema version " + std::to_string(version) +
                              " is newer than this program knows (" +
                              std::to_string(migrations.size()) + ")");
  }
  for (auto i = static_cast<size_t>(version); i < migrations.size(); ++i) {
    CARNET_TRY(Begin());
    Status s = Exec(std::string(migrations[i]));
    if (s.ok()) {
      s = Exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(i + 1) + ")");
    }
    if (s.ok()) s = Commit();
    if (!s.ok()) {
      Rollback().IgnoreError();  // the original failure is the one to report
      return s.Annotate("migration " + std::to_string(i + 1));
    }
  }
  return static_cast<int64_t>(migrations.size());
}

}  // namespace carnet::node::store
