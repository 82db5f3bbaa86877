#include <CppUTest/TestHarness.h>
#include <mbedtls/aes.h>

#include <initializer_list>
#include <string>

#include "crypto/core/aead.h"

namespace carnet::crypto {
namespace {

Bytes Hex(std::string_view h) { return HexDecode(h).value(); }
SecretBytes Secret(std::string_view h) { return SecretBytes(Hex(h)); }

// RFC 3394 §4.6: 256 bits of key data with a 256-bit KEK.
constexpr const char* k3394Kek = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
constexpr const char* k3394Key = "00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f";
constexpr const char* k3394Wrapped =
    "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21";
// RFC 5649 §6: 192-bit KEK, a 20-octet key and a 7-octet key.
constexpr const char* k5649Kek = "5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8";
constexpr const char* k5649Key20 = "c37b7e6492584340bed12207808941155068f738";
constexpr const char* k5649Wrapped20 =
    "138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a";
constexpr const char* k5649Key7 = "466f7250617369";
constexpr const char* k5649Wrapped7 = "afbeb0f07dfbf5419200f2ccb50bb24f";

// AES-ECB encryption of one 16-byte block under `kek`.
Bytes ForgeSingleBlock(const SecretBytes& kek, std::string_view block_hex) {
  Bytes block = Hex(block_hex);
  mbedtls_aes_context aes;
  mbedtls_aes_init(&aes);
  int ret = mbedtls_aes_setkey_enc(&aes, kek.view().data(), static_cast<unsigned>(kek.size() * 8));
  if (ret == 0) ret = mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, block.data(), block.data());
  mbedtls_aes_free(&aes);
  CHECK_EQUAL(0, ret);
  return block;
}

void CheckCode(const Status& s, StatusCode code) {
  if (s.code() != code) FAIL(s.ToString().c_str());
}

}  // namespace

TEST_GROUP(KeyWrap){};

TEST(KeyWrap, Rfc3394Section4_6) {
  auto wrapped = AesKeyWrap(Secret(k3394Kek), Secret(k3394Key));
  CHECK_TRUE(wrapped.ok());
  STRCMP_EQUAL(k3394Wrapped, HexEncode(*wrapped).c_str());
  auto key = AesKeyUnwrap(Secret(k3394Kek), Hex(k3394Wrapped));
  CHECK_TRUE(key.ok());
  STRCMP_EQUAL(k3394Key, HexEncode(key->view()).c_str());
}

TEST(KeyWrap, Rfc5649Section6) {
  STRCMP_EQUAL(k5649Wrapped20,
               HexEncode(AesKeyWrapPad(Secret(k5649Kek), Secret(k5649Key20)).value()).c_str());
  STRCMP_EQUAL(k5649Wrapped7,
               HexEncode(AesKeyWrapPad(Secret(k5649Kek), Secret(k5649Key7)).value()).c_str());
  STRCMP_EQUAL(
      k5649Key20,
      HexEncode(AesKeyUnwrapPad(Secret(k5649Kek), Hex(k5649Wrapped20)).value().view()).c_str());
  STRCMP_EQUAL(
      k5649Key7,
      HexEncode(AesKeyUnwrapPad(Secret(k5649Kek), Hex(k5649Wrapped7)).value().view()).c_str());
}

TEST(KeyWrap, PaddedRoundTripForEveryLengthUpTo40) {
  SecretBytes kek(Bytes(32, 0x42));
  for (size_t n = 1; n <= 40; ++n) {
    SecretBytes key(Bytes(n, static_cast<uint8_t>(n)));
    Bytes wrapped = AesKeyWrapPad(kek, key).value();
    LONGS_EQUAL(8 + (n + 7) / 8 * 8, wrapped.size());
    CHECK_TRUE(AesKeyUnwrapPad(kek, wrapped).value().Equals(key));
  }
}

