#pragma once
// The outbox's small SQLite layer (the only file of firmware/ that includes sqlite3.h is
// sqlite.cc). Every SQLite return code becomes a Status in SqliteStatus(), which keeps the
// extended result code and sqlite3_errmsg. Internal to firmware/outbox.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace carnet::fw::outbox {

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Status BindInt(int index, int64_t value);
  Status BindText(int index, std::string_view value);
  Status BindBlob(int index, ByteView value);
  Result<bool> Step();  // true: a row; false: done
  Status Run();         // Step() expecting no row

  int64_t ColumnInt(int index) const;
  std::string ColumnText(int index) const;
  Bytes ColumnBlob(int index) const;

 private:
  friend class Db;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // Opens (creating 0600 if missing) with journal_mode=WAL, synchronous=FULL,
  // secure_delete=ON and a busy timeout.
  static Result<std::unique_ptr<Db>> Open(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  int64_t Changes() const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// A BEGIN IMMEDIATE transaction rolled back unless Commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> Begin(Db& db);
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;
};

}  // namespace carnet::fw::outbox
