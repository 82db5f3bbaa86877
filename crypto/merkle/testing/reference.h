#pragma once
// Test-only: the RFC 6962 §2.1 definitions written as literally as possible (recursion over
// copies of the leaf list), to check the real implementation against, and the reference tree
// of google/certificate-transparency (cpp/merkletree/merkle_tree_test.cc, kInputs).

#include <string>
#include <vector>

#include "crypto/merkle/merkle.h"

namespace carnet::crypto::merkle::testing {

inline std::vector<Hash> Slice(const std::vector<Hash>& d, size_t begin, size_t end) {
  return std::vector<Hash>(d.begin() + static_cast<std::ptrdiff_t>(begin),
                           d.begin() + static_cast<std::ptrdiff_t>(end));
}

inline size_t RefSplit(size_t n) {
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// MTH(D[n]) over leaf hashes.
inline Hash RefRoot(const std::vector<Hash>& d) {
  if (d.empty()) return EmptyRoot();
  if (d.size() == 1) return d[0];
  size_t k = RefSplit(d.size());
  return NodeHash(RefRoot(Slice(d, 0, k)), RefRoot(Slice(d, k, d.size())));
}

// PATH(m, D[n]).
inline Proof RefPath(size_t m, const std::vector<Hash>& d) {
  if (d.size() <= 1) return {};
  size_t k = RefSplit(d.size());
  Proof p;
  if (m < k) {
    p = RefPath(m, Slice(d, 0, k));
    p.push_back(RefRoot(Slice(d, k, d.size())));
  } else {
    p = RefPath(m - k, Slice(d, k, d.size()));
    p.push_back(RefRoot(Slice(d, 0, k)));
  }
  return p;
}

// SUBPROOF(m, D[n], b).
inline Proof RefSubproof(size_t m, const std::vector<Hash>& d, bool b) {
  if (m == d.size()) return b ? Proof{} : Proof{RefRoot(d)};
  size_t k = RefSplit(d.size());
  Proof p;
  if (m <= k) {
    p = RefSubproof(m, Slice(d, 0, k), b);
    p.push_back(RefRoot(Slice(d, k, d.size())));
  } else {
    p = RefSubproof(m - k, Slice(d, k, d.size()), false);
    p.push_back(RefRoot(Slice(d, 0, k)));
  }
  return p;
}

inline Hash HashFromHex(const std::string& hex) {
  Hash h{};
  Result<Bytes> b = HexDecode(hex);
  if (b.ok() && b->size() == h.size()) std::copy(b->begin(), b->end(), h.begin());
  return h;
}

// The eight entries of the certificate-transparency reference tree, as hex.
inline const std::vector<std::string>& ReferenceInputsHex() {
  static const std::vector<std::string> kInputs = {"",
                                                   "00",
                                                   "10",
                                                   "2021",
                                                   "3031",
                                                   "40414243",
                                                   "5051525354555657",
                                                   "606162636465666768696a6b6c6d6e6f"};
  return kInputs;
}

inline std::vector<Hash> ReferenceLeafHashes() {
  std::vector<Hash> leaves;
  for (const std::string& hex : ReferenceInputsHex()) {
    leaves.push_back(LeafHash(HexDecode(hex).value_or(Bytes{})));
  }
  return leaves;
}

// Leaf hashes of `n` distinct one-byte-or-more entries, for property tests.
inline std::vector<Hash> SyntheticLeafHashes(size_t n) {
  std::vector<Hash> leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back(LeafHash(AsBytes(std::to_string(i))));
  return leaves;
}

}  // namespace carnet::crypto::merkle::testing
