#include "node/trace/entry.h"

#include <CppUTest/TestHarness.h>

#include <algorithm>
#include <string>
#include <vector>

#include "crypto/cbor/encode.h"
#include "crypto/cbor/value.h"
#include "node/trace/trace_test_util.h"

namespace carnet::node::trace {
namespace {

using crypto::cbor::MapEntry;
using crypto::cbor::Value;

// The map EncodeEntry makes, as editable key/value pairs, to build bad inputs from.
std::vector<MapEntry> Fields(const TraceEntry& e) {
  return {
      {Value::Text("v"), Value::Unsigned(1)},
      {Value::Text("time"), Value::Int(e.time)},
      {Value::Text("decision"), Value::Text(DecisionName(e.decision))},
      {Value::Text("terminal"), Value::Text(e.terminal_id)},
      {Value::Text("request"), Value::Text(e.request_id)},
      {Value::Text("actor"), Value::Text(e.actor_id_nat)},
      {Value::Text("patient"), Value::Text(e.patient_ins)},
      {Value::Text("action"), Value::Text(e.action)},
      {Value::Text("document"), Value::Text(e.document_id)},
      {Value::Text("mode"), Value::Text(e.mode)},
      {Value::Text("rule"), Value::Text(e.rule_id)},
  };
}

void Replace(std::vector<MapEntry>& fields, std::string_view key, Value value) {
  for (auto& [k, v] : fields) {
    if (k == Value::Text(key)) v = std::move(value);
  }
}

void ExpectRefused(std::vector<MapEntry> fields, const char* why) {
  Bytes bytes = crypto::cbor::Encode(Value::Map(std::move(fields)));
  auto decoded = DecodeEntry(bytes);
  CHECK_FALSE_TEXT(decoded.ok(), why);
  CHECK_TRUE_TEXT(decoded.status().code() == StatusCode::kInvalidArgument, why);
}

void ExpectRefused(const Bytes& bytes, const char* why) {
  auto decoded = DecodeEntry(bytes);
  CHECK_FALSE_TEXT(decoded.ok(), why);
  CHECK_TRUE_TEXT(decoded.status().code() == StatusCode::kInvalidArgument, why);
}

}  // namespace

TEST_GROUP(TraceEntry){};

TEST(TraceEntry, RoundTrips) {
  for (int n = 0; n < 4; ++n) {
    TraceEntry e = testing::SampleEntry(n);
    if (n == 2) e.document_id.clear();        // no document
    if (n == 3) e.actor_id_nat = "Élodie-ü";  // any UTF-8
    auto encoded = EncodeEntry(e);
    CHECK_TRUE_TEXT(encoded.ok(), encoded.status().ToString().c_str());
    auto decoded = DecodeEntry(*encoded);
    CHECK_TRUE_TEXT(decoded.ok(), decoded.status().ToString().c_str());
    CHECK_TRUE(*decoded == e);
    CHECK_TRUE(*EncodeEntry(*decoded) == *encoded);
  }
}

TEST(TraceEntry, EncodingIsTheCanonicalMap) {
  auto encoded = EncodeEntry(testing::SampleEntry(1));
  CHECK_TRUE(encoded.ok());
  // Map of 11 pairs (0xab); the shortest key "v" sorts first (RFC 8949 §4.2.1): 61 76 01.
  STRCMP_EQUAL("ab617601", HexEncode(ByteView(*encoded).first(4)).c_str());
  // Same bytes as the generic deterministic encoder gives for the documented key set.
  CHECK_TRUE(*encoded == crypto::cbor::Encode(Value::Map(Fields(testing::SampleEntry(1)))));
}

TEST(TraceEntry, EncodeRefusesWhatDecodeWould) {
  TraceEntry e = testing::SampleEntry();
  e.time = -1;
  CHECK_TRUE(EncodeEntry(e).status().code() == StatusCode::kInvalidArgument);
  e = testing::SampleEntry();
  e.rule_id.clear();
  CHECK_TRUE(EncodeEntry(e).status().code() == StatusCode::kInvalidArgument);
  e = testing::SampleEntry();
  e.patient_ins = std::string(kMaxFieldLength + 1, '1');
  CHECK_TRUE(EncodeEntry(e).status().code() == StatusCode::kInvalidArgument);
  e = testing::SampleEntry();
  e.actor_id_nat = "\xc0\xaf";  // overlong '/'
  CHECK_TRUE(EncodeEntry(e).status().code() == StatusCode::kInvalidArgument);
  e = testing::SampleEntry();
  e.patient_ins = std::string(kMaxFieldLength, '1');  // at the limit: fine
  CHECK_TRUE(EncodeEntry(e).ok());
}

TEST(TraceEntry, RefusesWhatIsNotAnEntryMap) {
  ExpectRefused(Bytes{}, "empty");
  ExpectRefused(Bytes{0xff}, "not CBOR");
  ExpectRefused(crypto::cbor::Encode(Value::Array({})), "array");
  Bytes trailing = *EncodeEntry(testing::SampleEntry());
  trailing.push_back(0x00);
  ExpectRefused(trailing, "trailing byte");
  ExpectRefused(Bytes(kMaxEntrySize + 1, 0x00), "oversized");
}

TEST(TraceEntry, RefusesAnotherKeySet) {
  auto missing = Fields(testing::SampleEntry());
  missing.pop_back();
  ExpectRefused(missing, "missing key");
  auto extra = Fields(testing::SampleEntry());
  extra.emplace_back(Value::Text("content"), Value::Text("x"));
  ExpectRefused(extra, "extra key");
  auto renamed = Fields(testing::SampleEntry());
  renamed.back().first = Value::Text("rules");
  ExpectRefused(renamed, "renamed key, same count");
  auto int_key = Fields(testing::SampleEntry());
  int_key.back().first = Value::Unsigned(1);
  ExpectRefused(int_key, "integer key");
}

TEST(TraceEntry, RefusesMistypedOrOutOfRangeValues) {
  struct Case {
    const char* key;
    Value value;
    const char* why;
  };
  const Case cases[] = {
      {"v", Value::Unsigned(2), "unknown version"},
      {"v", Value::Text("1"), "version as text"},
      {"time", Value::Int(-5), "negative time"},
      {"time", Value::Unsigned(static_cast<uint64_t>(INT64_MAX) + 1), "time too large"},
      {"time", Value::Text("2026-01-01"), "time as text"},
      {"decision", Value::Text("maybe"), "unknown decision"},
      {"decision", Value::Bool(true), "decision as bool"},
      {"actor", Value::ByteString(ToBytes("810001234567")), "text as bytes"},
      {"document", Value::Null(), "null document"},
      {"action", Value::Text(""), "empty required field"},
      {"mode", Value::Text(""), "empty mode"},
      {"rule", Value::Text(std::string(kMaxFieldLength + 1, 'R')), "over-long field"},
      {"request", Value::Array({}), "nested container"},
  };
  for (const Case& c : cases) {
    auto fields = Fields(testing::SampleEntry());
    Replace(fields, c.key, c.value);
    ExpectRefused(fields, c.why);
  }
}

TEST(TraceEntry, RefusesNonCanonicalEncodings) {
  Bytes canonical = *EncodeEntry(testing::SampleEntry());
  // "v": 1 with a non-shortest head (0x18 0x01 instead of 0x01).
  Bytes long_head = {0xab, 0x61, 0x76, 0x18, 0x01};
  long_head.insert(long_head.end(), canonical.begin() + 4, canonical.end());
  ExpectRefused(long_head, "non-shortest integer");
  // The same pairs with "v" moved last: keys out of order.
  Bytes unsorted = {0xab};
  unsorted.insert(unsorted.end(), canonical.begin() + 4, canonical.end());
  unsorted.insert(unsorted.end(), {0x61, 0x76, 0x01});
  ExpectRefused(unsorted, "keys out of order");
  // Indefinite-length map.
  Bytes indefinite = {0xbf};
  indefinite.insert(indefinite.end(), canonical.begin() + 1, canonical.end());
  indefinite.push_back(0xff);
  ExpectRefused(indefinite, "indefinite length");
}

TEST(TraceEntry, RefusesInvalidUtf8) {
  Bytes canonical = *EncodeEntry(testing::SampleEntry());
  // Patch the first byte of the terminal id "T-0001" into 0xff.
  Bytes needle = ToBytes("T-0001");
  auto at = std::search(canonical.begin(), canonical.end(), needle.begin(), needle.end());
  CHECK_TRUE(at != canonical.end());
  *at = 0xff;
  ExpectRefused(canonical, "invalid UTF-8");
}

}  // namespace carnet::node::trace
