#pragma once
// Structures for a growing (append-only) tree.
//
// CompactRange: the "right edge" of a tree — the roots of the perfect subtrees that make up
//   its n leaves, one per set bit of n, so at most 64 hashes. Append is amortised O(1) hashes
//   (worst case log2 n), Root() is O(log n) hashes. Append reports every interior node it
//   completes (level, index, hash): a store that persists them (besides the leaf hashes) can
//   serve TreeReader::PerfectSubtree directly, which makes proofs O(log n) lookups. Restoring
//   after a restart needs only the right edge (the perfect-subtree roots for the set bits of
//   n), which FromRightEdge takes.
//
// MerkleTree: every leaf hash and every perfect-subtree root in memory (2n hashes, 64 MB for
//   10^6 leaves). Append amortised O(1), RootAt(size) for any past size O(log n), and as a
//   TreeReader it makes proofs O(log n). For tests, the CLI and small logs.

#include <cstdint>
#include <functional>
#include <vector>

#include "crypto/merkle/merkle.h"

namespace carnet::crypto::merkle {

class CompactRange {
 public:
  // Called for each interior node completed by Append: the perfect subtree of 2^level leaves
  // starting at leaf index << level (level >= 1; leaves themselves are not reported).
  using NodeFn = std::function<void(unsigned level, uint64_t index, const Hash& hash)>;

  CompactRange() = default;
  // Rebuilds the range of a tree of `size` leaves from its perfect-subtree roots, largest
  // (leftmost) first; fails unless there is exactly one hash per set bit of size.
  static Result<CompactRange> FromRightEdge(uint64_t size, std::vector<Hash> right_edge);

  void Append(const Hash& leaf_hash, const NodeFn& on_node = nullptr);
  uint64_t size() const { return size_; }
  Hash Root() const;
  // Largest subtree first.
  const std::vector<Hash>& right_edge() const { return right_edge_; }

 private:
  uint64_t size_ = 0;
  std::vector<Hash> right_edge_;
};

class MerkleTree final : public TreeReader {
 public:
  MerkleTree() = default;
  explicit MerkleTree(std::span<const Hash> leaf_hashes);

  void Append(const Hash& leaf_hash);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  Hash Root() const;
  // Root of the first `size` leaves (kOutOfRange beyond the current size).
  Result<Hash> RootAt(uint64_t size) const;

 private:
  Result<Hash> DoLeafHashAt(uint64_t index) const override;
  Result<Hash> DoPerfectSubtree(unsigned level, uint64_t index) const override;
  // levels_[k][i] = root of leaves [i << k, (i + 1) << k).
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace carnet::crypto::merkle
