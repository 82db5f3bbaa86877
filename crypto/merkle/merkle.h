#pragma once
// RFC 6962 / RFC 9162 Merkle tree hashing and proofs: the trace log's tamper evidence
// (DESIGN.md §5).
//
//   LeafHash(d)    = SHA-256(0x00 || d)
//   NodeHash(l, r) = SHA-256(0x01 || l || r)
//   MTH({})        = SHA-256("")
//   MTH(D[n])      = NodeHash(MTH(D[0:k]), MTH(D[k:n])), k the largest power of 2 < n
//
// The 0x00 / 0x01 prefixes are the second-preimage defence: an interior node can never be
// passed off as a leaf (RFC 6962 §2.1). Everything here works on *leaf hashes*; callers hash
// their entries once with LeafHash and store the result.
//
// Proofs are computed from a TreeReader, which only has to give leaf hashes. Costs, n = tree
// size (one "lookup" is one TreeReader call, one "hash" one SHA-256 of ≤ 65 bytes):
//   - a reader that only gives leaves: SubtreeRoot of m leaves costs m lookups + m-1 hashes,
//     so Root(n), InclusionProof and ConsistencyProof each cost O(n);
//   - a reader that also gives the roots of perfect (2^k, aligned) subtrees — MerkleTree in
//     tree.h, or a store that persists the nodes CompactRange::Append reports — makes each of
//     them O(log n) lookups and O(log n) hashes (a proof element is a perfect subtree or the
//     right edge, which is ≤ log2 n perfect subtrees).

#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "crypto/core/hash.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::crypto::merkle {

using Hash = Sha256Digest;
using Proof = std::vector<Hash>;

Hash LeafHash(ByteView entry);
Hash NodeHash(const Hash& left, const Hash& right);
Hash EmptyRoot();  // SHA-256 of the empty string

// Where proofs get their hashes. Backends provide leaf hashes; a backend that stores interior
// nodes also overrides DoPerfectSubtree (see the costs above). Errors from the backend (a
// failed SQLite read) are passed through unchanged.
class TreeReader {
 public:
  virtual ~TreeReader() = default;
  Result<Hash> LeafHashAt(uint64_t index) const { return DoLeafHashAt(index); }
  // The root of the perfect subtree of 2^level leaves that starts at leaf index << level.
  Result<Hash> PerfectSubtree(unsigned level, uint64_t index) const {
    if (level >= 63) return InvalidArgument("merkle: subtree level out of range");
    return DoPerfectSubtree(level, index);
  }

 private:
  virtual Result<Hash> DoLeafHashAt(uint64_t index) const = 0;
  // Default: recomputed from the leaves, 2^level lookups.
  virtual Result<Hash> DoPerfectSubtree(unsigned level, uint64_t index) const;
};

// A reader over leaf hashes held in memory (the span must outlive the reader).
class SpanTreeReader final : public TreeReader {
 public:
  explicit SpanTreeReader(std::span<const Hash> leaves) : leaves_(leaves) {}

 private:
  Result<Hash> DoLeafHashAt(uint64_t index) const override;
  std::span<const Hash> leaves_;
};

// A reader over a leaf-hash accessor (e.g. a SELECT on the trace table).
class FunctionTreeReader final : public TreeReader {
 public:
  using LeafFn = std::function<Result<Hash>(uint64_t index)>;
  explicit FunctionTreeReader(LeafFn leaf) : leaf_(std::move(leaf)) {}

 private:
  Result<Hash> DoLeafHashAt(uint64_t index) const override { return leaf_(index); }
  LeafFn leaf_;
};

// MTH(D[begin:end]). Fast (see above) when the range is a node of the tree, which is always
// the case for the ranges proofs use.
Result<Hash> SubtreeRoot(const TreeReader& reader, uint64_t begin, uint64_t end);
// MTH of the first `size` leaves.
Result<Hash> Root(const TreeReader& reader, uint64_t size);
Hash Root(std::span<const Hash> leaves);

// PATH(index, D[size]) of RFC 6962 §2.1.1: sibling hashes from the leaf up to the root.
// Fails (kInvalidArgument) when index >= size.
Result<Proof> InclusionProof(const TreeReader& reader, uint64_t index, uint64_t size);
Result<Proof> InclusionProof(std::span<const Hash> leaves, uint64_t index);

// PROOF(old_size, D[size]) of RFC 6962 §2.1.2. Fails (kInvalidArgument) unless
// 0 < old_size <= size; old_size == size gives the empty proof.
Result<Proof> ConsistencyProof(const TreeReader& reader, uint64_t old_size, uint64_t size);
Result<Proof> ConsistencyProof(std::span<const Hash> leaves, uint64_t old_size);

// The number of hashes a valid proof has: verifiers reject any other length up front.
// Preconditions: index < size; 0 < old_size < size (0 for old_size == size).
size_t InclusionProofLength(uint64_t index, uint64_t size);
size_t ConsistencyProofLength(uint64_t old_size, uint64_t size);

}  // namespace carnet::crypto::merkle
