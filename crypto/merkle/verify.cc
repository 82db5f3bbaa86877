#include "crypto/merkle/verify.h"

#include <bit>
#include <string>

namespace carnet::crypto::merkle {
namespace {

// Roots are public, but comparing them in constant time costs nothing and removes a question.
bool SameHash(const Hash& a, const Hash& b) {
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
  return diff == 0;
}

Status WrongLength(const char* what, size_t got, size_t want) {
  return InvalidArgument(std::string("merkle: ") + what + " has " + std::to_string(got) +
                         " hashes, a valid one has " + std::to_string(want));
}

// Right-shifts fn and sn together until fn's low bit is set or fn is 0 (RFC 9162 step
// "right-shift both fn and sn equally until either LSB(fn) is set or fn is 0").
void ShiftWhileEven(uint64_t& fn, uint64_t& sn) {
  while (fn != 0 && (fn & 1) == 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

Result<Hash> RootFromInclusionProof(uint64_t index,
                                    uint64_t size,
                                    const Hash& leaf_hash,
                                    std::span<const Hash> proof) {
  // Step 1: a leaf cannot sit beyond the end of the tree.
  if (index >= size) {
    return InvalidArgument("merkle: leaf index " + std::to_string(index) +
                           " is not in a tree of size " + std::to_string(size));
  }
  // A padded proof could otherwise still verify if the extra hashes are ignored by a buggy
  // caller; a truncated one would verify against an interior node passed off as the root.
  size_t want = InclusionProofLength(index, size);
  if (proof.size() != want) return WrongLength("inclusion proof", proof.size(), want);

  // Steps 2-4.
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return InvalidArgument("merkle: inclusion proof longer than the tree is high");
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      if ((fn & 1) == 0) ShiftWhileEven(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // Step 5, first half: the path must reach the top of the tree.
  if (sn != 0) return InvalidArgument("merkle: inclusion proof shorter than the tree is high");
  return r;
}

Status VerifyInclusion(uint64_t index,
                       uint64_t size,
                       const Hash& leaf_hash,
                       std::span<const Hash> proof,
                       const Hash& root) {
  CARNET_ASSIGN_OR_RETURN(Hash computed, RootFromInclusionProof(index, size, leaf_hash, proof));
  if (!SameHash(computed, root)) {
    return Unauthenticated("merkle: inclusion proof does not lead to the given root (leaf, " +
                           std::string("index, size or a proof hash is wrong)"));
  }
  return Status::Ok();
}

namespace {

struct TwoRoots {
  Hash old_root;
  Hash root;
};

// RFC 9162 §2.1.4.2 steps 2-6 (and the sn check of step 7), for 0 < old_size < size and a
// proof of the right length: the old and new roots the proof leads to.
Result<TwoRoots> RootsFromConsistencyProof(uint64_t old_size,
                                           uint64_t size,
                                           const Hash& old_root,
                                           std::span<const Hash> proof) {
  // Step 2: when the old tree is a perfect subtree, its root is the proof's implicit seed.
  bool seeded = std::has_single_bit(old_size);
  // Steps 3-4.
  uint64_t fn = old_size - 1;
  uint64_t sn = size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  // Step 5.
  Hash fr = seeded ? old_root : proof[0];
  Hash sr = fr;
  // Step 6.
  for (const Hash& c : proof.subspan(seeded ? 0 : 1)) {
    if (sn == 0) return InvalidArgument("merkle: consistency proof longer than the tree is high");
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) ShiftWhileEven(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return InvalidArgument("merkle: consistency proof shorter than the tree is high");
  return TwoRoots{fr, sr};
}

}  // namespace

Status VerifyConsistency(uint64_t old_size,
                         uint64_t size,
                         const Hash& old_root,
                         const Hash& root,
                         std::span<const Hash> proof) {
  if (old_size == 0) return InvalidArgument("merkle: no consistency proof from the empty tree");
  if (old_size > size) {
    return InvalidArgument("merkle: old size " + std::to_string(old_size) +
                           " is larger than the new size " + std::to_string(size) +
                           " (a log never shrinks)");
  }
  size_t want = ConsistencyProofLength(old_size, size);
  if (proof.size() != want) return WrongLength("consistency proof", proof.size(), want);
  if (old_size == size) {
    if (!SameHash(old_root, root)) {
      return Unauthenticated("merkle: same size but different roots (the log forked)");
    }
    return Status::Ok();
  }
  CARNET_ASSIGN_OR_RETURN(TwoRoots got, RootsFromConsistencyProof(old_size, size, old_root, proof));
  // Step 7.
  if (!SameHash(got.old_root, old_root)) {
    return Unauthenticated("merkle: consistency proof does not lead to the old root");
  }
  if (!SameHash(got.root, root)) {
    return Unauthenticated("merkle: consistency proof does not lead to the new root");
  }
  return Status::Ok();
}

}  // namespace carnet::crypto::merkle