TEST(KeyWrap, UnwrapDetectsTampering) {
  SecretBytes kek = Secret(k3394Kek);
  Bytes wrapped = Hex(k3394Wrapped);
  for (size_t i = 0; i < wrapped.size(); ++i) {
    Bytes t = wrapped;
    t[i] ^= 0x01;
    CheckCode(AesKeyUnwrap(kek, t).status(), StatusCode::kDataLoss);
  }
  SecretBytes other(Bytes(32, 0));
  CheckCode(AesKeyUnwrap(other, wrapped).status(), StatusCode::kDataLoss);
  // A padded wrap is not an unpadded one (different initial value), and vice versa.
  Bytes padded = AesKeyWrapPad(kek, Secret(k3394Key)).value();
  CheckCode(AesKeyUnwrap(kek, padded).status(), StatusCode::kDataLoss);
  CheckCode(AesKeyUnwrapPad(kek, wrapped).status(), StatusCode::kDataLoss);
}

TEST(KeyWrap, PaddedUnwrapDetectsTamperingIncludingTheSingleBlockCase) {
  SecretBytes kek = Secret(k5649Kek);
  for (const char* hex : {k5649Wrapped20, k5649Wrapped7}) {
    Bytes wrapped = Hex(hex);
    for (size_t i = 0; i < wrapped.size(); ++i) {
      Bytes t = wrapped;
      t[i] ^= 0x80;
      CheckCode(AesKeyUnwrapPad(kek, t).status(), StatusCode::kDataLoss);
    }
  }
}

TEST(KeyWrap, PaddedUnwrapChecksPrefixLengthAndPadding) {
  // A one-semiblock RFC 5649 wrap is a single AES encryption of AIV || P (§4.1), so the test
  // can forge decryptable blocks that break exactly one rule each.
  const SecretBytes kek(Bytes(16, 0x07));
  auto forge = [&](std::string_view block_hex) { return ForgeSingleBlock(kek, block_hex); };
  // Control: prefix A65959A6, MLI = 5, three zero padding bytes.
  auto good = AesKeyUnwrapPad(kek, forge("a65959a600000005"
                                         "0102030405000000"));
  CHECK_TRUE(good.ok());
  STRCMP_EQUAL("0102030405", HexEncode(good->view()).c_str());
  CheckCode(AesKeyUnwrapPad(kek, forge("a65959a700000005"
                                       "0102030405000000"))
                .status(),
            StatusCode::kDataLoss);  // prefix
  CheckCode(AesKeyUnwrapPad(kek, forge("a65959a600000009"
                                       "0102030405060708"))
                .status(),
            StatusCode::kDataLoss);  // MLI larger than the data
  CheckCode(AesKeyUnwrapPad(kek, forge("a65959a600000000"
                                       "0000000000000000"))
                .status(),
            StatusCode::kDataLoss);  // MLI 0: padding may not fill a whole semiblock
  CheckCode(AesKeyUnwrapPad(kek, forge("a65959a600000005"
                                       "0102030405000100"))
                .status(),
            StatusCode::kDataLoss);  // non-zero padding byte
  CheckCode(AesKeyUnwrapPad(kek, forge("a65959a6ffffffff"
                                       "0102030405060708"))
                .status(),
            StatusCode::kDataLoss);  // MLI near 2^32 (no overflow in the range check)
  // Length rules of the input itself.
  CheckCode(AesKeyUnwrapPad(kek, Bytes(8, 0)).status(), StatusCode::kInvalidArgument);
  CheckCode(AesKeyUnwrapPad(kek, Bytes(17, 0)).status(), StatusCode::kInvalidArgument);
}

TEST(KeyWrap, RejectsBadLengths) {
  SecretBytes kek = Secret(k3394Kek);
  for (size_t n : std::initializer_list<size_t>{0, 8, 15, 17, 23}) {
    CheckCode(AesKeyWrap(kek, SecretBytes(n)).status(), StatusCode::kInvalidArgument);
  }
  CheckCode(AesKeyWrapPad(kek, SecretBytes()).status(), StatusCode::kInvalidArgument);
  for (size_t n : std::initializer_list<size_t>{0, 8, 16, 23, 25}) {
    CheckCode(AesKeyUnwrap(kek, Bytes(n, 0)).status(), StatusCode::kInvalidArgument);
  }
  for (size_t n : std::initializer_list<size_t>{0, 15, 20}) {
    SecretBytes bad_kek(n);
    CheckCode(AesKeyWrap(bad_kek, SecretBytes(16)).status(), StatusCode::kInvalidArgument);
    CheckCode(AesKeyUnwrapPad(bad_kek, Bytes(16, 0)).status(), StatusCode::kInvalidArgument);
  }
}

}  // namespace carnet::crypto
