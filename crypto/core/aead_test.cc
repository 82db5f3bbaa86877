#include "crypto/core/aead.h"

#include <CppUTest/TestHarness.h>

#include <initializer_list>
#include <string>

#include "crypto/core/random.h"

namespace carnet::crypto {
namespace {

Bytes Hex(std::string_view h) { return HexDecode(h).value(); }
SecretBytes Key(std::string_view h) { return SecretBytes(Hex(h)); }

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", revised 2005, Appendix B,
// test cases 13-16 (256-bit key).
struct GcmCase {
  const char* key;
  const char* iv;
  const char* plaintext;
  const char* aad;
  const char* ciphertext;
  const char* tag;
};
constexpr const char* kK15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr const char* kP15 =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
constexpr const char* kC15 =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
const GcmCase kGcmCases[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},  // TC13
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "00000000000000000000000000000000", "", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},  // TC14
    {kK15, "cafebabefacedbaddecaf888", kP15, "", kC15, "b094dac5d93471bdec1a502270e3cc6c"},
    {kK15, "cafebabefacedbaddecaf888",  // TC16: 60-byte plaintext, 20-byte AAD
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

void CheckDataLoss(const Result<SecretBytes>& r) {
  CHECK_FALSE(r.ok());
  if (r.status().code() != StatusCode::kDataLoss) FAIL(r.status().ToString().c_str());
}

const SecretBytes& DocumentKey() {
  static SecretBytes key(Hex(kK15));
  return key;
}

}  // namespace

TEST_GROUP(AesGcm){};

TEST(AesGcm, McGrewViegaTestCases13To16) {
  for (const GcmCase& c : kGcmCases) {
    auto ct = AesGcmEncrypt(Key(c.key), Hex(c.iv), Hex(c.plaintext), Hex(c.aad));
    CHECK_TRUE(ct.ok());
    STRCMP_EQUAL((std::string(c.ciphertext) + c.tag).c_str(), HexEncode(*ct).c_str());
    auto pt = AesGcmDecrypt(Key(c.key), Hex(c.iv), *ct, Hex(c.aad));
    CHECK_TRUE(pt.ok());
    STRCMP_EQUAL(c.plaintext, HexEncode(pt->view()).c_str());
  }
}

TEST(AesGcm, SealOpenRoundTripWithFreshNonces) {
  const Bytes doc = ToBytes("CR de consultation: RAS");
  const Bytes aad = ToBytes("doc-id=42");
  Bytes a = AesGcmSeal(DocumentKey(), doc, aad, Drbg::ForThread()).value();
  Bytes b = AesGcmSeal(DocumentKey(), doc, aad, Drbg::ForThread()).value();
  LONGS_EQUAL(kGcmNonceSize + doc.size() + kGcmTagSize, a.size());
  CHECK_FALSE(Bytes(a.begin(), a.begin() + 12) == Bytes(b.begin(), b.begin() + 12));
  CHECK_TRUE(ConstantTimeEqual(AesGcmOpen(DocumentKey(), a, aad).value().view(), doc));
  CHECK_TRUE(ConstantTimeEqual(AesGcmOpen(DocumentKey(), b, aad).value().view(), doc));
  // Empty plaintext is allowed: the tag still authenticates the AAD.
  Bytes empty = AesGcmSeal(DocumentKey(), ByteView(), aad, Drbg::ForThread()).value();
  CHECK_TRUE(AesGcmOpen(DocumentKey(), empty, aad).value().empty());
}

TEST(AesGcm, OpenFailsOnAnyTampering) {
  const Bytes doc = ToBytes("allergie: penicilline");
  const Bytes aad = ToBytes("doc-id=7");
  const Bytes sealed = AesGcmSeal(DocumentKey(), doc, aad, Drbg::ForThread()).value();
  // Every single bit of nonce, ciphertext and tag matters.
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes t = sealed;
    t[i] ^= static_cast<uint8_t>(1U << (i % 8));
    CheckDataLoss(AesGcmOpen(DocumentKey(), t, aad));
  }
  CheckDataLoss(AesGcmOpen(DocumentKey(), sealed, ToBytes("doc-id=8")));
  CheckDataLoss(AesGcmOpen(DocumentKey(), sealed, ByteView()));
  SecretBytes other_key(Bytes(32, 0x11));
  CheckDataLoss(AesGcmOpen(other_key, sealed, aad));
  Bytes truncated(sealed.begin(), sealed.end() - 1);
  CheckDataLoss(AesGcmOpen(DocumentKey(), truncated, aad));
  Bytes extended = sealed;
  extended.push_back(0);
  CheckDataLoss(AesGcmOpen(DocumentKey(), extended, aad));
  CheckDataLoss(AesGcmOpen(DocumentKey(), ByteView(sealed).first(27), aad));
}

TEST(AesGcm, RejectsBadKeyAndNonceSizes) {
  FakeRandom rng;
  for (size_t n : std::initializer_list<size_t>{0, 16, 24, 31, 33}) {
    SecretBytes key(n);
    CHECK_TRUE(AesGcmSeal(key, Bytes{1}, {}, rng).status().code() == StatusCode::kInvalidArgument);
    CHECK_TRUE(AesGcmOpen(key, Bytes(40, 0), {}).status().code() == StatusCode::kInvalidArgument);
  }
  CHECK_TRUE(AesGcmEncrypt(DocumentKey(), Bytes(8, 0), Bytes{1}, {}).status().code() ==
             StatusCode::kInvalidArgument);
  CHECK_TRUE(AesGcmDecrypt(DocumentKey(), Bytes(16, 0), Bytes(16, 0), {}).status().code() ==
             StatusCode::kInvalidArgument);
  CheckDataLoss(AesGcmDecrypt(DocumentKey(), Bytes(12, 0), Bytes(15, 0), {}));
}

}  // namespace carnet::crypto
