#include "node/trace/tree_head.h"

#include <string>
#include <vector>

#include "node/trace/entry.h"

namespace carnet::node::trace {
namespace {

constexpr uint8_t kVersionV1 = 0;              // RFC 6962 §3.2: enum { v1(0) } Version
constexpr uint8_t kSignatureTypeTreeHash = 1;  // enum { certificate_timestamp(0), tree_hash(1) }

}  // namespace

Bytes TreeHeadSignatureInput(uint64_t tree_size,
                             uint64_t timestamp_ms,
                             const crypto::merkle::Hash& root) {
  Bytes out;
  out.reserve(kTreeHeadSignatureSize);
  out.push_back(kVersionV1);
  out.push_back(kSignatureTypeTreeHash);
  AppendU64Be(out, timestamp_ms);
  AppendU64Be(out, tree_size);
  Append(out, root);
  return out;
}

Result<SignedTreeHead> SignTreeHead(uint64_t tree_size,
                                    uint64_t timestamp_ms,
                                    const crypto::merkle::Hash& root,
                                    const crypto::PrivateKey& log_key,
                                    Random& rng) {
  if (log_key.type() != crypto::KeyType::kEcP256) {
    return InvalidArgument("tree head: the log key must be EC P-256");
  }
  SignedTreeHead head{tree_size, timestamp_ms, root, {}};
  CARNET_ASSIGN_OR_RETURN(Bytes raw,
                          log_key.Sign(crypto::SignatureScheme::kEs256,
                                       TreeHeadSignatureInput(tree_size, timestamp_ms, root), rng));
  CARNET_ASSIGN_OR_RETURN(head.signature, crypto::EcdsaRawToDer(raw));
  return head;
}

Status VerifySignedTreeHead(const SignedTreeHead& head, const crypto::PublicKey& log_key) {
  // Strict DER first: a signature with another encoding of the same (r, s) is refused, so a
  // head has exactly one valid byte form (no malleability for whoever stores or compares them).
  auto raw = crypto::EcdsaDerToRaw(head.signature);
  if (!raw.ok()) return raw.status().Annotate("tree head signature");
  Status verified =
      log_key.Verify(crypto::SignatureScheme::kEs256,
                     TreeHeadSignatureInput(head.tree_size, head.timestamp_ms, head.root), *raw);
  return verified.ok() ? verified : verified.Annotate("tree head");
}

Status VerifyLog(std::span<const Bytes> entries,
                 const SignedTreeHead& head,
                 const crypto::PublicKey& log_key) {
  CARNET_TRY(VerifySignedTreeHead(head, log_key));
  if (entries.size() != head.tree_size) {
    return InvalidArgument("log: " + std::to_string(entries.size()) +
                           " entries but the head is for " + std::to_string(head.tree_size));
  }
  std::vector<crypto::merkle::Hash> leaves;
  leaves.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    auto decoded = DecodeEntry(entries[i]);
    if (!decoded.ok()) return decoded.status().Annotate("log entry " + std::to_string(i));
    leaves.push_back(crypto::merkle::LeafHash(entries[i]));
  }
  if (crypto::merkle::Root(leaves) != head.root) {
    return Unauthenticated("log: the entries do not hash to the signed root");
  }
  return Status::Ok();
}

}  // namespace carnet::node::trace
