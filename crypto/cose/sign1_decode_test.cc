#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/cose/cose_test_util.h"

namespace carnet::crypto::cose {
namespace {

using namespace testing;

void ExpectReject(const Bytes& message, const char* what, const DecodeLimits& l = {}) {
  auto m = Decode(message, l);
  CHECK_TEXT(!m.ok(), what);
  STRCMP_CONTAINS(what, m.status().message().c_str());
}

Value EmptyMap() { return Value::Map({}); }

Value UnprotectedWith(int64_t label, Value v) {
  Value m = Value::Map({});
  m.Insert(Value::Int(label), std::move(v));
  return m;
}

TEST_GROUP(CoseDecode){};

TEST(CoseDecode, AcceptsUntaggedAndTagged) {
  auto p = Protected(AlgHeader(kAlgEs256));
  CHECK(Decode(Build(p, EmptyMap(), Payload(), Sig64())).ok());
  CHECK(Decode(Build(p, EmptyMap(), Payload(), Sig64(), 0)).ok());
}

TEST(CoseDecode, AlgPlacement) {
  // alg only unprotected (protected has something else)
  Value other = Value::Map({});
  other.Insert(Value::Int(3), Value::Int(0));
  ExpectReject(Build(Protected(other), UnprotectedWith(kLabelAlg, Value::Int(kAlgEs256)), Payload(),
                     Sig64()),
               "alg is in the unprotected header; it must be protected");
  // alg only unprotected, protected empty
  ExpectReject(Build(Value::ByteString({}), UnprotectedWith(kLabelAlg, Value::Int(kAlgEs256)),
                     Payload(), Sig64()),
               "protected header is empty");
  // alg in both
  ExpectReject(Build(Protected(AlgHeader(kAlgEs256)),
                     UnprotectedWith(kLabelAlg, Value::Int(kAlgEs256)), Payload(), Sig64()),
               "header label 1 is in both the protected and the unprotected header");
  // no alg at all
  ExpectReject(Build(Protected(other), EmptyMap(), Payload(), Sig64()),
               "protected header has no alg");
  // any other label in both
  Value both = AlgHeader(kAlgEs256);
  both.Insert(Value::Int(4), Value::ByteString(AsBytes("11")));
  ExpectReject(Build(Protected(both), UnprotectedWith(4, Value::ByteString(AsBytes("11"))),
                     Payload(), Sig64()),
               "header label 4 is in both");
}

TEST(CoseDecode, UnknownOrMalformedAlg) {
  ExpectReject(Build(Protected(AlgHeader(-8)), EmptyMap(), Payload(), Sig64()),
               "unknown COSE alg -8");
  ExpectReject(Build(Protected(AlgHeader(-35)), EmptyMap(), Payload(), Sig64()),
               "unknown COSE alg -35");
  Value text_alg = Value::Map({});
  text_alg.Insert(Value::Int(kLabelAlg), Value::Text("ES256"));
  ExpectReject(Build(Protected(text_alg), EmptyMap(), Payload(), Sig64()), "alg is not an integer");
}

TEST(CoseDecode, SignatureShape) {
  auto p = Protected(AlgHeader(kAlgEs256));
  ExpectReject(Build(p, EmptyMap(), Payload(), Value::ByteString(Bytes(63, 1))),
               "ES256 signature is 63 bytes, expected 64");
  ExpectReject(Build(p, EmptyMap(), Payload(), Value::Text("sig")),
               "signature is not a byte string");
}

TEST(CoseDecode, Structure) {
  auto p = Protected(AlgHeader(kAlgEs256));
  ExpectReject(Build(p, EmptyMap(), Payload(), Sig64(), 17), "tag 17 is not COSE_Sign1 (18)");
  Bytes nested = cbor::Encode(
      Value::Tag(18, Value::Tag(18, Value::Array({p, EmptyMap(), Payload(), Sig64()}))));
  ExpectReject(nested, "COSE_Sign1 is not an array");
  ExpectReject(cbor::Encode(Value::Tag(18, Value::Array({p, EmptyMap(), Payload()}))),
               "COSE_Sign1 array has 3 elements, expected 4");
  ExpectReject(
      cbor::Encode(Value::Tag(18, Value::Array({p, EmptyMap(), Payload(), Sig64(), Sig64()}))),
      "COSE_Sign1 array has 5 elements, expected 4");
  Bytes trailing = Build(p, EmptyMap(), Payload(), Sig64());
  trailing.push_back(0x00);
  ExpectReject(trailing, "trailing bytes");
  Bytes truncated = Build(p, EmptyMap(), Payload(), Sig64());
  truncated.pop_back();
  ExpectReject(truncated, "truncated");
  ExpectReject(*HexDecode("d29f40a0f640ff"), "indefinite-length array");
  ExpectReject({}, "empty CBOR input");
}

TEST(CoseDecode, PartTypes) {
  auto p = Protected(AlgHeader(kAlgEs256));
  ExpectReject(Build(AlgHeader(kAlgEs256), EmptyMap(), Payload(), Sig64()),
               "protected header is not a byte string");
  ExpectReject(
      Build(Value::ByteString(cbor::Encode(Value::Int(1))), EmptyMap(), Payload(), Sig64()),
      "protected header is not a map");
  ExpectReject(Build(Value::ByteString(*HexDecode("a1013806")), EmptyMap(), Payload(), Sig64()),
               "protected header: non-canonical head");
  ExpectReject(Build(Value::ByteString(*HexDecode("a10126ff")), EmptyMap(), Payload(), Sig64()),
               "protected header: trailing bytes");
  ExpectReject(Build(p, Value::Array({}), Payload(), Sig64()), "unprotected header is not a map");
  ExpectReject(Build(p, EmptyMap(), Value::Null(), Sig64()), "detached payload is not supported");
  ExpectReject(Build(p, EmptyMap(), Value::Text("hello"), Sig64()), "payload is not a byte string");
  Value bool_label = AlgHeader(kAlgEs256);
  bool_label.Insert(Value::Bool(true), Value::Int(0));
  ExpectReject(Build(Protected(bool_label), EmptyMap(), Payload(), Sig64()),
               "protected header label is not an integer or a text string");
}

TEST(CoseDecode, CritAndX5Chain) {
  Value crit = AlgHeader(kAlgEs256);
  crit.Insert(Value::Int(kLabelCrit), Value::Array({Value::Int(99)}));
  ExpectReject(Build(Protected(crit), EmptyMap(), Payload(), Sig64()), "crit");
  auto p = Protected(AlgHeader(kAlgEs256));
  ExpectReject(
      Build(p, UnprotectedWith(kLabelX5Chain, Value::ByteString(Bytes{0x30})), Payload(), Sig64()),
      "x5chain is in the unprotected header; it must be protected");
  auto with_chain = [](Value chain) {
    Value h = AlgHeader(kAlgEs256);
    h.Insert(Value::Int(kLabelX5Chain), std::move(chain));
    return Build(Protected(h), Value::Map({}), Payload(), Sig64());
  };
  ExpectReject(with_chain(Value::Array({Value::ByteString(Bytes{0x30})})), "at least 2");
  ExpectReject(with_chain(Value::Int(5)), "x5chain must be a bstr or an array of bstr");
  ExpectReject(with_chain(Value::ByteString({})), "empty certificate");
  ExpectReject(with_chain(Value::Array({Value::ByteString(Bytes{0x30}), Value::Int(1)})),
               "x5chain entry is not a non-empty bstr");
  Value nine = Value::Array({});
  for (int i = 0; i < 9; ++i) nine.Append(Value::ByteString(Bytes{0x30}));
  ExpectReject(with_chain(nine), "x5chain of 9 certificates exceeds the limit of 8");
}

TEST(CoseDecode, SizeLimits) {
  auto p = Protected(AlgHeader(kAlgEs256));
  Bytes big = Build(p, EmptyMap(), Value::ByteString(Bytes(2000, 7)), Sig64());
  DecodeLimits l;
  l.max_message_size = 1000;
  auto m = Decode(big, l);
  CHECK(!m.ok());
  CHECK(m.status().code() == StatusCode::kOutOfRange);
  STRCMP_CONTAINS("exceeds the limit of 1000", m.status().message().c_str());
  CHECK(Decode(big).ok());
  Value h = AlgHeader(kAlgEs256);
  h.Insert(Value::Int(kLabelX5Chain), Value::ByteString(Bytes(500, 0x30)));
  l = DecodeLimits{};
  l.max_protected_size = 100;
  ExpectReject(Build(Protected(h), EmptyMap(), Payload(), Sig64()),
               "protected header of 508 bytes exceeds the limit of 100", l);
}

}  // namespace
}  // namespace carnet::crypto::cose
