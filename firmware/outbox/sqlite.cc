#include "firmware/outbox/sqlite.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <utility>

namespace carnet::fw::outbox {
namespace {

// The one SQLite -> Status translation of the outbox; keeps the extended code and message.
Status SqliteStatus(int rc, sqlite3* db, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return Status::Ok();
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) +
                    " (sqlite " + std::to_string(db ? sqlite3_extended_errcode(db) : rc) + ")";
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(std::move(msg));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLoss(std::move(msg));
    case SQLITE_FULL:
      return ResourceExhausted(std::move(msg));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return PermissionDenied(std::move(msg));
    case SQLITE_CONSTRAINT:
      return AlreadyExists(std::move(msg));
    default:
      return Internal(std::move(msg));
  }
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Status Statement::BindInt(int index, int64_t value) {
  return SqliteStatus(sqlite3_bind_int64(stmt_, index, value), db_, "bind");
}

Status Statement::BindText(int index, std::string_view value) {
  return SqliteStatus(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      db_, "bind");
}

Status Statement::BindBlob(int index, ByteView value) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  static const uint8_t kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  return SqliteStatus(sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT), db_,
                      "bind");
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(rc, db_, "step");
}

Status Statement::Run() {
  CARNET_ASSIGN_OR_RETURN(bool row, Step());
  if (row) return Internal("statement returned a row where none was expected");
  return Status::Ok();
}

int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  int n = sqlite3_column_bytes(stmt_, index);
  if (text == nullptr || n <= 0) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(n));
}

Bytes Statement::ColumnBlob(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  int n = sqlite3_column_bytes(stmt_, index);
  if (blob == nullptr || n <= 0) return {};
  const auto* p = static_cast<const uint8_t*>(blob);
  return Bytes(p, p + n);
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  // Create the file 0600 ourselves: SQLite would use 0644 (minus umask).
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return PermissionDenied("cannot open outbox file " + path);
  close(fd);
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<Db> db(new Db(raw));
  CARNET_TRY(SqliteStatus(rc, raw, "opening outbox " + path));
  sqlite3_extended_result_codes(raw, 1);
  CARNET_TRY(SqliteStatus(sqlite3_busy_timeout(raw, 5000), raw, "busy timeout"));
  // WAL + synchronous=FULL: a COMMIT that returned is in the fsync'ed WAL, so it survives
  // kill -9 and power loss. secure_delete: delivered requests are overwritten, not left in
  // free pages (they are encrypted anyway; this keeps even the ciphertext from lingering).
  CARNET_TRY(db->Exec("PRAGMA journal_mode=WAL"));
  CARNET_TRY(db->Exec("PRAGMA synchronous=FULL"));
  CARNET_TRY(db->Exec("PRAGMA secure_delete=ON"));
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  return SqliteStatus(sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr), db_, text);
}

Result<Statement> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  Statement s(db_, stmt);
  CARNET_TRY(SqliteStatus(rc, db_, "prepare"));
  return s;
}

int64_t Db::Changes() const { return sqlite3_changes64(db_); }

Result<Transaction> Transaction::Begin(Db& db) {
  CARNET_TRY(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) db_->Exec("ROLLBACK").IgnoreError();
}

Status Transaction::Commit() {
  Db* db = std::exchange(db_, nullptr);
  Status s = db->Exec("COMMIT");
  if (!s.ok()) db->Exec("ROLLBACK").IgnoreError();
  return s;
}

}  // namespace carnet::fw::outbox
