// Signatures: known answers, round trips, and one test for each way verification refuses.
#include <CppUTest/TestHarness.h>
#include <mbedtls/ecp.h>

#include <string>

#include "crypto/core/pk.h"
#include "crypto/core/pk_test_keys.h"
#include "crypto/core/random.h"

namespace carnet::crypto {
namespace {

using testing::EcP256;
using testing::Rsa1024;
using testing::Rsa2048;

Bytes Hex(std::string_view h) { return HexDecode(h).value(); }

void CheckRefused(const Status& s, StatusCode code, std::string_view reason) {
  CHECK_FALSE(s.ok());
  if (s.code() != code || s.message().find(reason) == std::string::npos) FAIL(s.ToString().c_str());
}

// RFC 6979 Appendix A.2.5: ECDSA, 256 bits (prime field), private key and public key.
constexpr const char* kRfc6979X =
    "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
constexpr const char* kRfc6979Ux =
    "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
constexpr const char* kRfc6979Uy =
    "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
// With SHA-256, message = "sample" and message = "test": r || s.
constexpr const char* kRfc6979Sample =
    "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
    "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";
constexpr const char* kRfc6979Test =
    "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
    "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083";

const PrivateKey& Rfc6979Key() {
  static PrivateKey key = testing::EcKeyFromScalar(MBEDTLS_ECP_DP_SECP256R1, kRfc6979X);
  return key;
}

const Bytes kMessage = ToBytes("PUT /dmp/documents/42 HTTP/1.1");

}  // namespace

TEST_GROUP(Es256){};

TEST(Es256, Rfc6979PublicKey) {
  // The SPKI of a P-256 key ends with the uncompressed point 04 || Ux || Uy.
  Bytes der = Rfc6979Key().public_key().ToDer();
  STRCMP_EQUAL((std::string("04") + kRfc6979Ux + kRfc6979Uy).c_str(),
               HexEncode(ByteView(der).last(65)).c_str());
}

TEST(Es256, VerifiesRfc6979Signatures) {
  PublicKey pub = Rfc6979Key().public_key();
  CHECK_TRUE(pub.Verify(SignatureScheme::kEs256, AsBytes("sample"), Hex(kRfc6979Sample)).ok());
  CHECK_TRUE(pub.Verify(SignatureScheme::kEs256, AsBytes("test"), Hex(kRfc6979Test)).ok());
  CHECK_TRUE(
      pub.VerifyDigest(SignatureScheme::kEs256, Sha256(AsBytes("sample")), Hex(kRfc6979Sample))
          .ok());
}

TEST(Es256, SigningIsDeterministicPerRfc6979) {
  FakeRandom blinding;
  auto sig = Rfc6979Key().Sign(SignatureScheme::kEs256, AsBytes("sample"), blinding);
  CHECK_TRUE(sig.ok());
  STRCMP_EQUAL(kRfc6979Sample, HexEncode(*sig).c_str());
  auto sig2 =
      Rfc6979Key().SignDigest(SignatureScheme::kEs256, Sha256(AsBytes("test")), Drbg::ForThread());
  STRCMP_EQUAL(kRfc6979Test, HexEncode(sig2.value()).c_str());
}

TEST(Es256, RoundTripAndTampering) {
  Bytes sig = EcP256().Sign(SignatureScheme::kEs256, kMessage, Drbg::ForThread()).value();
  LONGS_EQUAL(64, sig.size());
  PublicKey pub = EcP256().public_key();
  CHECK_TRUE(pub.Verify(SignatureScheme::kEs256, kMessage, sig).ok());

  Bytes other = kMessage;
  other.back() ^= 1;
  CheckRefused(pub.Verify(SignatureScheme::kEs256, other, sig), StatusCode::kUnauthenticated,
               "ES256 signature does not verify");
  Bytes bad = sig;
  bad[40] ^= 0x10;
  CheckRefused(pub.Verify(SignatureScheme::kEs256, kMessage, bad), StatusCode::kUnauthenticated,
               "does not verify");
  // Another key's valid signature.
  CheckRefused(Rfc6979Key().public_key().Verify(SignatureScheme::kEs256, kMessage, sig),
               StatusCode::kUnauthenticated, "does not verify");
}

TEST(Es256, RejectsZeroAndOutOfRangeScalars) {
  PublicKey pub = Rfc6979Key().public_key();
  Bytes sig = Hex(kRfc6979Sample);
  std::fill(sig.begin(), sig.begin() + 32, uint8_t{0});  // r = 0
  CheckRefused(pub.Verify(SignatureScheme::kEs256, AsBytes("sample"), sig),
               StatusCode::kUnauthenticated, "does not verify");
  sig = Hex(kRfc6979Sample);
  std::fill(sig.begin() + 32, sig.end(), uint8_t{0xff});  // s > n
  CheckRefused(pub.Verify(SignatureScheme::kEs256, AsBytes("sample"), sig),
               StatusCode::kUnauthenticated, "does not verify");
}

TEST(Es256, RejectsWrongLength) {
  PublicKey pub = Rfc6979Key().public_key();
  Bytes sig = Hex(kRfc6979Sample);
  Bytes longer = sig;
  longer.push_back(0);
  CheckRefused(pub.Verify(SignatureScheme::kEs256, AsBytes("sample"), longer),
               StatusCode::kUnauthenticated, "65 bytes, expected 64");
  sig.pop_back();
  CheckRefused(pub.Verify(SignatureScheme::kEs256, AsBytes("sample"), sig),
               StatusCode::kUnauthenticated, "63 bytes, expected 64");
  // A DER signature is not accepted where the raw form is expected.
  Bytes der = EcdsaRawToDer(Hex(kRfc6979Sample)).value();
  CheckRefused(pub.Verify(SignatureScheme::kEs256, AsBytes("sample"), der),
               StatusCode::kUnauthenticated, "72 bytes, expected 64");
}

TEST(Es256, RejectsRsaKey) {
  Bytes sig = Hex(kRfc6979Sample);
  CheckRefused(Rsa2048().public_key().Verify(SignatureScheme::kEs256, AsBytes("sample"), sig),
               StatusCode::kInvalidArgument, "ES256 needs an EC P-256 key");
  CheckRefused(Rsa2048().Sign(SignatureScheme::kEs256, kMessage, Drbg::ForThread()).status(),
               StatusCode::kInvalidArgument, "cannot sign: ES256 needs");
}

TEST(Es256, RejectsP384Key) {
  PrivateKey p384 = testing::EcKeyFromScalar(MBEDTLS_ECP_DP_SECP384R1, "");
  CHECK_TRUE(p384.type() == KeyType::kEcOther);
  PublicKey pub = p384.public_key();
  CHECK_TRUE(pub.type() == KeyType::kEcOther);
  LONGS_EQUAL(384, pub.bits());
  // Refused for the curve, before the signature is even looked at.
  CheckRefused(pub.Verify(SignatureScheme::kEs256, kMessage, Bytes(64, 1)),
               StatusCode::kUnauthenticated, "this EC key is on secp384r1");
  CheckRefused(p384.Sign(SignatureScheme::kEs256, kMessage, Drbg::ForThread()).status(),
               StatusCode::kInvalidArgument, "secp384r1");
}

TEST_GROUP(Rsa){};

TEST(Rsa, Rs256RoundTripAndTampering) {
  Bytes sig = Rsa2048().Sign(SignatureScheme::kRs256, kMessage, Drbg::ForThread()).value();
  LONGS_EQUAL(256, sig.size());
  PublicKey pub = Rsa2048().public_key();
  CHECK_TRUE(pub.Verify(SignatureScheme::kRs256, kMessage, sig).ok());
  Bytes other = kMessage;
  other[0] ^= 1;
  CheckRefused(pub.Verify(SignatureScheme::kRs256, other, sig), StatusCode::kUnauthenticated,
               "RS256 signature does not verify");
  Bytes bad = sig;
  bad[100] ^= 1;
  CheckRefused(pub.Verify(SignatureScheme::kRs256, kMessage, bad), StatusCode::kUnauthenticated,
               "does not verify");
  // A PKCS#1 v1.5 signature is not a PSS signature.
  CheckRefused(pub.Verify(SignatureScheme::kPs256, kMessage, sig), StatusCode::kUnauthenticated,
               "PS256 signature does not verify");
}

TEST(Rsa, Rs256IsTheCardsRawOperationOnTheDigestInfo) {
  // RFC 8017 §8.2.1: RSASSA-PKCS1-v1_5 is deterministic, so the library signature and the
  // "card" path (pad the DigestInfo, raw private operation) must be the same bytes.
  Bytes lib = Rsa2048().Sign(SignatureScheme::kRs256, kMessage, Drbg::ForThread()).value();
  Bytes card =
      Rsa2048().RsaSignPkcs1Raw(Sha256DigestInfo(Sha256(kMessage)), Drbg::ForThread()).value();
  CHECK_TRUE(lib == card);
}

TEST(Rsa, RawSignRejects) {
  CheckRefused(Rsa2048().RsaSignPkcs1Raw(Bytes(256 - 10, 1), Drbg::ForThread()).status(),
               StatusCode::kInvalidArgument, "does not fit");
  CHECK_TRUE(Rsa2048().RsaSignPkcs1Raw(Bytes(256 - 11, 1), Drbg::ForThread()).ok());
  CheckRefused(EcP256().RsaSignPkcs1Raw(Bytes(51, 1), Drbg::ForThread()).status(),
               StatusCode::kInvalidArgument, "needs an RSA key");
}

TEST(Rsa, Ps256RoundTripIsRandomized) {
  Bytes a = Rsa2048().Sign(SignatureScheme::kPs256, kMessage, Drbg::ForThread()).value();
  Bytes b =
      Rsa2048().SignDigest(SignatureScheme::kPs256, Sha256(kMessage), Drbg::ForThread()).value();
  CHECK_FALSE(a == b);  // fresh salt each time
  PublicKey pub = Rsa2048().public_key();
  CHECK_TRUE(pub.Verify(SignatureScheme::kPs256, kMessage, a).ok());
  CHECK_TRUE(pub.VerifyDigest(SignatureScheme::kPs256, Sha256(kMessage), b).ok());
  Bytes bad = a;
  bad[255] ^= 0x80;
  CheckRefused(pub.Verify(SignatureScheme::kPs256, kMessage, bad), StatusCode::kUnauthenticated,
               "PS256 signature does not verify");
  CheckRefused(pub.Verify(SignatureScheme::kRs256, kMessage, a), StatusCode::kUnauthenticated,
               "RS256 signature does not verify");
}

TEST(Rsa, RejectsWrongLength) {
  Bytes sig = Rsa2048().Sign(SignatureScheme::kRs256, kMessage, Drbg::ForThread()).value();
  PublicKey pub = Rsa2048().public_key();
  Bytes shorter(sig.begin() + 1, sig.end());
  CheckRefused(pub.Verify(SignatureScheme::kRs256, kMessage, shorter), StatusCode::kUnauthenticated,
               "255 bytes, expected 256");
  Bytes longer = sig;
  longer.insert(longer.begin(), 0);  // same integer, one more byte
  CheckRefused(pub.Verify(SignatureScheme::kPs256, kMessage, longer), StatusCode::kUnauthenticated,
               "257 bytes, expected 256");
}

TEST(Rsa, RejectsEcKey) {
  PublicKey ec = EcP256().public_key();
  CheckRefused(ec.Verify(SignatureScheme::kRs256, kMessage, Bytes(256, 1)),
               StatusCode::kInvalidArgument, "RS256 needs an RSA key");
  CheckRefused(ec.Verify(SignatureScheme::kPs256, kMessage, Bytes(256, 1)),
               StatusCode::kInvalidArgument, "PS256 needs an RSA key");
  CheckRefused(EcP256().Sign(SignatureScheme::kPs256, kMessage, Drbg::ForThread()).status(),
               StatusCode::kInvalidArgument, "cannot sign: PS256 needs an RSA key");
}

TEST(Rsa, Rejects1024BitKey) {
  // A signature that is mathematically valid for the 1024-bit key (made the card's way) must
  // still be refused, for the key size alone.
  Bytes sig =
      Rsa1024().RsaSignPkcs1Raw(Sha256DigestInfo(Sha256(kMessage)), Drbg::ForThread()).value();
  LONGS_EQUAL(128, sig.size());
  PublicKey pub = Rsa1024().public_key();
  LONGS_EQUAL(1024, pub.bits());
  CheckRefused(pub.Verify(SignatureScheme::kRs256, kMessage, sig), StatusCode::kUnauthenticated,
               "1024 bits is under the 2048-bit minimum");
  CheckRefused(Rsa1024().Sign(SignatureScheme::kRs256, kMessage, Drbg::ForThread()).status(),
               StatusCode::kInvalidArgument, "under the 2048-bit minimum");
}

TEST(Rsa, ReparsedKeySignsPs256) {
  // Keys that come in through PEM get the same RSA settings as generated ones.
  PrivateKey back = PrivateKey::FromPem(Rsa2048().ToPem().value()).value();
  auto signed_ = back.Sign(SignatureScheme::kPs256, kMessage, Drbg::ForThread());
  if (!signed_.ok()) FAIL(signed_.status().ToString().c_str());
  Bytes sig = *signed_;
  CHECK_TRUE(Rsa2048().public_key().Verify(SignatureScheme::kPs256, kMessage, sig).ok());
}

}  // namespace carnet::crypto
