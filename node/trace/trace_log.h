#pragma once
// TraceLog: the node's append-only trace log, an RFC 6962 Merkle tree over canonical-CBOR
// TraceEntry leaves (DESIGN.md §5), stored in the node's SQLite database (table trace_leaves,
// created by node/store's schema 2) next to the changes it records.
//
// Writing: Append runs inside a SqliteStore::Transact closure, with the change the entry
// records, so both are durable together or not at all. The index is assigned there (one past
// the largest index the transaction sees), so a closure that fails — or a group whose COMMIT
// fails — leaves no row and no gap: the next append reuses the index.
//
// Reading: an in-memory MerkleTree (every leaf hash and perfect-subtree root: 64 bytes per
// leaf) that catches up from *committed* rows only, read on a connection of its own. A rolled
// back append is never seen, so it can never corrupt the tree. On catching up each row's
// stored leaf hash is checked against its entry and indexes must be contiguous (kDataLoss
// otherwise: the table was edited behind the log's back). Every query catches up first, so
// what Transact reported as committed is visible to the next query.
//
// Thread-safe: Append is called on the store's writer thread; queries from any thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "crypto/core/pk.h"
#include "crypto/merkle/merkle.h"
#include "crypto/merkle/tree.h"
#include "hal/base/random.h"
#include "node/store/sqlite_store.h"
#include "node/store/transaction.h"
#include "node/trace/entry.h"
#include "node/trace/tree_head.h"

namespace carnet::node::trace {

class TraceLog {
 public:
  using EntryFn = std::function<Status(uint64_t index, ByteView entry)>;

  // `store` must outlive the log. Reads the committed leaves to build the tree.
  static Result<std::unique_ptr<TraceLog>> Open(store::SqliteStore& store);

  // Inside a Transact closure: encodes `entry` (EncodeEntry's errors pass through), inserts it
  // at the next index and returns that index.
  Result<uint64_t> Append(store::Transaction& txn, const TraceEntry& entry) const;

  // The number of committed entries.
  Result<uint64_t> Size();
  // MTH of the first `size` committed entries (kOutOfRange beyond the committed size).
  Result<crypto::merkle::Hash> Root(uint64_t size);
  // RFC 6962 §2.1.1 audit path of entry `index` in the tree of `size` entries.
  Result<crypto::merkle::Proof> InclusionProof(uint64_t index, uint64_t size);
  // RFC 6962 §2.1.2 proof that the tree of `old_size` entries is a prefix of that of `size`.
  Result<crypto::merkle::Proof> ConsistencyProof(uint64_t old_size, uint64_t size);
  // A head for the whole committed log, signed with the log key (tree_head.h).
  Result<SignedTreeHead> SignHead(const crypto::PrivateKey& log_key, UnixMillis now, Random& rng);

  // The stored bytes of entry `index` (kNotFound if not committed).
  Result<Bytes> Entry(uint64_t index);
  // Export: calls `fn` for each committed entry with index in [begin, end), in order, from
  // one consistent snapshot. An error from `fn` stops the walk and is returned.
  Status ForEachEntry(uint64_t begin, uint64_t end, const EntryFn& fn);

 private:
  explicit TraceLog(store::SqliteStore& store) : store_(store) {}
  // Appends the committed rows beyond the tree's size. Caller holds mu_.
  Status CatchUpLocked();

  store::SqliteStore& store_;
  std::mutex mu_;
  crypto::merkle::MerkleTree tree_;
};

}  // namespace carnet::node::trace
