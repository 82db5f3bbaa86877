#include "crypto/merkle/merkle.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string>

namespace carnet::crypto::merkle {
namespace {

// v >> n, defined for every n (a shift by 64 is undefined behaviour in C++).
uint64_t ShiftRight(uint64_t v, unsigned n) { return n >= 64 ? 0 : v >> n; }

// Largest power of two strictly smaller than n (n >= 2): the split point of RFC 6962 §2.1.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

Status CheckSize(uint64_t size) {
  // 2^63 leaves would never fit anywhere; refusing them keeps every shift below well defined.
  if (size > (uint64_t{1} << 62)) return InvalidArgument("merkle: tree size too large");
  return Status::Ok();
}

// PATH(m, D[begin:end]) appended to `out`, leaf first (RFC 6962 §2.1.1).
Status AppendPath(const TreeReader& reader, uint64_t m, uint64_t begin, uint64_t end, Proof& out) {
  uint64_t n = end - begin;
  if (n <= 1) return Status::Ok();
  uint64_t k = SplitPoint(n);
  if (m < k) {
    CARNET_TRY(AppendPath(reader, m, begin, begin + k, out));
    CARNET_ASSIGN_OR_RETURN(Hash right, SubtreeRoot(reader, begin + k, end));
    out.push_back(right);
  } else {
    CARNET_TRY(AppendPath(reader, m - k, begin + k, end, out));
    CARNET_ASSIGN_OR_RETURN(Hash left, SubtreeRoot(reader, begin, begin + k));
    out.push_back(left);
  }
  return Status::Ok();
}

// SUBPROOF(m, D[begin:end], b) appended to `out` (RFC 6962 §2.1.2).
Status AppendSubproof(
    const TreeReader& reader, uint64_t m, uint64_t begin, uint64_t end, bool b, Proof& out) {
  uint64_t n = end - begin;
  if (m == n) {
    if (b) return Status::Ok();
    CARNET_ASSIGN_OR_RETURN(Hash h, SubtreeRoot(reader, begin, end));
    out.push_back(h);
    return Status::Ok();
  }
  uint64_t k = SplitPoint(n);
  if (m <= k) {
    CARNET_TRY(AppendSubproof(reader, m, begin, begin + k, b, out));
    CARNET_ASSIGN_OR_RETURN(Hash right, SubtreeRoot(reader, begin + k, end));
    out.push_back(right);
  } else {
    CARNET_TRY(AppendSubproof(reader, m - k, begin + k, end, false, out));
    CARNET_ASSIGN_OR_RETURN(Hash left, SubtreeRoot(reader, begin, begin + k));
    out.push_back(left);
  }
  return Status::Ok();
}

}  // namespace

Hash LeafHash(ByteView entry) {
  static constexpr uint8_t kLeafPrefix[1] = {0x00};
  Sha256Hasher hasher;
  hasher.Update(kLeafPrefix);
  hasher.Update(entry);
  return hasher.Finish();
}

Hash NodeHash(const Hash& left, const Hash& right) {
  // 65 bytes on the stack: the hot path of every append and verification.
  std::array<uint8_t, 1 + 2 * sizeof(Hash)> buf;
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf.begin() + 1);
  std::copy(right.begin(), right.end(), buf.begin() + 1 + sizeof(Hash));
  return Sha256(buf);
}

Hash EmptyRoot() { return Sha256({}); }

Result<Hash> TreeReader::DoPerfectSubtree(unsigned level, uint64_t index) const {
  if (level == 0) return LeafHashAt(index);
  CARNET_ASSIGN_OR_RETURN(Hash left, PerfectSubtree(level - 1, index * 2));
  CARNET_ASSIGN_OR_RETURN(Hash right, PerfectSubtree(level - 1, index * 2 + 1));
  return NodeHash(left, right);
}

Result<Hash> SpanTreeReader::DoLeafHashAt(uint64_t index) const {
  if (index >= leaves_.size()) {
    return OutOfRange("merkle: leaf " + std::to_string(index) + " beyond the " +
                      std::to_string(leaves_.size()) + " leaves held");
  }
  return leaves_[index];
}

