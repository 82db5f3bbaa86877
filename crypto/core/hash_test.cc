#include "crypto/core/hash.h"

#include <CppUTest/TestHarness.h>

#include <algorithm>
#include <string>
#include <vector>

namespace carnet::crypto {
namespace {

std::string HexOf(ByteView b) { return HexEncode(b); }
Bytes Range(int from, int to) {  // from..to inclusive
  Bytes b;
  for (int i = from; i <= to; ++i) b.push_back(static_cast<uint8_t>(i));
  return b;
}

}  // namespace

TEST_GROUP(Sha256){};

// FIPS 180-2, Appendix B.1-B.3 (and the empty message, FIPS 180-2 / NIST CSRC examples).
TEST(Sha256, Fips180Vectors) {
  STRCMP_EQUAL("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
               HexOf(Sha256(AsBytes("abc"))).c_str());
  STRCMP_EQUAL("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
               HexOf(Sha256(ByteView())).c_str());
  STRCMP_EQUAL(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
      HexOf(Sha256(AsBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))).c_str());
  STRCMP_EQUAL("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
               HexOf(Sha256(Bytes(1000000, 'a'))).c_str());
}

TEST(Sha256, IncrementalMatchesOneShot) {
  // FIPS 180-2 B.1 and B.3 fed in pieces that cross 64-byte block boundaries.
  const Bytes a(1000, 'a');
  Sha256Hasher g;
  g.Update(AsBytes("a"));
  g.Update(AsBytes("bc"));
  STRCMP_EQUAL("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
               HexOf(g.Finish()).c_str());
  // Finish restarts: the next digest is of the next message only.
  STRCMP_EQUAL("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
               HexOf(g.Finish()).c_str());
  for (int i = 0; i < 1000; ++i) {
    g.Update(ByteView(a).first(333));
    g.Update(ByteView(a).subspan(333));
  }
  STRCMP_EQUAL("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
               HexOf(g.Finish()).c_str());
}

TEST(Sha256, PartialOfNothingIsTheInitialHashValue) {
  // FIPS 180-4 §5.3.3: H(0), written as big-endian words, which is how the card wants it.
  Sha256Partial p = Sha256PartialBlocks(ByteView());
  STRCMP_EQUAL("6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19",
               HexOf(p.state).c_str());
  LONGS_EQUAL(0, p.bytes_hashed);
}

TEST(Sha256, PartialThenFinishEqualsTheWholeHash) {
  Bytes data;
  std::vector<size_t> lengths;
  for (size_t len = 0; len <= 200; ++len) lengths.push_back(len);
  lengths.push_back(1000);
  for (size_t len : lengths) {
    data.resize(len);
    for (size_t i = 0; i < len; ++i) data[i] = static_cast<uint8_t>(i * 7 + len);
    Sha256Partial p = Sha256PartialBlocks(data);
    LONGS_EQUAL(len - len % 64, p.bytes_hashed);
    Sha256Digest d = Sha256FinishFromPartial(p, ByteView(data).subspan(p.bytes_hashed));
    CHECK_TRUE(d == Sha256(data));
  }
}

TEST(Sha256, DigestInfoIsTheRfc8017Prefix) {
  Sha256Digest d = Sha256(AsBytes("abc"));
  Bytes di = Sha256DigestInfo(d);
  LONGS_EQUAL(51, di.size());
  STRCMP_EQUAL("3031300d060960864801650304020105000420", HexOf(ByteView(di).first(19)).c_str());
  CHECK_TRUE(std::equal(d.begin(), d.end(), di.begin() + 19));
}

TEST_GROUP(Hmac){};

// RFC 4231 §4.2-4.8 (test case 5, a truncated output, does not apply).
TEST(Hmac, Rfc4231) {
  struct Case {
    Bytes key;
    Bytes data;
    const char* mac;
  } cases[] = {
      {Bytes(20, 0x0b), ToBytes("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {ToBytes("Jefe"), ToBytes("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {Bytes(20, 0xaa), Bytes(50, 0xdd),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {Range(1, 25), Bytes(50, 0xcd),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {Bytes(131, 0xaa), ToBytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {Bytes(131, 0xaa),
       ToBytes("This is a test using a larger than block-size key and a larger than block-size "
               "data. The key needs to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const Case& c : cases) STRCMP_EQUAL(c.mac, HexOf(HmacSha256(c.key, c.data)).c_str());
}

TEST_GROUP(Hkdf){};

// RFC 5869 Appendix A.1-A.3.
TEST(Hkdf, Rfc5869A1) {
  auto okm = HkdfSha256(Bytes(22, 0x0b), Range(0x00, 0x0c), Range(0xf0, 0xf9), 42);
  CHECK_TRUE(okm.ok());
  STRCMP_EQUAL(
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
      HexOf(okm->view()).c_str());
}

TEST(Hkdf, Rfc5869A2) {
  auto okm = HkdfSha256(Range(0x00, 0x4f), Range(0x60, 0xaf), Range(0xb0, 0xff), 82);
  CHECK_TRUE(okm.ok());
  STRCMP_EQUAL(
      "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e"
      "590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
      HexOf(okm->view()).c_str());
}

TEST(Hkdf, Rfc5869A3EmptySaltAndInfo) {
  auto okm = HkdfSha256(Bytes(22, 0x0b), ByteView(), ByteView(), 42);
  CHECK_TRUE(okm.ok());
  STRCMP_EQUAL(
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
      HexOf(okm->view()).c_str());
}

TEST(Hkdf, RejectsOutputLengths) {
  CHECK_TRUE(HkdfSha256(Bytes(16, 1), ByteView(), ByteView(), 255 * 32).ok());
  auto too_long = HkdfSha256(Bytes(16, 1), ByteView(), ByteView(), 255 * 32 + 1);
  CHECK_TRUE(too_long.status().code() == StatusCode::kInvalidArgument);
  auto empty = HkdfSha256(Bytes(16, 1), ByteView(), ByteView(), 0);
  CHECK_TRUE(empty.status().code() == StatusCode::kInvalidArgument);
}

}  // namespace carnet::crypto
