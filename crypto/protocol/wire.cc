#include "crypto/protocol/wire.h"

#include <algorithm>
#include <limits>

namespace carnet::protocol::wire {

cbor::DecodeLimits CborLimits(const Limits& limits) {
  cbor::DecodeLimits c;
  c.max_input_size = limits.max_content_size + limits.max_overhead;
  c.max_depth = 8;
  c.max_string_length =
      std::max({limits.max_content_size, limits.max_id_token_length,
                limits.max_justification_length, limits.max_proof_size, limits.max_text_length});
  // A trace entry is the largest list element: 10 keys, 10 values, one map.
  c.max_items = 256 + limits.max_list_entries * 32;
  c.max_container_length = std::max<size_t>(limits.max_list_entries, 32);
  c.require_canonical = true;
  return c;
}

std::string Join(std::string_view path, std::string_view key) {
  std::string out(path);
  out += '.';
  out += key;
  return out;
}

Result<MapReader> MapReader::Open(const cbor::Value& value, std::string path) {
  auto entries = value.AsMap();
  if (!entries.ok()) return InvalidArgument(path + ": not a map");
  for (const auto& [key, unused] : *entries) {
    if (!key.is(cbor::Type::kTextString)) {
      return InvalidArgument(path + ": map key is not a text string");
    }
  }
  return MapReader(&value, std::move(path));
}

const cbor::Value* MapReader::Find(std::string_view key) {
  const cbor::Value* v = map_->Find(cbor::Value::Text(key));
  if (v != nullptr) read_.emplace_back(key);
  return v;
}

Result<const cbor::Value*> MapReader::Required(std::string_view key) {
  const cbor::Value* v = Find(key);
  if (v == nullptr) return InvalidArgument(Join(path_, key) + ": missing");
  return v;
}

Result<std::string> AsText(const cbor::Value& v, const std::string& path, size_t max_length) {
  auto text = v.AsText();
  if (!text.ok()) return InvalidArgument(path + ": not a text string");
  if (text->empty()) return InvalidArgument(path + ": empty");
  if (text->size() > max_length) {
    return InvalidArgument(path + ": longer than " + std::to_string(max_length) + " bytes");
  }
  return std::string(*text);
}

Result<uint64_t> AsUint(const cbor::Value& v, const std::string& path) {
  auto n = v.AsUint64();
  if (!n.ok()) return InvalidArgument(path + ": not an unsigned integer");
  return *n;
}

Result<std::string> MapReader::Text(std::string_view key, size_t max_length) {
  CARNET_ASSIGN_OR_RETURN(const cbor::Value* v, Required(key));
  return AsText(*v, Join(path_, key), max_length);
}

Result<std::optional<std::string>> MapReader::OptionalText(std::string_view key,
                                                           size_t max_length) {
  const cbor::Value* v = Find(key);
  if (v == nullptr) return std::optional<std::string>();
  CARNET_ASSIGN_OR_RETURN(std::string text, AsText(*v, Join(path_, key), max_length));
  return std::optional<std::string>(std::move(text));
}

Result<Bytes> MapReader::ByteString(std::string_view key, size_t min_size, size_t max_size) {
  CARNET_ASSIGN_OR_RETURN(const cbor::Value* v, Required(key));
  auto bytes = v->AsBytes();
  const std::string path = Join(path_, key);
  if (!bytes.ok()) return InvalidArgument(path + ": not a byte string");
  if (bytes->size() < min_size) {
    return InvalidArgument(path + ": shorter than " + std::to_string(min_size) + " bytes");
  }
  if (bytes->size() > max_size) {
    return OutOfRange(path + ": larger than " + std::to_string(max_size) + " bytes");
  }
  return Bytes(bytes->begin(), bytes->end());
}

Result<uint64_t> MapReader::Uint(std::string_view key) {
  CARNET_ASSIGN_OR_RETURN(const cbor::Value* v, Required(key));
  return AsUint(*v, Join(path_, key));
}

Result<std::optional<uint64_t>> MapReader::OptionalUint(std::string_view key) {
  const cbor::Value* v = Find(key);
  if (v == nullptr) return std::optional<uint64_t>();
  CARNET_ASSIGN_OR_RETURN(uint64_t n, AsUint(*v, Join(path_, key)));
  return std::optional<uint64_t>(n);
}

namespace {
Result<UnixMillis> AsTime(const cbor::Value& v, const std::string& path) {
  auto n = v.AsUint64();
  if (!n.ok()) return InvalidArgument(path + ": not a non-negative integer (ms since epoch)");
  if (*n > static_cast<uint64_t>(std::numeric_limits<UnixMillis>::max())) {
    return InvalidArgument(path + ": time out of range");
  }
  return static_cast<UnixMillis>(*n);
}
}  // namespace

Result<UnixMillis> MapReader::Time(std::string_view key) {
  CARNET_ASSIGN_OR_RETURN(const cbor::Value* v, Required(key));
  return AsTime(*v, Join(path_, key));
}

Result<std::optional<UnixMillis>> MapReader::OptionalTime(std::string_view key) {
  const cbor::Value* v = Find(key);
  if (v == nullptr) return std::optional<UnixMillis>();
  CARNET_ASSIGN_OR_RETURN(UnixMillis t, AsTime(*v, Join(path_, key)));
  return std::optional<UnixMillis>(t);
}

Result<bool> MapReader::Bool(std::string_view key) {
  CARNET_ASSIGN_OR_RETURN(const cbor::Value* v, Required(key));
  auto b = v->AsBool();
  if (!b.ok()) return InvalidArgument(Join(path_, key) + ": not a boolean");
  return *b;
}

Result<Sha256Digest> MapReader::Digest(std::string_view key) {
  CARNET_ASSIGN_OR_RETURN(Bytes bytes, ByteString(key, 32, 32));
  Sha256Digest d{};
  std::copy(bytes.begin(), bytes.end(), d.begin());
  return d;
}

Status MapReader::Finish() const {
  // Keep the Result alive: a range-for over `*map_->AsMap()` would iterate a span inside a
  // destroyed temporary (found by protocol_request_fuzz under ASan).
  const auto entries = map_->AsMap();
  for (const auto& [key, unused] : *entries) {
    const std::string_view name = *key.AsText();
    if (std::find(read_.begin(), read_.end(), name) == read_.end()) {
      return InvalidArgument(path_ + ": unknown key \"" + std::string(name) + "\"");
    }
  }
  return Status::Ok();
}

void Put(cbor::Value& map, std::string_view key, cbor::Value value) {
  map.Insert(cbor::Value::Text(key), std::move(value));
}
void PutText(cbor::Value& map, std::string_view key, std::string_view text) {
  Put(map, key, cbor::Value::Text(text));
}
void PutBytes(cbor::Value& map, std::string_view key, ByteView bytes) {
  Put(map, key, cbor::Value::ByteString(bytes));
}
void PutUint(cbor::Value& map, std::string_view key, uint64_t v) {
  Put(map, key, cbor::Value::Unsigned(v));
}
void PutTime(cbor::Value& map, std::string_view key, UnixMillis t) {
  Put(map, key, cbor::Value::Int(t));
}
void PutBool(cbor::Value& map, std::string_view key, bool v) {
  Put(map, key, cbor::Value::Bool(v));
}

}  // namespace carnet::protocol::wire
