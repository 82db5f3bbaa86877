#pragma once
// A thin RAII layer over SQLite (the only place in node/ that includes sqlite3.h is
// sqlite_db.cc). Every SQLite return code becomes a Status in SqliteStatus(), which keeps the
// extended result code and sqlite3_errmsg in the message.
//
// - Db::Open applies the pragmas the store relies on: journal_mode=WAL (readers do not block
//   the writer), synchronous=FULL (a COMMIT that returned is on disk), secure_delete=ON
//   (deleted rows, such as a destroyed patient key, are overwritten with zeros), foreign_keys=ON
//   and a busy timeout.
// - Statement: prepared once, Bind*/Step/Column*, Reset to reuse. Indexes are 1-based for
//   Bind (as SQLite) and 0-based for Column (as SQLite).
// - Transactions are explicit: Begin() is BEGIN IMMEDIATE (takes the write lock up front, so a
//   transaction never fails half-way with SQLITE_BUSY on upgrade), then Commit() or Rollback().
// - Migrate(): a table schema_version(version) and an ordered list of SQL scripts; script i
//   brings the schema to version i+1 and runs in its own transaction, once.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace carnet::node::store {

// Translates a SQLite result code (with the connection's last error) into a Status.
// `db` may be null. kOk for SQLITE_OK, SQLITE_ROW and SQLITE_DONE.
Status SqliteStatus(int rc, sqlite3* db, std::string_view what);

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Status BindInt(int index, int64_t value);
  Status BindText(int index, std::string_view value);
  Status BindBlob(int index, ByteView value);
  Status BindNull(int index);

  // true: a row is available; false: done. Errors as Status.
  Result<bool> Step();
  // Step() expecting no row (INSERT, UPDATE, DELETE).
  Status Run();
  // Makes the statement ready to run again and clears its bindings.
  void Reset();

  int64_t ColumnInt(int index) const;
  std::string ColumnText(int index) const;
  Bytes ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  friend class Db;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  struct Options {
    bool read_only = false;
    std::chrono::milliseconds busy_timeout{5000};
  };
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const Options& options);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Result<Statement> Prepare(std::string_view sql);
  // Runs one or more statements that return no rows (schema, pragmas).
  Status Exec(const std::string& sql);

  Status Begin();  // BEGIN IMMEDIATE
  Status Commit();
  Status Rollback();

  // Applies the scripts not yet applied; returns the schema version reached.
  Result<int64_t> Migrate(std::span<const std::string_view> migrations);
  Result<int64_t> SchemaVersion();

  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  int64_t Changes() const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace carnet::node::store
