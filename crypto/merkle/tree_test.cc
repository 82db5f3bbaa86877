// Property tests: the incremental structures and the proof generators against the literal
// RFC 6962 definitions (testing/reference.h), for every tree size up to 70 and every index /
// old size, so that each shape of right edge (all 7 bit patterns of depth) is covered.
#include "crypto/merkle/tree.h"

#include <CppUTest/TestHarness.h>

#include <algorithm>
#include <bit>
#include <tuple>
#include <vector>

#include "crypto/merkle/testing/reference.h"
#include "crypto/merkle/verify.h"

namespace carnet::crypto::merkle {
namespace {

constexpr size_t kMaxSize = 70;

bool SameProof(const Proof& a, const Proof& b) { return a == b; }

}  // namespace

TEST_GROUP(MerkleProperty) { std::vector<Hash> all = testing::SyntheticLeafHashes(kMaxSize); };

TEST(MerkleProperty, IncrementalRootsMatchTheDefinition) {
  CompactRange range;
  MerkleTree tree;
  CHECK(range.Root() == EmptyRoot());
  CHECK(tree.Root() == EmptyRoot());
  for (size_t n = 1; n <= kMaxSize; ++n) {
    range.Append(all[n - 1]);
    tree.Append(all[n - 1]);
    Hash want = testing::RefRoot(testing::Slice(all, 0, n));
    CHECK(range.Root() == want);
    CHECK(tree.Root() == want);
    LONGS_EQUAL(std::popcount(n), range.right_edge().size());
  }
  // Past roots from the full tree.
  for (size_t n = 0; n <= kMaxSize; ++n) {
    Result<Hash> past = tree.RootAt(n);
    CHECK_TRUE(past.ok());
    CHECK(*past == testing::RefRoot(testing::Slice(all, 0, n)));
  }
  CHECK(tree.RootAt(kMaxSize + 1).status().code() == StatusCode::kOutOfRange);
}

TEST(MerkleProperty, AppendReportsEveryInteriorNodeOnce) {
  std::vector<std::tuple<unsigned, uint64_t, Hash>> nodes;
  CompactRange range;
  for (size_t n = 0; n < kMaxSize; ++n) {
    range.Append(all[n], [&](unsigned level, uint64_t index, const Hash& h) {
      nodes.emplace_back(level, index, h);
    });
  }
  std::sort(nodes.begin(), nodes.end());
  CHECK(std::adjacent_find(nodes.begin(), nodes.end(), [](const auto& a, const auto& b) {
          return std::get<0>(a) == std::get<0>(b) && std::get<1>(a) == std::get<1>(b);
        }) == nodes.end());
  // Exactly the perfect subtrees of size >= 2 inside the first kMaxSize leaves.
  size_t expected = 0;
  for (unsigned level = 1; (size_t{1} << level) <= kMaxSize; ++level) {
    expected += kMaxSize >> level;
  }
  LONGS_EQUAL(expected, nodes.size());
  MerkleTree tree(all);
  for (const auto& [level, index, hash] : nodes) {
    Result<Hash> stored = tree.PerfectSubtree(level, index);
    CHECK_TRUE(stored.ok());
    CHECK(*stored == hash);
  }
}

TEST(MerkleProperty, CompactRangeRestoresFromItsRightEdge) {
  for (size_t n = 0; n <= kMaxSize; n += 7) {
    CompactRange range;
    for (size_t i = 0; i < n; ++i) range.Append(all[i]);
    Result<CompactRange> restored = CompactRange::FromRightEdge(n, range.right_edge());
    CHECK_TRUE(restored.ok());
    for (size_t i = n; i < kMaxSize; ++i) restored->Append(all[i]);
    CHECK(restored->Root() == testing::RefRoot(all));
  }
  // One hash per set bit of the size, no more, no less.
  std::vector<Hash> three(3, all[0]);
  CHECK(CompactRange::FromRightEdge(5, three).status().code() == StatusCode::kInvalidArgument);
  CHECK(CompactRange::FromRightEdge(7, three).ok());
}

TEST(MerkleProperty, InclusionProofsMatchTheDefinitionAndVerify) {
  MerkleTree tree(all);
  FunctionTreeReader leaves_only([&](uint64_t i) -> Result<Hash> { return all.at(i); });
  for (size_t n = 1; n <= kMaxSize; ++n) {
    std::vector<Hash> d = testing::Slice(all, 0, n);
    Hash root = testing::RefRoot(d);
    for (size_t m = 0; m < n; ++m) {
      Proof want = testing::RefPath(m, d);
      Result<Proof> fast = InclusionProof(tree, m, n);
      Result<Proof> slow = InclusionProof(leaves_only, m, n);
      CHECK_TRUE(fast.ok() && slow.ok());
      CHECK_TRUE(SameProof(want, *fast));
      CHECK_TRUE(SameProof(want, *slow));
      LONGS_EQUAL(want.size(), InclusionProofLength(m, n));
      CHECK_TRUE(VerifyInclusion(m, n, d[m], want, root).ok());
    }
  }
}

TEST(MerkleProperty, ConsistencyProofsMatchTheDefinitionAndVerify) {
  MerkleTree tree(all);
  FunctionTreeReader leaves_only([&](uint64_t i) -> Result<Hash> { return all.at(i); });
  for (size_t n = 1; n <= kMaxSize; ++n) {
    std::vector<Hash> d = testing::Slice(all, 0, n);
    Hash root = testing::RefRoot(d);
    for (size_t m = 1; m <= n; ++m) {
      Proof want = testing::RefSubproof(m, d, true);
      Result<Proof> fast = ConsistencyProof(tree, m, n);
      Result<Proof> slow = ConsistencyProof(leaves_only, m, n);
      CHECK_TRUE(fast.ok() && slow.ok());
      CHECK_TRUE(SameProof(want, *fast));
      CHECK_TRUE(SameProof(want, *slow));
      LONGS_EQUAL(want.size(), ConsistencyProofLength(m, n));
      Hash old_root = testing::RefRoot(testing::Slice(all, 0, m));
      CHECK_TRUE(VerifyConsistency(m, n, old_root, root, want).ok());
    }
  }
}

TEST(MerkleProperty, StoredNodesMakeProofsLogarithmic) {
  // Count backend lookups: with stored perfect subtrees a proof in a tree of 2^16 + 3 leaves
  // needs O(log n) of them, with leaves only it needs about n.
  std::vector<Hash> big = testing::SyntheticLeafHashes((1u << 16) + 3);
  MerkleTree tree(big);
  struct Counting final : TreeReader {
    explicit Counting(const MerkleTree& t) : tree(t) {}
    const MerkleTree& tree;
    mutable size_t lookups = 0;
    Result<Hash> DoLeafHashAt(uint64_t i) const override {
      ++lookups;
      return tree.LeafHashAt(i);
    }
    Result<Hash> DoPerfectSubtree(unsigned level, uint64_t i) const override {
      ++lookups;
      return tree.PerfectSubtree(level, i);
    }
  } counting(tree);
  Result<Proof> proof = InclusionProof(counting, 12345, big.size());
  CHECK_TRUE(proof.ok());
  CHECK(counting.lookups <= 2 * 17);
  CHECK_TRUE(VerifyInclusion(12345, big.size(), big[12345], *proof, tree.Root()).ok());
  counting.lookups = 0;
  Result<Proof> consistency = ConsistencyProof(counting, 40000, big.size());
  CHECK_TRUE(consistency.ok());
  CHECK(counting.lookups <= 2 * 17);
  Hash old_root = tree.RootAt(40000).value_or(Hash{});
  CHECK_TRUE(VerifyConsistency(40000, big.size(), old_root, tree.Root(), *consistency).ok());
}

}  // namespace carnet::crypto::merkle
