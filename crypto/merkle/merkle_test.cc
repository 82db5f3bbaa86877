// Known-answer tests against the reference tree of google/certificate-transparency,
// cpp/merkletree/merkle_tree_test.cc (kInputs, kSHA256Roots, kSHA256Paths, kSHA256Proofs).
// CT numbers leaves from 1 in its path vectors; our indices are 0-based.
#include "crypto/merkle/merkle.h"

#include <CppUTest/TestHarness.h>

#include <string>
#include <vector>

#include "crypto/merkle/testing/reference.h"

namespace carnet::crypto::merkle {
namespace {

using testing::HashFromHex;

// kSHA256Roots: roots of the reference tree for sizes 1..8.
const char* const kRoots[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct PathVector {
  uint64_t index;
  uint64_t size;
  std::vector<std::string> path;
};

// kSHA256Paths (the non-empty ones), leaf numbers converted to 0-based indices.
const std::vector<PathVector>& PathVectors() {
  static const std::vector<PathVector> kPaths = {
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  return kPaths;
}

struct ConsistencyVector {
  uint64_t old_size;
  uint64_t size;
  std::vector<std::string> proof;
};

// kSHA256Proofs.
const std::vector<ConsistencyVector>& ConsistencyVectors() {
  static const std::vector<ConsistencyVector> kProofs = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  return kProofs;
}

Proof ProofFromHex(const std::vector<std::string>& hex) {
  Proof p;
  for (const std::string& h : hex) p.push_back(HashFromHex(h));
  return p;
}

std::string Hex(const Hash& h) { return HexEncode(h); }

}  // namespace

TEST_GROUP(MerkleKnownAnswer) { std::vector<Hash> leaves = testing::ReferenceLeafHashes(); };

TEST(MerkleKnownAnswer, EmptyTreeIsSha256OfEmptyString) {
  // FIPS 180-4 / NIST CAVP: SHA-256("").
  STRCMP_EQUAL("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
               Hex(EmptyRoot()).c_str());
  STRCMP_EQUAL(Hex(EmptyRoot()).c_str(), Hex(Root(std::span<const Hash>())).c_str());
}

TEST(MerkleKnownAnswer, LeafAndNodeHashUseTheirPrefixes) {
  // Size-1 root = LeafHash("") = SHA-256(0x00); size-2 root = NodeHash of the first two.
  STRCMP_EQUAL(kRoots[0], Hex(LeafHash({})).c_str());
  STRCMP_EQUAL(kRoots[1], Hex(NodeHash(leaves[0], leaves[1])).c_str());
  // Without the prefix byte the hash would be SHA-256("") instead.
  CHECK(LeafHash({}) != EmptyRoot());
}

TEST(MerkleKnownAnswer, RootsForEverySize) {
  for (size_t n = 1; n <= 8; ++n) {
    std::span<const Hash> first(leaves.data(), n);
    STRCMP_EQUAL(kRoots[n - 1], Hex(Root(first)).c_str());
  }
}

TEST(MerkleKnownAnswer, InclusionProofs) {
  for (const PathVector& v : PathVectors()) {
    std::span<const Hash> tree(leaves.data(), v.size);
    Result<Proof> proof = InclusionProof(tree, v.index);
    CHECK_TRUE(proof.ok());
    Proof want = ProofFromHex(v.path);
    LONGS_EQUAL(want.size(), proof->size());
    LONGS_EQUAL(want.size(), InclusionProofLength(v.index, v.size));
    for (size_t i = 0; i < want.size(); ++i)
      STRCMP_EQUAL(Hex(want[i]).c_str(), Hex((*proof)[i]).c_str());
  }
}

TEST(MerkleKnownAnswer, ConsistencyProofs) {
  for (const ConsistencyVector& v : ConsistencyVectors()) {
    std::span<const Hash> tree(leaves.data(), v.size);
    Result<Proof> proof = ConsistencyProof(tree, v.old_size);
    CHECK_TRUE(proof.ok());
    Proof want = ProofFromHex(v.proof);
    LONGS_EQUAL(want.size(), proof->size());
    LONGS_EQUAL(want.size(), ConsistencyProofLength(v.old_size, v.size));
    for (size_t i = 0; i < want.size(); ++i)
      STRCMP_EQUAL(Hex(want[i]).c_str(), Hex((*proof)[i]).c_str());
  }
}

TEST(MerkleKnownAnswer, ProofRequestsOutsideTheTreeAreRefused) {
  std::span<const Hash> tree(leaves.data(), 8);
  CHECK(InclusionProof(tree, 8).status().code() == StatusCode::kInvalidArgument);
  CHECK(InclusionProof(std::span<const Hash>(), 0).status().code() == StatusCode::kInvalidArgument);
  CHECK(ConsistencyProof(tree, 0).status().code() == StatusCode::kInvalidArgument);
  SpanTreeReader reader(tree);
  CHECK(ConsistencyProof(reader, 5, 4).status().code() == StatusCode::kInvalidArgument);
  // A reader asked past its leaves reports it instead of reading out of bounds.
  CHECK(Root(reader, 9).status().code() == StatusCode::kOutOfRange);
  CHECK(InclusionProof(reader, 0, 9).status().code() == StatusCode::kOutOfRange);
}

TEST(MerkleKnownAnswer, BackendErrorsArePassedThrough) {
  FunctionTreeReader failing([](uint64_t i) -> Result<Hash> {
    if (i == 3) return Unavailable("disk gone");
    return LeafHash({});
  });
  Result<Hash> root = Root(failing, 8);
  CHECK(root.status().code() == StatusCode::kUnavailable);
  CHECK(InclusionProof(failing, 0, 8).status().code() == StatusCode::kUnavailable);
  CHECK_TRUE(Root(failing, 3).ok());
}

}  // namespace carnet::crypto::merkle
