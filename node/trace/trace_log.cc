#include "node/trace/trace_log.h"

#include <algorithm>
#include <string>
#include <utility>

namespace carnet::node::trace {
namespace {

using crypto::merkle::Hash;

Status BeyondLog(uint64_t size, uint64_t committed) {
  return OutOfRange("trace log: size " + std::to_string(size) + " beyond the " +
                    std::to_string(committed) + " committed entries");
}

}  // namespace

Result<std::unique_ptr<TraceLog>> TraceLog::Open(store::SqliteStore& store) {
  std::unique_ptr<TraceLog> log(new TraceLog(store));
  {
    std::lock_guard lock(log->mu_);
    CARNET_TRY(log->CatchUpLocked());
  }
  return log;
}

Result<uint64_t> TraceLog::Append(store::Transaction& txn, const TraceEntry& entry) const {
  CARNET_ASSIGN_OR_RETURN(Bytes encoded, EncodeEntry(entry));
  Hash leaf = crypto::merkle::LeafHash(encoded);
  store::Db& db = txn.db();
  // Inside the write transaction: sees earlier closures of the same group, and nobody else
  // writes meanwhile (one writer), so MAX + 1 is the next index. idx is the rowid: O(log n).
  CARNET_ASSIGN_OR_RETURN(auto next,
                          db.Prepare("SELECT COALESCE(MAX(idx) + 1, 0) FROM trace_leaves"));
  CARNET_ASSIGN_OR_RETURN(bool row, next.Step());
  if (!row) return Internal("trace log: no next index");
  const int64_t index = next.ColumnInt(0);
  CARNET_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO trace_leaves (idx, entry, leaf_hash) VALUES (?,?,?)"));
  CARNET_TRY(insert.BindInt(1, index));
  CARNET_TRY(insert.BindBlob(2, encoded));
  CARNET_TRY(insert.BindBlob(3, leaf));
  CARNET_TRY(insert.Run());
  return static_cast<uint64_t>(index);
}

Status TraceLog::CatchUpLocked() {
  CARNET_ASSIGN_OR_RETURN(int64_t from, store::ToSqlInteger(tree_.size(), "trace index"));
  return store_.Read([&](store::Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(auto select,
                            db.Prepare("SELECT idx, entry, leaf_hash FROM trace_leaves "
                                       "WHERE idx >= ? ORDER BY idx"));
    CARNET_TRY(select.BindInt(1, from));
    while (true) {
      CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return Status::Ok();
      // Appends never leave gaps and never change a row: anything else means the table was
      // edited outside the log, and proofs from it would be lies.
      const uint64_t expected = tree_.size();
      if (select.ColumnInt(0) != static_cast<int64_t>(expected)) {
        return DataLoss("trace log: leaf " + std::to_string(select.ColumnInt(0)) + " where leaf " +
                        std::to_string(expected) + " was expected");
      }
      Hash leaf = crypto::merkle::LeafHash(select.ColumnBlob(1));
      Bytes stored = select.ColumnBlob(2);
      if (!std::equal(leaf.begin(), leaf.end(), stored.begin(), stored.end())) {
        return DataLoss("trace log: leaf " + std::to_string(expected) +
                        " does not match its stored hash");
      }
      tree_.Append(leaf);
    }
  });
}

Result<uint64_t> TraceLog::Size() {
  std::lock_guard lock(mu_);
  CARNET_TRY(CatchUpLocked());
  return tree_.size();
}

Result<Hash> TraceLog::Root(uint64_t size) {
  std::lock_guard lock(mu_);
  CARNET_TRY(CatchUpLocked());
  if (size > tree_.size()) return BeyondLog(size, tree_.size());
  return tree_.RootAt(size);
}

Result<crypto::merkle::Proof> TraceLog::InclusionProof(uint64_t index, uint64_t size) {
  std::lock_guard lock(mu_);
  CARNET_TRY(CatchUpLocked());
  if (size > tree_.size()) return BeyondLog(size, tree_.size());
  return crypto::merkle::InclusionProof(tree_, index, size);
}

Result<crypto::merkle::Proof> TraceLog::ConsistencyProof(uint64_t old_size, uint64_t size) {
  std::lock_guard lock(mu_);
  CARNET_TRY(CatchUpLocked());
  if (size > tree_.size()) return BeyondLog(size, tree_.size());
  return crypto::merkle::ConsistencyProof(tree_, old_size, size);
}

Result<SignedTreeHead> TraceLog::SignHead(const crypto::PrivateKey& log_key,
                                          UnixMillis now,
                                          Random& rng) {
  if (now < 0) return InvalidArgument("tree head: negative timestamp");
  uint64_t size = 0;
  Hash root{};
  {
    std::lock_guard lock(mu_);
    CARNET_TRY(CatchUpLocked());
    size = tree_.size();
    root = tree_.Root();
  }
  return SignTreeHead(size, static_cast<uint64_t>(now), root, log_key, rng);
}

Result<Bytes> TraceLog::Entry(uint64_t index) {
  CARNET_ASSIGN_OR_RETURN(int64_t sql_index, store::ToSqlInteger(index, "trace index"));
  Bytes entry;
  Status read = store_.Read([&](store::Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(auto select,
                            db.Prepare("SELECT entry FROM trace_leaves WHERE idx = ?"));
    CARNET_TRY(select.BindInt(1, sql_index));
    CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return NotFound("trace log: no entry " + std::to_string(index));
    entry = select.ColumnBlob(0);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return entry;
}

Status TraceLog::ForEachEntry(uint64_t begin, uint64_t end, const EntryFn& fn) {
  if (begin > end) return InvalidArgument("trace log: begin after end");
  CARNET_ASSIGN_OR_RETURN(int64_t sql_begin, store::ToSqlInteger(begin, "trace index"));
  CARNET_ASSIGN_OR_RETURN(int64_t sql_end, store::ToSqlInteger(end, "trace index"));
  return store_.Read([&](store::Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(auto select, db.Prepare("SELECT idx, entry FROM trace_leaves "
                                                    "WHERE idx >= ? AND idx < ? ORDER BY idx"));
    CARNET_TRY(select.BindInt(1, sql_begin));
    CARNET_TRY(select.BindInt(2, sql_end));
    while (true) {
      CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return Status::Ok();
      CARNET_TRY(fn(static_cast<uint64_t>(select.ColumnInt(0)), select.ColumnBlob(1)));
    }
  });
}

}  // namespace carnet::node::trace
