#include "crypto/cbor/encode.h"

#include <CppUTest/TestHarness.h>

#include <cstdint>
#include <limits>
#include <string>

#include "crypto/cbor/cbor_test_util.h"

namespace carnet::crypto::cbor {
namespace {

using testing::Hex;

std::string EncHex(const Value& v) { return HexEncode(Encode(v)); }

TEST_GROUP(CborEncode){};

TEST(CborEncode, ShortestHeadsAtEveryBoundary) {
  STRCMP_EQUAL("17", EncHex(Value::Unsigned(23)).c_str());
  STRCMP_EQUAL("1818", EncHex(Value::Unsigned(24)).c_str());
  STRCMP_EQUAL("18ff", EncHex(Value::Unsigned(255)).c_str());
  STRCMP_EQUAL("190100", EncHex(Value::Unsigned(256)).c_str());
  STRCMP_EQUAL("19ffff", EncHex(Value::Unsigned(65535)).c_str());
  STRCMP_EQUAL("1a00010000", EncHex(Value::Unsigned(65536)).c_str());
  STRCMP_EQUAL("1affffffff", EncHex(Value::Unsigned(0xffffffff)).c_str());
  STRCMP_EQUAL("1b0000000100000000", EncHex(Value::Unsigned(0x100000000)).c_str());
  STRCMP_EQUAL("37", EncHex(Value::Int(-24)).c_str());
  STRCMP_EQUAL("3818", EncHex(Value::Int(-25)).c_str());
  STRCMP_EQUAL("3b7fffffffffffffff",
               EncHex(Value::Int(std::numeric_limits<int64_t>::min())).c_str());
  STRCMP_EQUAL("3bffffffffffffffff", EncHex(Value::Negative(UINT64_MAX)).c_str());
  STRCMP_EQUAL("d2f6", EncHex(Value::Tag(18, Value::Null())).c_str());
  STRCMP_EQUAL("f4f5f6f7", (EncHex(Value::Bool(false)) + EncHex(Value::Bool(true)) +
                            EncHex(Value::Null()) + EncHex(Value::Undefined()))
                               .c_str());
}

TEST(CborEncode, StringLengthsUseShortestHeads) {
  Bytes b24(24, 0xaa);
  std::string enc = EncHex(Value::ByteString(b24));
  STRCMP_EQUAL("5818", enc.substr(0, 4).c_str());
  Bytes b256(256, 0);
  STRCMP_EQUAL("590100", EncHex(Value::ByteString(b256)).substr(0, 6).c_str());
  STRCMP_EQUAL("6449455446", EncHex(Value::Text("IETF")).c_str());
}

// RFC 8949 §4.2.1: keys sorted by the bytewise order of their deterministic encodings; the
// RFC's own example order is 10, 100, -1, "z", "aa", [100], [-1], false.
TEST(CborEncode, MapKeysSortedBytewise) {
  auto m = Value::Map({});
  m.Insert(Value::Bool(false), Value::Int(8));
  m.Insert(Value::Array({Value::Int(-1)}), Value::Int(7));
  m.Insert(Value::Array({Value::Int(100)}), Value::Int(6));
  m.Insert(Value::Text("aa"), Value::Int(5));
  m.Insert(Value::Text("z"), Value::Int(4));
  m.Insert(Value::Int(-1), Value::Int(3));
  m.Insert(Value::Int(100), Value::Int(2));
  m.Insert(Value::Int(10), Value::Int(1));
  STRCMP_EQUAL("a80a011864022003617a046261610581186406812007f408", EncHex(m).c_str());
}

TEST(CborEncode, EncodedOutputDecodesCanonically) {
  auto m = Value::Map({});
  m.Insert(Value::Int(33), Value::Array({Value::ByteString(Hex("0102")), Value::Text("é")}));
  m.Insert(Value::Int(1), Value::Int(-7));
  Bytes enc = Encode(Value::Tag(18, m));
  auto back = Decode(enc);
  CHECK(back.ok());
  // Decoding keeps the (sorted) wire order, so compare through a second encoding.
  CHECK(Encode(*back) == enc);
}

}  // namespace
}  // namespace carnet::crypto::cbor