Result<Hash> SubtreeRoot(const TreeReader& reader, uint64_t begin, uint64_t end) {
  if (end < begin) return InvalidArgument("merkle: subtree end before its start");
  CARNET_TRY(CheckSize(end));
  uint64_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (std::has_single_bit(n) && begin % n == 0) {
    return reader.PerfectSubtree(static_cast<unsigned>(std::countr_zero(n)), begin / n);
  }
  uint64_t k = SplitPoint(n);
  CARNET_ASSIGN_OR_RETURN(Hash left, SubtreeRoot(reader, begin, begin + k));
  CARNET_ASSIGN_OR_RETURN(Hash right, SubtreeRoot(reader, begin + k, end));
  return NodeHash(left, right);
}

Result<Hash> Root(const TreeReader& reader, uint64_t size) { return SubtreeRoot(reader, 0, size); }

Hash Root(std::span<const Hash> leaves) {
  // Cannot fail: every index asked for is inside the span.
  return Root(SpanTreeReader(leaves), leaves.size()).value_or(Hash{});
}

Result<Proof> InclusionProof(const TreeReader& reader, uint64_t index, uint64_t size) {
  CARNET_TRY(CheckSize(size));
  if (index >= size) {
    return InvalidArgument("merkle: leaf index " + std::to_string(index) +
                           " is not in a tree of size " + std::to_string(size));
  }
  Proof proof;
  proof.reserve(InclusionProofLength(index, size));
  CARNET_TRY(AppendPath(reader, index, 0, size, proof));
  return proof;
}

Result<Proof> InclusionProof(std::span<const Hash> leaves, uint64_t index) {
  return InclusionProof(SpanTreeReader(leaves), index, leaves.size());
}

Result<Proof> ConsistencyProof(const TreeReader& reader, uint64_t old_size, uint64_t size) {
  CARNET_TRY(CheckSize(size));
  if (old_size == 0) return InvalidArgument("merkle: no consistency proof from the empty tree");
  if (old_size > size) {
    return InvalidArgument("merkle: old size " + std::to_string(old_size) +
                           " is larger than the new size " + std::to_string(size));
  }
  Proof proof;
  if (old_size == size) return proof;
  proof.reserve(ConsistencyProofLength(old_size, size));
  CARNET_TRY(AppendSubproof(reader, old_size, 0, size, true, proof));
  return proof;
}

Result<Proof> ConsistencyProof(std::span<const Hash> leaves, uint64_t old_size) {
  return ConsistencyProof(SpanTreeReader(leaves), old_size, leaves.size());
}

// The path splits into an "inner" part, below the level where index and size-1 first
// differ (one sibling per level), and a "border" part along the right edge (one sibling per
// set bit of what is left of the index). Same decomposition as transparency-dev/merkle.
size_t InclusionProofLength(uint64_t index, uint64_t size) {
  auto inner = static_cast<unsigned>(std::bit_width(index ^ (size - 1)));
  auto border = static_cast<unsigned>(std::popcount(ShiftRight(index, inner)));
  return size_t{inner} + border;
}

// A consistency proof is the inclusion proof of leaf old_size-1, minus the levels inside the
// largest perfect subtree the old tree ends with (its root is given once, unless the old tree
// is that subtree: then the verifier already knows it as the old root).
size_t ConsistencyProofLength(uint64_t old_size, uint64_t size) {
  if (old_size == size) return 0;
  auto inner = static_cast<unsigned>(std::bit_width((old_size - 1) ^ (size - 1)));
  auto border = static_cast<unsigned>(std::popcount(ShiftRight(old_size - 1, inner)));
  auto shift = static_cast<unsigned>(std::countr_zero(old_size));
  size_t seed = std::has_single_bit(old_size) ? 0 : 1;
  return seed + (inner - shift) + border;
}

}  // namespace carnet::crypto::merkle
