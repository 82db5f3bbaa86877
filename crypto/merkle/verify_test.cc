// Verification: every way a proof is rejected, each with its own reason, on the reference tree
// and on every tree up to 40 leaves (the mutations of CT's MerkleVerifierTest::VerifierCheck).
#include "crypto/merkle/verify.h"

#include <CppUTest/TestHarness.h>

#include <string>
#include <vector>

#include "crypto/merkle/testing/reference.h"

namespace carnet::crypto::merkle {
namespace {

constexpr size_t kMaxSize = 40;

bool Contains(const Status& s, const char* text) {
  return s.message().find(text) != std::string::npos;
}

// Every single mutation of a valid inclusion claim must fail.
void CheckInclusionMutations(uint64_t m, uint64_t n, const std::vector<Hash>& d) {
  Hash root = testing::RefRoot(d);
  Proof proof = testing::RefPath(m, d);
  CHECK_TRUE(VerifyInclusion(m, n, d[m], proof, root).ok());
  // Wrong index or size. (Not n±1: a proof can be valid for several sizes whose trees have
  // the same shape on the leaf's path — it is the signed tree head that binds the size.)
  CHECK_FALSE(VerifyInclusion(m - 1, n, d[m], proof, root).ok());
  CHECK_FALSE(VerifyInclusion(m + 1, n, d[m], proof, root).ok());
  CHECK_FALSE(VerifyInclusion(m ^ 2, n, d[m], proof, root).ok());
  CHECK_FALSE(VerifyInclusion(m, n * 2, d[m], proof, root).ok());
  CHECK_FALSE(VerifyInclusion(m, n / 2, d[m], proof, root).ok());
  CHECK_FALSE(VerifyInclusion(m, n, LeafHash(AsBytes("WrongLeaf")), proof, root).ok());
  CHECK_FALSE(VerifyInclusion(m, n, d[m], proof, EmptyRoot()).ok());
  for (size_t j = 0; j < proof.size(); ++j) {
    Proof tampered = proof;
    tampered[j][j % 32] ^= 0x01;
    Status s = VerifyInclusion(m, n, d[m], tampered, root);
    CHECK(s.code() == StatusCode::kUnauthenticated);
  }
  Proof longer = proof;
  longer.push_back(root);
  CHECK(VerifyInclusion(m, n, d[m], longer, root).code() == StatusCode::kInvalidArgument);
  if (!proof.empty()) {
    Proof shorter(proof.begin(), proof.end() - 1);
    CHECK(VerifyInclusion(m, n, d[m], shorter, root).code() == StatusCode::kInvalidArgument);
  }
}

void CheckConsistencyMutations(uint64_t m, uint64_t n, const std::vector<Hash>& d) {
  Hash root = testing::RefRoot(d);
  Hash old_root = testing::RefRoot(testing::Slice(d, 0, m));
  Proof proof = testing::RefSubproof(m, d, true);
  CHECK_TRUE(VerifyConsistency(m, n, old_root, root, proof).ok());
  if (m == n) return;  // the trivial proof has no hashes to tamper with
  CHECK_FALSE(VerifyConsistency(m - 1, n, old_root, root, proof).ok());
  CHECK_FALSE(VerifyConsistency(m + 1, n, old_root, root, proof).ok());
  CHECK_FALSE(VerifyConsistency(m ^ 2, n, old_root, root, proof).ok());
  CHECK_FALSE(VerifyConsistency(m, n * 2, old_root, root, proof).ok());
  CHECK_FALSE(VerifyConsistency(m, n / 2, old_root, root, proof).ok());
  CHECK_FALSE(VerifyConsistency(m, n, root, old_root, proof).ok());  // swapped roots
  CHECK_FALSE(VerifyConsistency(m, n, old_root, EmptyRoot(), proof).ok());
  CHECK_FALSE(VerifyConsistency(m, n, EmptyRoot(), root, proof).ok());
  for (size_t j = 0; j < proof.size(); ++j) {
    Proof tampered = proof;
    tampered[j][31 - j % 32] ^= 0x80;
    CHECK(VerifyConsistency(m, n, old_root, root, tampered).code() == StatusCode::kUnauthenticated);
  }
  Proof longer = proof;
  longer.push_back(proof.back());
  CHECK(VerifyConsistency(m, n, old_root, root, longer).code() == StatusCode::kInvalidArgument);
  Proof shorter(proof.begin(), proof.end() - 1);
  CHECK(VerifyConsistency(m, n, old_root, root, shorter).code() == StatusCode::kInvalidArgument);
  CHECK(VerifyConsistency(m, n, old_root, root, Proof{}).code() == StatusCode::kInvalidArgument);
}

}  // namespace

TEST_GROUP(MerkleVerify) {
  std::vector<Hash> ref = testing::ReferenceLeafHashes();
  Hash ref_root = testing::RefRoot(ref);
};

TEST(MerkleVerify, ReferenceTreeClaimsAndTheirMutations) {
  for (uint64_t n = 1; n <= 8; ++n) {
    std::vector<Hash> d = testing::Slice(ref, 0, n);
    for (uint64_t m = 0; m < n; ++m) CheckInclusionMutations(m, n, d);
    for (uint64_t m = 1; m <= n; ++m) CheckConsistencyMutations(m, n, d);
  }
}

TEST(MerkleVerify, EveryClaimUpToFortyLeaves) {
  std::vector<Hash> all = testing::SyntheticLeafHashes(kMaxSize);
  for (uint64_t n = 1; n <= kMaxSize; ++n) {
    std::vector<Hash> d = testing::Slice(all, 0, n);
    for (uint64_t m = 0; m < n; ++m) CheckInclusionMutations(m, n, d);
    for (uint64_t m = 1; m <= n; ++m) CheckConsistencyMutations(m, n, d);
  }
}

TEST(MerkleVerify, InclusionReasons) {
  Proof proof = testing::RefPath(5, ref);
  Status s = VerifyInclusion(8, 8, ref[5], proof, ref_root);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_TRUE(Contains(s, "not in a tree of size 8"));
  s = VerifyInclusion(0, 0, ref[0], {}, EmptyRoot());
  CHECK_TRUE(Contains(s, "not in a tree of size 0"));
  s = VerifyInclusion(5, 8, ref[5], std::span<const Hash>(proof).first(2), ref_root);
  CHECK_TRUE(Contains(s, "has 2 hashes, a valid one has 3"));
  proof[1][0] ^= 1;
  s = VerifyInclusion(5, 8, ref[5], proof, ref_root);
  CHECK(s.code() == StatusCode::kUnauthenticated);
  CHECK_TRUE(Contains(s, "does not lead to the given root"));
}

TEST(MerkleVerify, ConsistencyReasons) {
  Hash root6 = testing::RefRoot(testing::Slice(ref, 0, 6));
  Proof proof = testing::RefSubproof(6, ref, true);
  Status s = VerifyConsistency(0, 8, EmptyRoot(), ref_root, {});
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_TRUE(Contains(s, "empty tree"));
  s = VerifyConsistency(9, 8, root6, ref_root, proof);
  CHECK_TRUE(Contains(s, "larger than the new size"));
  s = VerifyConsistency(8, 8, root6, ref_root, {});
  CHECK(s.code() == StatusCode::kUnauthenticated);
  CHECK_TRUE(Contains(s, "forked"));
  s = VerifyConsistency(8, 8, ref_root, ref_root, proof);
  CHECK_TRUE(Contains(s, "has 3 hashes, a valid one has 0"));
  s = VerifyConsistency(6, 8, EmptyRoot(), ref_root, proof);
  CHECK_TRUE(Contains(s, "old root"));
  s = VerifyConsistency(6, 8, root6, EmptyRoot(), proof);
  CHECK_TRUE(Contains(s, "new root"));
  CHECK_TRUE(VerifyConsistency(6, 8, root6, ref_root, proof).ok());
}

TEST(MerkleVerify, HugeSizesDoNotOverflow) {
  // A proof for the last leaf of a 2^62-leaf tree has 62 hashes; a claim with the wrong number
  // is refused before any hashing.
  uint64_t n = uint64_t{1} << 62;
  LONGS_EQUAL(62, InclusionProofLength(n - 1, n));
  CHECK(VerifyInclusion(n - 1, n, ref[0], {}, ref_root).code() == StatusCode::kInvalidArgument);
  CHECK(VerifyInclusion(~uint64_t{0} - 1, ~uint64_t{0}, ref[0], {}, ref_root).code() ==
        StatusCode::kInvalidArgument);
  CHECK(VerifyConsistency(3, ~uint64_t{0}, ref[0], ref_root, {}).code() ==
        StatusCode::kInvalidArgument);
  LONGS_EQUAL(65, ConsistencyProofLength(3, ~uint64_t{0}));  // 64 levels + the seed
  LONGS_EQUAL(64, InclusionProofLength(0, ~uint64_t{0}));
}

}  // namespace carnet::crypto::merkle
