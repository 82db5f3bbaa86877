#include "crypto/cbor/value.h"

#include <CppUTest/TestHarness.h>

#include <cstdint>
#include <limits>

namespace carnet::crypto::cbor {
namespace {

TEST_GROUP(CborValue){};

TEST(CborValue, IntegersKeepTheirFullRange) {
  CHECK(Value::Int(-1) == Value::Negative(0));
  CHECK(Value::Int(5) == Value::Unsigned(5));
  const int64_t min = std::numeric_limits<int64_t>::min();
  // -2^63 = -1 - (2^63 - 1)
  CHECK(Value::Int(min) == Value::Negative((uint64_t{1} << 63) - 1));
  CHECK_EQUAL(min, *Value::Int(min).AsInt64());
  CHECK_EQUAL(std::numeric_limits<int64_t>::max(),
              *Value::Unsigned((uint64_t{1} << 63) - 1).AsInt64());
}

TEST(CborValue, AsInt64FailsRatherThanWrapping) {
  auto big = Value::Unsigned(uint64_t{1} << 63);
  CHECK(!big.AsInt64().ok());
  CHECK(big.AsUint64().ok());
  auto very_negative = Value::Negative(uint64_t{1} << 63);  // -2^63 - 1
  CHECK(very_negative.AsInt64().status().code() == StatusCode::kOutOfRange);
  CHECK(!Value::Negative(0).AsUint64().ok());
}

TEST(CborValue, AccessorsRejectTheWrongType) {
  auto text = Value::Text("abc");
  CHECK(!text.AsBytes().ok());
  STRCMP_CONTAINS("expected byte string, found text string",
                  text.AsBytes().status().message().c_str());
  CHECK(!text.AsInt64().ok());
  CHECK(!text.AsArray().ok());
  CHECK(!text.AsMap().ok());
  CHECK(!text.AsBool().ok());
  CHECK(!text.TagNumber().ok());
  CHECK(!text.TagContent().ok());
  STRCMP_EQUAL("abc", std::string(*text.AsText()).c_str());
}

TEST(CborValue, MapFindAndTags) {
  auto m = Value::Map({});
  m.Insert(Value::Int(1), Value::Int(-7));
  m.Insert(Value::Text("x"), Value::Bool(true));
  CHECK(m.FindInt(1) != nullptr);
  CHECK_EQUAL(-7, *m.FindInt(1)->AsInt64());
  CHECK(*m.Find(Value::Text("x"))->AsBool());
  CHECK(m.FindInt(2) == nullptr);
  CHECK(Value::Int(1).FindInt(1) == nullptr);
  auto t = Value::Tag(18, Value::Array({Value::Null()}));
  CHECK_EQUAL(18u, *t.TagNumber());
  CHECK((*t.TagContent())->is(Type::kArray));
}

TEST(CborValue, EqualityLooksAtEverything) {
  CHECK(!(Value::ByteString(AsBytes("a")) == Value::Text("a")));
  CHECK(!(Value::Null() == Value::Undefined()));
  CHECK(!(Value::Tag(1, Value::Int(0)) == Value::Tag(2, Value::Int(0))));
  CHECK(Value::Array({Value::Int(1)}) == Value::Array({Value::Int(1)}));
  CHECK(!(Value::Array({Value::Int(1)}) == Value::Array({Value::Int(2)})));
}

}  // namespace
}  // namespace carnet::crypto::cbor
