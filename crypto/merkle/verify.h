#pragma once
// Verification of inclusion and consistency proofs: RFC 9162 §2.1.3.2 and §2.1.4.2, the
// bit-shifting algorithms, so that a verifier never needs the tree.
//
// Every failure returns a non-OK Status whose message is the reason (the CLI prints it after
// "invalid: "):
//   kInvalidArgument  the claim is impossible before any hashing: index >= size, old size 0,
//                     old size > new size, a proof of the wrong length;
//   kUnauthenticated  the hashes do not lead to the given root(s): a tampered proof, leaf,
//                     root, or the wrong index/size for this proof.
// A proof's length is fully determined by (index, size) or (old size, size); checking it
// first means a padded or truncated proof is rejected with a precise reason, and bounds the
// work an attacker-supplied proof can cause to 64 hashes.

#include <cstdint>
#include <span>

#include "crypto/merkle/merkle.h"

namespace carnet::crypto::merkle {

// Recomputes the root from a leaf hash and its audit path (RFC 9162 §2.1.3.2 steps 1-4).
Result<Hash> RootFromInclusionProof(uint64_t index,
                                    uint64_t size,
                                    const Hash& leaf_hash,
                                    std::span<const Hash> proof);

// OK iff `proof` shows that the leaf with hash `leaf_hash` is at `index` in the tree of
// `size` leaves whose root is `root`.
Status VerifyInclusion(uint64_t index,
                       uint64_t size,
                       const Hash& leaf_hash,
                       std::span<const Hash> proof,
                       const Hash& root);

// OK iff `proof` shows that the tree of `old_size` leaves with root `old_root` is a prefix of
// the tree of `size` leaves with root `root`. old_size == size needs an empty proof and equal
// roots. old_size == 0 is rejected: RFC 9162 has no proof from the empty tree, and accepting
// one would "prove" consistency with any root.
Status VerifyConsistency(uint64_t old_size,
                         uint64_t size,
                         const Hash& old_root,
                         const Hash& root,
                         std::span<const Hash> proof);

}  // namespace carnet::crypto::merkle
