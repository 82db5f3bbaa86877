#include "node/trace/entry.h"

#include <array>
#include <string_view>
#include <utility>

#include "crypto/cbor/decode.h"
#include "crypto/cbor/encode.h"
#include "crypto/cbor/value.h"

namespace carnet::node::trace {
namespace {

using crypto::cbor::Value;

// The text fields, in the order of TraceEntry. `required`: must not be empty. The others may
// be empty: a request refused at authentication may have no known actor or patient yet, and
// most actions concern no single document.
struct TextField {
  std::string_view key;
  std::string TraceEntry::*member;
  bool required;
};
constexpr std::array<TextField, 8> kTextFields = {{
    {"terminal", &TraceEntry::terminal_id, false},
    {"request", &TraceEntry::request_id, false},
    {"actor", &TraceEntry::actor_id_nat, false},
    {"patient", &TraceEntry::patient_ins, false},
    {"action", &TraceEntry::action, true},
    {"document", &TraceEntry::document_id, false},
    {"mode", &TraceEntry::mode, true},
    {"rule", &TraceEntry::rule_id, true},
}};
// kTextFields plus "v", "time" and "decision".
constexpr size_t kKeyCount = kTextFields.size() + 3;

Status CheckText(std::string_view key, std::string_view text, bool required) {
  if (required && text.empty())
    return InvalidArgument("trace entry: empty '" + std::string(key) + "'");
  if (text.size() > kMaxFieldLength) {
    return InvalidArgument("trace entry: '" + std::string(key) + "' longer than " +
                           std::to_string(kMaxFieldLength) + " bytes");
  }
  size_t bad = 0;
  if (!crypto::cbor::IsValidUtf8(AsBytes(text), bad)) {
    return InvalidArgument("trace entry: '" + std::string(key) + "' is not UTF-8");
  }
  return Status::Ok();
}

Result<Decision> ParseDecision(std::string_view name) {
  for (auto d : {Decision::kAllow, Decision::kDeny}) {
    if (DecisionName(d) == name) return d;
  }
  return InvalidArgument("trace entry: unknown decision '" + std::string(name) + "'");
}

Result<const Value*> Field(const Value& map, std::string_view key) {
  const Value* value = map.Find(Value::Text(key));
  if (value == nullptr) return InvalidArgument("trace entry: missing '" + std::string(key) + "'");
  return value;
}

Result<std::string_view> TextAt(const Value& map, std::string_view key) {
  CARNET_ASSIGN_OR_RETURN(const Value* value, Field(map, key));
  auto text = value->AsText();
  if (!text.ok()) return InvalidArgument("trace entry: '" + std::string(key) + "' is not text");
  return *text;
}

Result<uint64_t> UnsignedAt(const Value& map, std::string_view key) {
  CARNET_ASSIGN_OR_RETURN(const Value* value, Field(map, key));
  auto number = value->AsUint64();
  if (!number.ok()) {
    return InvalidArgument("trace entry: '" + std::string(key) + "' is not an unsigned integer");
  }
  return *number;
}

}  // namespace

std::string_view DecisionName(Decision decision) {
  return decision == Decision::kAllow ? "allow" : "deny";
}

Result<Bytes> EncodeEntry(const TraceEntry& entry) {
  if (entry.time < 0) return InvalidArgument("trace entry: negative time");
  std::vector<crypto::cbor::MapEntry> map;
  map.reserve(kKeyCount);
  map.emplace_back(Value::Text("v"), Value::Unsigned(kEntryVersion));
  map.emplace_back(Value::Text("time"), Value::Unsigned(static_cast<uint64_t>(entry.time)));
  map.emplace_back(Value::Text("decision"), Value::Text(DecisionName(entry.decision)));
  for (const TextField& field : kTextFields) {
    const std::string& text = entry.*field.member;
    CARNET_TRY(CheckText(field.key, text, field.required));
    map.emplace_back(Value::Text(field.key), Value::Text(text));
  }
  Bytes encoded = crypto::cbor::Encode(Value::Map(std::move(map)));
  if (encoded.size() > kMaxEntrySize) return InvalidArgument("trace entry: too large");
  return encoded;
}

Result<TraceEntry> DecodeEntry(ByteView encoded) {
  crypto::cbor::DecodeLimits limits;
  limits.max_input_size = kMaxEntrySize;
  limits.max_depth = 2;  // a map of scalars
  limits.max_items = 1 + 2 * kKeyCount;
  limits.max_string_length = kMaxFieldLength;
  limits.max_container_length = kKeyCount;
  limits.require_canonical = true;
  auto decoded = crypto::cbor::Decode(encoded, limits);
  // One code for every refusal (the decoder uses kOutOfRange for its limits).
  if (!decoded.ok()) return InvalidArgument("trace entry: " + decoded.status().message());
  const Value& map = *decoded;
  auto entries = map.AsMap();
  if (!entries.ok()) return InvalidArgument("trace entry: not a map");
  // With duplicate keys refused by the decoder, "exactly kKeyCount entries, each expected key
  // present" means the key set is exactly the expected one.
  if (entries->size() != kKeyCount) {
    return InvalidArgument("trace entry: " + std::to_string(entries->size()) + " keys, expected " +
                           std::to_string(kKeyCount));
  }
  CARNET_ASSIGN_OR_RETURN(uint64_t version, UnsignedAt(map, "v"));
  if (version != kEntryVersion) {
    return InvalidArgument("trace entry: unknown version " + std::to_string(version));
  }
  TraceEntry entry;
  CARNET_ASSIGN_OR_RETURN(uint64_t time, UnsignedAt(map, "time"));
  if (time > static_cast<uint64_t>(INT64_MAX))
    return InvalidArgument("trace entry: time too large");
  entry.time = static_cast<UnixMillis>(time);
  CARNET_ASSIGN_OR_RETURN(std::string_view decision, TextAt(map, "decision"));
  CARNET_ASSIGN_OR_RETURN(entry.decision, ParseDecision(decision));
  for (const TextField& field : kTextFields) {
    CARNET_ASSIGN_OR_RETURN(std::string_view text, TextAt(map, field.key));
    CARNET_TRY(CheckText(field.key, text, field.required));
    entry.*field.member = std::string(text);
  }
  return entry;
}

}  // namespace carnet::node::trace
