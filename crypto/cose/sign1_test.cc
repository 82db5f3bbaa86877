#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/cose/cose_test_util.h"

namespace carnet::crypto::cose {
namespace {

using namespace testing;

const Bytes kPayload = ToBytes("{\"action\":\"deposit\"}");

Sign1 SignAndDecode(const PrivateKey& key,
                    SignatureScheme scheme,
                    const std::vector<Bytes>& chain = {},
                    const SignOptions& options = SignOptions{}) {
  auto signed_bytes = Sign(key, scheme, kPayload, chain, options);
  CHECK_TEXT(signed_bytes.ok(), signed_bytes.status().message().c_str());
  auto decoded = Decode(*signed_bytes);
  CHECK_TEXT(decoded.ok(), decoded.status().message().c_str());
  return *decoded;
}

void ExpectUnauthenticated(const Status& s, const char* what) {
  CHECK_TEXT(!s.ok(), what);
  CHECK(s.code() == StatusCode::kUnauthenticated);
  STRCMP_CONTAINS(what, s.message().c_str());
}

TEST_GROUP(CoseSign1){};

TEST(CoseSign1, RoundTripEs256) {
  Sign1 m = SignAndDecode(EcKey(), SignatureScheme::kEs256);
  STRCMP_EQUAL("a10126", HexEncode(m.protected_bytes).c_str());  // {1: -7}
  CHECK(m.payload == kPayload);
  CHECK(m.alg == SignatureScheme::kEs256);
  CHECK(m.x5chain.empty());
  CHECK_EQUAL(64u, m.signature.size());
  CHECK(Verify(m, EcKey().public_key()).ok());
}

TEST(CoseSign1, RoundTripRs256) {
  Sign1 m = SignAndDecode(RsaKey(), SignatureScheme::kRs256);
  STRCMP_EQUAL("a101390100", HexEncode(m.protected_bytes).c_str());  // {1: -257}
  CHECK_EQUAL(256u, m.signature.size());
  Status s = Verify(m, RsaKey().public_key());
  CHECK_TEXT(s.ok(), s.message().c_str());
}

TEST(CoseSign1, RoundTripPs256) {
  Sign1 m = SignAndDecode(RsaKey(), SignatureScheme::kPs256);
  STRCMP_EQUAL("a1013824", HexEncode(m.protected_bytes).c_str());  // {1: -37}
  CHECK(Verify(m, RsaKey().public_key()).ok());
  // The same key under the other RSA alg must not verify: the alg is bound.
  m.alg = SignatureScheme::kRs256;
  ExpectUnauthenticated(Verify(m, RsaKey().public_key()), "alg does not match");
}

TEST(CoseSign1, X5ChainIsProtectedBstrOrArray) {
  const Bytes leaf = {0x30, 0x01, 0xaa};
  const Bytes ca = {0x30, 0x01, 0xbb};
  Sign1 one = SignAndDecode(EcKey(), SignatureScheme::kEs256, {leaf});
  CHECK(one.protected_header.FindInt(kLabelX5Chain)->is(cbor::Type::kByteString));
  CHECK(one.x5chain == std::vector<Bytes>{leaf});
  Sign1 two = SignAndDecode(EcKey(), SignatureScheme::kEs256, {leaf, ca});
  CHECK(two.protected_header.FindInt(kLabelX5Chain)->is(cbor::Type::kArray));
  CHECK((two.x5chain == std::vector<Bytes>{leaf, ca}));
  CHECK(two.unprotected_header.AsMap()->empty());
  CHECK(Verify(two, EcKey().public_key()).ok());
}

// RFC 9052 Appendix C.2.1 "Single ECDSA Signature" (also cose-wg/Examples
// sign1-tests/sign-pass-01.json): key "11", P-256, x/y below; payload "This is the content.".
TEST(CoseSign1, Rfc9052AppendixC21Verifies) {
  const Bytes message = *HexDecode(
      "d28443a10126a10442313154546869732069732074686520636f6e74656e742e58408eb33e4ca31d1c465ab0"
      "5aac34cc6b23d58fef5c083106c4d25a91aef0b0117e2af9a291aa32e14ab834dc56ed2a223444547e01f11d"
      "3b0916e5a4c345cacb36");
  Bytes spki = *HexDecode("3059301306072a8648ce3d020106082a8648ce3d030107034200");
  spki.push_back(0x04);  // uncompressed point
  Append(spki, *Base64UrlDecode("usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8"));
  Append(spki, *Base64UrlDecode("IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4"));
  auto key = PublicKey::FromDer(spki);
  CHECK_TEXT(key.ok(), key.status().message().c_str());
  auto m = Decode(message);
  CHECK_TEXT(m.ok(), m.status().message().c_str());
  STRCMP_EQUAL("This is the content.", ToString(m->payload).c_str());
  // The published ToBeSigned bytes (cose-wg Examples, intermediates.ToBeSign_hex).
  STRCMP_EQUAL("846a5369676e61747572653143a101264054546869732069732074686520636f6e74656e742e",
               HexEncode(SigStructure(m->protected_bytes, {}, m->payload)).c_str());
  Status s = Verify(*m, *key);
  CHECK_TEXT(s.ok(), s.message().c_str());
  m->payload.back() ^= 1;
  ExpectUnauthenticated(Verify(*m, *key), "signature does not verify");
}

TEST(CoseSign1, TamperedPartsFail) {
  Sign1 good = SignAndDecode(EcKey(), SignatureScheme::kEs256);
  Sign1 m = good;
  m.payload[0] ^= 1;
  ExpectUnauthenticated(Verify(m, EcKey().public_key()), "signature does not verify");
  m = good;
  m.signature[10] ^= 1;
  ExpectUnauthenticated(Verify(m, EcKey().public_key()), "signature does not verify");
  // A protected header that still decodes (and has the same alg) but differs.
  m = good;
  Value h = AlgHeader(kAlgEs256);
  h.Insert(Value::Int(3), Value::Int(0));
  m.protected_bytes = cbor::Encode(h);
  ExpectUnauthenticated(Verify(m, EcKey().public_key()), "signature does not verify");
  ExpectUnauthenticated(Verify(good, EcKey().public_key(), AsBytes("aad")),
                        "signature does not verify");
  ExpectUnauthenticated(Verify(good, OtherEcKey().public_key()), "signature does not verify");
}

TEST(CoseSign1, FlippingAnyByteOfTheMessageIsCaught) {
  auto bytes = *Sign(EcKey(), SignatureScheme::kEs256, kPayload, {});
  for (size_t i = 0; i < bytes.size(); ++i) {
    Bytes flipped = bytes;
    flipped[i] ^= 0x01;
    auto m = Decode(flipped);
    if (m.ok()) CHECK_TEXT(!Verify(*m, EcKey().public_key()).ok(), std::to_string(i).c_str());
  }
}

TEST(CoseSign1, WrongKeyTypeIsRefused) {
  Sign1 es = SignAndDecode(EcKey(), SignatureScheme::kEs256);
  ExpectUnauthenticated(Verify(es, RsaKey().public_key()), "key type does not match alg ES256");
  Sign1 rs = SignAndDecode(RsaKey(), SignatureScheme::kRs256);
  ExpectUnauthenticated(Verify(rs, EcKey().public_key()), "key type does not match alg RS256");
  CHECK(!Sign(EcKey(), SignatureScheme::kPs256, kPayload, {}).ok());
}

TEST(CoseSign1, WrongRsaSignatureLengthIsRefused) {
  Sign1 rs = SignAndDecode(RsaKey(), SignatureScheme::kRs256);
  rs.signature.pop_back();
  ExpectUnauthenticated(Verify(rs, RsaKey().public_key()),
                        "RS256 signature is 255 bytes, expected 256");
}

TEST(CoseSign1, ExternalSignerSeesTheSigStructureAndVerifies) {
  Bytes seen;
  auto message = SignWith(
      [&](ByteView tbs) {
        seen.assign(tbs.begin(), tbs.end());
        return EcKey().Sign(SignatureScheme::kEs256, tbs, Drbg::ForThread());
      },
      SignatureScheme::kEs256, kPayload, {});
  CHECK_TEXT(message.ok(), message.status().message().c_str());
  auto decoded = Decode(*message);
  CHECK(decoded.ok());
  CHECK(seen == SigStructure(decoded->protected_bytes, {}, kPayload));
  CHECK(Verify(*decoded, EcKey().public_key()).ok());
}

TEST(CoseSign1, ExternalSignerFailureAndWrongLengthAreReported) {
  auto failed = SignWith([](ByteView) -> Result<Bytes> { return Unavailable("card removed"); },
                         SignatureScheme::kRs256, kPayload, {});
  CHECK(!failed.ok());
  STRCMP_CONTAINS("card removed", failed.status().message().c_str());
  auto short_sig = SignWith([](ByteView) -> Result<Bytes> { return Bytes(63, 1); },
                            SignatureScheme::kEs256, kPayload, {});
  CHECK(!short_sig.ok());
  STRCMP_CONTAINS("63-byte", short_sig.status().message().c_str());
}

TEST(CoseSign1, ExtraProtectedFieldsAreSignedAndChecked) {
  SignOptions options;
  options.extra_protected.emplace_back(Value::Int(3), Value::Text("application/cbor"));
  options.external_aad = ToBytes("terminal-42");
  Sign1 m = SignAndDecode(EcKey(), SignatureScheme::kEs256, {}, options);
  CHECK(*m.protected_header.FindInt(3) == Value::Text("application/cbor"));
  CHECK(Verify(m, EcKey().public_key(), options.external_aad).ok());
  CHECK(!Verify(m, EcKey().public_key()).ok());
  for (int64_t label : {kLabelAlg, kLabelCrit, kLabelX5Chain}) {
    SignOptions bad;
    bad.extra_protected.emplace_back(Value::Int(label), Value::Int(0));
    CHECK(!Sign(EcKey(), SignatureScheme::kEs256, kPayload, {}, bad).ok());
  }
  CHECK(!Sign(EcKey(), SignatureScheme::kEs256, kPayload, {Bytes{}}).ok());
}

}  // namespace
}  // namespace carnet::crypto::cose
