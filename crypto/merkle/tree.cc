#include "crypto/merkle/tree.h"

#include <bit>
#include <string>

namespace carnet::crypto::merkle {
namespace {

// Folds perfect-subtree roots, largest (leftmost) first, into the root of their
// concatenation: the right-most (smallest) ones are combined first, as MTH does.
Hash FoldRightEdge(std::span<const Hash> edge) {
  if (edge.empty()) return EmptyRoot();
  Hash root = edge.back();
  for (size_t i = edge.size() - 1; i-- > 0;) root = NodeHash(edge[i], root);
  return root;
}

}  // namespace

Result<CompactRange> CompactRange::FromRightEdge(uint64_t size, std::vector<Hash> right_edge) {
  auto want = static_cast<size_t>(std::popcount(size));
  if (right_edge.size() != want) {
    return InvalidArgument("merkle: a tree of size " + std::to_string(size) + " has " +
                           std::to_string(want) + " right-edge hashes, got " +
                           std::to_string(right_edge.size()));
  }
  CompactRange range;
  range.size_ = size;
  range.right_edge_ = std::move(right_edge);
  return range;
}

void CompactRange::Append(const Hash& leaf_hash, const NodeFn& on_node) {
  Hash carry = leaf_hash;
  uint64_t index = size_;  // index of `carry` at its level
  unsigned level = 0;
  // Each trailing set bit of size_ is a perfect subtree of the same height as `carry`, just
  // to its left: merge them, as in binary addition.
  for (uint64_t bits = size_; (bits & 1) == 1; bits >>= 1) {
    carry = NodeHash(right_edge_.back(), carry);
    right_edge_.pop_back();
    ++level;
    index >>= 1;
    if (on_node) on_node(level, index, carry);
  }
  right_edge_.push_back(carry);
  ++size_;
}

Hash CompactRange::Root() const { return FoldRightEdge(right_edge_); }

MerkleTree::MerkleTree(std::span<const Hash> leaf_hashes) {
  for (const Hash& h : leaf_hashes) Append(h);
}

void MerkleTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // A new node completes at level k+1 whenever level k gets an even number of nodes.
  for (size_t k = 0; levels_[k].size() % 2 == 0; ++k) {
    if (k + 1 == levels_.size()) levels_.emplace_back();
    const std::vector<Hash>& below = levels_[k];
    Hash parent = NodeHash(below[below.size() - 2], below.back());
    levels_[k + 1].push_back(parent);
  }
}

Hash MerkleTree::Root() const { return RootAt(size()).value_or(Hash{}); }

Result<Hash> MerkleTree::RootAt(uint64_t size) const {
  if (size > this->size()) {
    return OutOfRange("merkle: no root for size " + std::to_string(size) + ", the tree has " +
                      std::to_string(this->size()) + " leaves");
  }
  // The first `size` leaves are the perfect subtrees of the set bits of size, largest first.
  std::vector<Hash> edge;
  uint64_t begin = 0;
  for (int k = 63; k >= 0; --k) {
    uint64_t width = uint64_t{1} << k;
    if ((size & width) == 0) continue;
    edge.push_back(levels_[static_cast<size_t>(k)][begin >> k]);
    begin += width;
  }
  return FoldRightEdge(edge);
}

Result<Hash> MerkleTree::DoLeafHashAt(uint64_t index) const { return DoPerfectSubtree(0, index); }

Result<Hash> MerkleTree::DoPerfectSubtree(unsigned level, uint64_t index) const {
  if (level >= levels_.size() || index >= levels_[level].size()) {
    return OutOfRange("merkle: node (" + std::to_string(level) + ", " + std::to_string(index) +
                      ") is not in a tree of " + std::to_string(size()) + " leaves");
  }
  return levels_[level][index];
}

}  // namespace carnet::crypto::merkle
