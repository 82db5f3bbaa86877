#pragma once
// Transaction: the writes of one request, applied atomically (DESIGN.md §5).
//
// A request handler changes a dossier, records the request id (idempotency), appends the trace
// entry of the decision (node/trace) and stores the notifications the policy requires. All of
// that must be durable together or not at all: a change without its trace entry, or a trace
// entry for a change that never happened, would make the log lie. SqliteStore::Transact runs a
// closure taking a Transaction inside one group-commit savepoint: if the closure returns an
// error, everything it wrote is rolled back (and only that); if it returns OK, its writes
// commit with the rest of the group, and Transact returns only after the COMMIT.
//
// A Transaction lives only during the closure; it must not be kept or used from another
// thread. Its writes have the same contract as the Store methods of the same name (duplicates
// kAlreadyExists, absent rows kNotFound, a document of an unknown patient kFailedPrecondition).
// Reads inside the closure (db()) see the closure's own writes and those of earlier closures
// of the same group; nobody else sees them before the COMMIT.

#include <cstdint>
#include <string_view>

#include "node/store/sqlite_db.h"
#include "node/store/store.h"

namespace carnet::node::store {

class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status PutPatient(const PatientRecord& patient);
  Status SetPatientState(std::string_view ins, PatientState state);
  Status SetPatientSettings(std::string_view ins, ByteView settings);
  // Sets the wrapped key to NULL and the state to kKeyDestroyed (kNotFound if no such patient).
  Status ErasePatientKey(std::string_view ins);

  Status PutDocument(const DocumentRecord& document);
  Status SetDocumentStatus(std::string_view id, uint64_t version, std::string_view status);

  // The confidentiality text of one stored version (masking, reveal: node/service).
  Status SetDocumentConfidentiality(std::string_view id,
                                    uint64_t version,
                                    std::string_view confidentiality);

  Status PutRequest(const RequestRecord& request);

  // Returns the id of the new (pending) notification.
  Result<int64_t> PutNotification(const NotificationRecord& notification);
  // Whether a notification of `kind` about `ins` and `actor_id_nat` exists, delivered or not
  // (node/service sends the first-access notice once per professional and patient).
  Result<bool> HasNotification(NotificationKind kind,
                               std::string_view ins,
                               std::string_view actor_id_nat);
  // kNotFound for an unknown id; a delivered notification keeps its first time.
  Status MarkNotificationDelivered(int64_t id, UnixMillis delivered_at);

  // The writer connection, inside the group transaction: for modules that own tables of their
  // own in the same database (node/trace's trace_leaves).
  Db& db() { return db_; }

 private:
  Db& db_;
};

// SQLite integers are signed: values above INT64_MAX (a document version, a trace index) are
// refused (kInvalidArgument) rather than wrapped.
Result<int64_t> ToSqlInteger(uint64_t value, std::string_view what);

}  // namespace carnet::node::store
