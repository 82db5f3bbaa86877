#pragma once
// Signed tree heads (RFC 6962 §3.5) and whole-log verification.
//
// The node signs, with its ECDSA P-256 log key, the TLS-encoded (RFC 5246 §4) structure
//
//   digitally-signed struct {
//     Version version;                 // v1(0), 1 byte
//     SignatureType signature_type;    // tree_hash(1), 1 byte
//     uint64 timestamp;                // ms since the epoch, big-endian
//     uint64 tree_size;                // big-endian
//     opaque sha256_root_hash[32];
//   } TreeHeadSignature;               // 50 bytes
//
// with ECDSA over SHA-256, the signature DER-encoded (ECDSA-Sig-Value, RFC 5480 §2.2 / RFC
// 6962 §2.1.4 "ecdsa" as in Certificate Transparency). A verifier needs only the head, the
// node's public key, and the entries or a proof.

#include <cstdint>
#include <span>

#include "crypto/core/pk.h"
#include "crypto/merkle/merkle.h"
#include "hal/base/bytes.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::node::trace {

inline constexpr size_t kTreeHeadSignatureSize = 50;

struct SignedTreeHead {
  uint64_t tree_size = 0;
  uint64_t timestamp_ms = 0;
  crypto::merkle::Hash root{};
  Bytes signature;  // DER ECDSA-Sig-Value

  friend bool operator==(const SignedTreeHead&, const SignedTreeHead&) = default;
};

// The 50 bytes that are signed (the TreeHeadSignature above).
Bytes TreeHeadSignatureInput(uint64_t tree_size,
                             uint64_t timestamp_ms,
                             const crypto::merkle::Hash& root);

// Signs the head with an EC P-256 key (kInvalidArgument for any other key type).
Result<SignedTreeHead> SignTreeHead(uint64_t tree_size,
                                    uint64_t timestamp_ms,
                                    const crypto::merkle::Hash& root,
                                    const crypto::PrivateKey& log_key,
                                    Random& rng);

// OK iff `head.signature` is a strict-DER ES256 signature by `log_key` over the head's
// TreeHeadSignature. A malformed signature is kInvalidArgument; a key that is not P-256 or a
// signature that does not verify is kUnauthenticated/kInvalidArgument as PublicKey::Verify says.
Status VerifySignedTreeHead(const SignedTreeHead& head, const crypto::PublicKey& log_key);

// The whole-log audit: checks the head's signature, decodes every entry strictly
// (DecodeEntry), recomputes the Merkle tree over all of them and compares its size and root
// with the head. The first problem is returned with the index concerned (entry count
// mismatch, an undecodable entry: kInvalidArgument; root mismatch: kUnauthenticated).
Status VerifyLog(std::span<const Bytes> entries,
                 const SignedTreeHead& head,
                 const crypto::PublicKey& log_key);

}  // namespace carnet::node::trace
