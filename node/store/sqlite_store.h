#pragma once
// SqliteStore: the Store on one SQLite file (WAL). One writer connection driven by a
// GroupCommitWriter thread: concurrent writes share one BEGIN IMMEDIATE … COMMIT and one fsync,
// each in its own savepoint. Readers take a connection of their own from a small pool, so reads
// run beside the writer (WAL snapshot isolation).

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "node/store/group_commit.h"
#include "node/store/sqlite_db.h"
#include "node/store/store.h"

namespace carnet::node::store {

class Transaction;

class SqliteStore final : public Store {
 public:
  using TransactFn = std::function<Status(Transaction&)>;
  using ReadFn = std::function<Status(Db&)>;

  // Opens (creating if needed) the database at `path` and applies pending migrations.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  // The ordered schema migrations; exposed for tests.
  static std::span<const std::string_view> Migrations();

  Status PutPatient(const PatientRecord& patient) override;
  Result<PatientRecord> GetPatient(std::string_view ins) override;
  Status SetPatientState(std::string_view ins, PatientState state) override;
  Status SetPatientSettings(std::string_view ins, ByteView settings) override;
  Status DestroyPatientKey(std::string_view ins) override;

  Status PutDocument(const DocumentRecord& document) override;
  Result<DocumentRecord> GetDocument(std::string_view id, uint64_t version) override;
  Result<std::vector<DocumentRecord>> ListDocuments(std::string_view ins) override;
  Result<std::vector<DocumentRecord>> ListDocumentHeaders(std::string_view ins) override;
  Status SetDocumentStatus(std::string_view id, uint64_t version, std::string_view status) override;

  Status PutRequest(const RequestRecord& request) override;
  Result<std::optional<RequestRecord>> FindRequest(std::string_view request_id,
                                                   std::string_view terminal_id) override;

  Result<int64_t> PutNotification(const NotificationRecord& notification) override;
  Result<std::vector<NotificationRecord>> ListNotifications(bool pending_only) override;
  Status MarkNotificationDelivered(int64_t id, UnixMillis delivered_at) override;

  Result<std::vector<UnreadableDocument>> SweepUnreadable() override;

  // Runs `body` on the writer thread, in its own savepoint of a group transaction
  // (transaction.h), and returns once the group committed. `body` returning an error rolls
  // back everything it wrote, and only that; Transact then returns that error. `body` may
  // capture the caller's locals by reference; it must not call back into this store's writes
  // (the writer thread would wait for itself).
  Status Transact(const TransactFn& body);
  // Runs `body` on a read-only connection of its own (a WAL snapshot of committed data).
  Status Read(const ReadFn& body);

  // Transactions and writes so far (writes / transactions = mean group size).
  GroupCommitWriter::Stats WriterStats() const { return group_->stats(); }

 private:
  class Reader;
  SqliteStore(std::string path, std::unique_ptr<Db> writer)
      : path_(std::move(path)),
        writer_(std::move(writer)),
        group_(std::make_unique<GroupCommitWriter>(*writer_)) {}

  Result<Reader> AcquireReader();
  Result<std::vector<DocumentRecord>> SelectDocuments(std::string_view ins,
                                                      std::string_view columns);
  void ReleaseReader(std::unique_ptr<Db> db);

  const std::string path_;
  std::unique_ptr<Db> writer_;
  std::unique_ptr<GroupCommitWriter> group_;  // after writer_: stops before it closes
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Db>> idle_readers_;
};

}  // namespace carnet::node::store
