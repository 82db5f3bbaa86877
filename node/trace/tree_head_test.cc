#include "node/trace/tree_head.h"

#include <CppUTest/TestHarness.h>

#include <vector>

#include "crypto/core/random.h"
#include "node/trace/entry.h"
#include "node/trace/trace_test_util.h"

namespace carnet::node::trace {
namespace {

using crypto::merkle::Hash;

Hash Filled(uint8_t byte) {
  Hash h;
  h.fill(byte);
  return h;
}

}  // namespace

TEST_GROUP(TreeHead) {
  Random& rng = crypto::Drbg::ForThread();
  crypto::PrivateKey key = std::move(*crypto::PrivateKey::GenerateEcP256(rng));
};

TEST(TreeHead, SignedBytesAreTheRfc6962TreeHeadSignature) {
  // RFC 6962 §3.5, TLS encoding (RFC 5246 §4): version v1 = 0 (1 byte), signature_type
  // tree_hash = 1 (1 byte), uint64 timestamp, uint64 tree_size, then the 32-byte root.
  // Written out by hand rather than through the code under test.
  const std::string expected =
      "00"
      "01"
      "0000019e70448a0b"  // timestamp 1780000000523 ms
      "0000000000000101"  // tree size 257
      "abababababababababababababababababababababababababababababababab";
  Bytes input = TreeHeadSignatureInput(257, 1'780'000'000'523, Filled(0xab));
  LONGS_EQUAL(kTreeHeadSignatureSize, input.size());
  STRCMP_EQUAL(expected.c_str(), HexEncode(input).c_str());
}

TEST(TreeHead, SignatureIsDerEcdsaOverTheStructure) {
  auto head = SignTreeHead(257, 1'780'000'000'523, Filled(0xab), key, rng);
  CHECK_TRUE_TEXT(head.ok(), head.status().ToString().c_str());
  LONGS_EQUAL(257, static_cast<long>(head->tree_size));
  BYTES_EQUAL(0x30, head->signature[0]);  // DER SEQUENCE
  // Independent check: the raw form of the signature verifies over the hand-built bytes.
  auto raw = crypto::EcdsaDerToRaw(head->signature);
  CHECK_TRUE(raw.ok());
  auto hand_built = HexDecode(
      "00010000019e70448a0b0000000000000101"
      "abababababababababababababababababababababababababababababababab");
  CHECK_TRUE(key.public_key().Verify(crypto::SignatureScheme::kEs256, *hand_built, *raw).ok());
  CHECK_TRUE(VerifySignedTreeHead(*head, key.public_key()).ok());
}

TEST(TreeHead, AnyChangeToTheHeadIsRefused) {
  SignedTreeHead good = *SignTreeHead(10, 5000, Filled(0x01), key, rng);
  SignedTreeHead h = good;
  h.tree_size = 11;
  CHECK_TRUE(VerifySignedTreeHead(h, key.public_key()).code() == StatusCode::kUnauthenticated);
  h = good;
  h.timestamp_ms = 5001;
  CHECK_TRUE(VerifySignedTreeHead(h, key.public_key()).code() == StatusCode::kUnauthenticated);
  h = good;
  h.root[31] ^= 1;
  CHECK_TRUE(VerifySignedTreeHead(h, key.public_key()).code() == StatusCode::kUnauthenticated);
  auto other = crypto::PrivateKey::GenerateEcP256(rng);
  CHECK_TRUE(VerifySignedTreeHead(good, other->public_key()).code() ==
             StatusCode::kUnauthenticated);
}

TEST(TreeHead, MalformedSignaturesAreRefused) {
  SignedTreeHead h = *SignTreeHead(10, 5000, Filled(0x01), key, rng);
  Bytes der = h.signature;
  h.signature = *crypto::EcdsaDerToRaw(der);  // raw r||s is not DER
  CHECK_TRUE(VerifySignedTreeHead(h, key.public_key()).code() == StatusCode::kInvalidArgument);
  h.signature = der;
  h.signature.push_back(0);  // trailing byte
  CHECK_TRUE(VerifySignedTreeHead(h, key.public_key()).code() == StatusCode::kInvalidArgument);
  h.signature.clear();
  CHECK_TRUE(VerifySignedTreeHead(h, key.public_key()).code() == StatusCode::kInvalidArgument);
}

TEST(TreeHead, OnlyAP256KeySigns) {
  auto rsa = crypto::PrivateKey::GenerateRsa(rng, 2048);
  CHECK_TRUE(rsa.ok());
  CHECK_TRUE(SignTreeHead(1, 1, Filled(0), *rsa, rng).status().code() ==
             StatusCode::kInvalidArgument);
}

TEST_GROUP(VerifyLog) {
  Random& rng = crypto::Drbg::ForThread();
  crypto::PrivateKey key = std::move(*crypto::PrivateKey::GenerateEcP256(rng));
  std::vector<Bytes> entries;
  SignedTreeHead head;

  void setup() override {
    std::vector<Hash> leaves;
    for (int i = 0; i < 7; ++i) {
      entries.push_back(*EncodeEntry(testing::SampleEntry(i)));
      leaves.push_back(crypto::merkle::LeafHash(entries.back()));
    }
    head = *SignTreeHead(7, 9000, crypto::merkle::Root(leaves), key, rng);
  }
};

TEST(VerifyLog, TheWholeLogMatchesItsHead) {
  Status s = VerifyLog(entries, head, key.public_key());
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
}

TEST(VerifyLog, AMissingEntryIsRefused) {
  entries.pop_back();
  CHECK_TRUE(VerifyLog(entries, head, key.public_key()).code() == StatusCode::kInvalidArgument);
}

TEST(VerifyLog, AReplacedEntryIsRefused) {
  TraceEntry forged = testing::SampleEntry(3);
  forged.decision = Decision::kAllow;  // a deny rewritten as an allow
  entries[3] = *EncodeEntry(forged);
  CHECK_TRUE(VerifyLog(entries, head, key.public_key()).code() == StatusCode::kUnauthenticated);
}

TEST(VerifyLog, SwappedEntriesAreRefused) {
  std::swap(entries[1], entries[2]);
  CHECK_TRUE(VerifyLog(entries, head, key.public_key()).code() == StatusCode::kUnauthenticated);
}

TEST(VerifyLog, AnUndecodableEntryIsRefused) {
  entries[0].push_back(0x00);
  Status s = VerifyLog(entries, head, key.public_key());
  CHECK_TRUE(s.code() == StatusCode::kInvalidArgument);
  CHECK_TRUE(s.message().find("log entry 0") != std::string::npos);
}

TEST(VerifyLog, ABadHeadSignatureIsRefused) {
  head.timestamp_ms += 1;
  CHECK_TRUE(VerifyLog(entries, head, key.public_key()).code() == StatusCode::kUnauthenticated);
}

}  // namespace carnet::node::trace
