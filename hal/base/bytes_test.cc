#include "hal/base/bytes.h"

#include <CppUTest/TestHarness.h>

namespace carnet {

TEST_GROUP(Bytes){};

TEST(Bytes, HexRoundTrip) {
  Result<Bytes> b = HexDecode("3B AC 00 40");
  CHECK_TRUE(b.ok());
  LONGS_EQUAL(4, b->size());
  STRCMP_EQUAL("3bac0040", HexEncode(*b).c_str());
}

TEST(Bytes, HexRejectsBadInput) {
  CHECK_FALSE(HexDecode("abc").ok());
  CHECK_FALSE(HexDecode("zz").ok());
  CHECK_FALSE(HexDecode("a b").ok());  // a space inside a byte
}

// RFC 4648 §10 test vectors.
TEST(Bytes, Base64Rfc4648Vectors) {
  const char* in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    STRCMP_EQUAL(out[i], Base64Encode(AsBytes(in[i])).c_str());
    Result<Bytes> d = Base64Decode(out[i]);
    CHECK_TRUE(d.ok());
    STRCMP_EQUAL(in[i], ToString(*d).c_str());
  }
}

TEST(Bytes, Base64RejectsMalformed) {
  CHECK_FALSE(Base64Decode("Zg=").ok());   // bad length
  CHECK_FALSE(Base64Decode("Zh==").ok());  // non-zero padding bits
  CHECK_FALSE(Base64Decode("Z!==").ok());  // bad character
}

TEST(Bytes, Base64Url) {
  Bytes b = {0xfb, 0xff, 0xbf};
  STRCMP_EQUAL("-_-_", Base64UrlEncode(b).c_str());
  Result<Bytes> d = Base64UrlDecode("-_-_");
  CHECK_TRUE(d.ok());
  CHECK(*d == b);
  CHECK_FALSE(Base64UrlDecode("+/").ok());
}

TEST(Bytes, BigEndian) {
  Bytes b;
  AppendU16Be(b, 0x0102);
  AppendU32Be(b, 0x03040506);
  AppendU64Be(b, 0x0708090a0b0c0d0eULL);
  STRCMP_EQUAL("0102030405060708090a0b0c0d0e", HexEncode(b).c_str());
  LONGS_EQUAL(0x0102, ReadU16Be(b));
  CHECK(ReadU64Be(ByteView(b).subspan(6)) == 0x0708090a0b0c0d0eULL);
}

TEST(Bytes, ReaderStopsAtTheEnd) {
  Bytes b = {1, 2, 3};
  ByteReader r(b);
  LONGS_EQUAL(1, *r.ReadU8());
  LONGS_EQUAL(0x0203, *r.ReadU16());
  CHECK_TRUE(r.empty());
  CHECK(r.ReadU8().status().code() == StatusCode::kOutOfRange);
  CHECK_FALSE(r.Read(1).ok());
}

}  // namespace carnet
