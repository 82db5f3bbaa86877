#include "crypto/cbor/value.h"

#include <limits>
#include <string>

namespace carnet::crypto::cbor {

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kUnsigned:
      return "unsigned integer";
    case Type::kNegative:
      return "negative integer";
    case Type::kByteString:
      return "byte string";
    case Type::kTextString:
      return "text string";
    case Type::kArray:
      return "array";
    case Type::kMap:
      return "map";
    case Type::kTag:
      return "tag";
    case Type::kBool:
      return "bool";
    case Type::kNull:
      return "null";
    case Type::kUndefined:
      return "undefined";
  }
  return "unknown";
}

Value Value::Unsigned(uint64_t v) { return Value(Type::kUnsigned, v); }
Value Value::Negative(uint64_t n) { return Value(Type::kNegative, n); }

Value Value::Int(int64_t v) {
  if (v >= 0) return Unsigned(static_cast<uint64_t>(v));
  // -1 - n = v  =>  n = -1 - v, computed without overflow for INT64_MIN.
  return Negative(static_cast<uint64_t>(-(v + 1)));
}

Value Value::ByteString(ByteView data) {
  Value v(Type::kByteString, 0);
  v.bytes_.assign(data.begin(), data.end());
  return v;
}

Value Value::Text(std::string_view text) {
  Value v(Type::kTextString, 0);
  v.bytes_.assign(text.begin(), text.end());
  return v;
}

Value Value::Array(std::vector<Value> items) {
  Value v(Type::kArray, 0);
  v.items_ = std::move(items);
  return v;
}

Value Value::Map(std::vector<MapEntry> entries) {
  Value v(Type::kMap, 0);
  v.entries_ = std::move(entries);
  return v;
}

Value Value::Tag(uint64_t tag, Value content) {
  Value v(Type::kTag, tag);
  v.items_.push_back(std::move(content));
  return v;
}

Value Value::Bool(bool b) { return Value(Type::kBool, b ? 1 : 0); }
Value Value::Null() { return Value(Type::kNull, 0); }
Value Value::Undefined() { return Value(Type::kUndefined, 0); }

Status Value::WrongType(Type wanted) const {
  return InvalidArgument("CBOR type mismatch: expected " + std::string(TypeName(wanted)) +
                         ", found " + std::string(TypeName(type_)));
}

Result<uint64_t> Value::AsUint64() const {
  if (type_ != Type::kUnsigned) return WrongType(Type::kUnsigned);
  return number_;
}

Result<int64_t> Value::AsInt64() const {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (type_ != Type::kUnsigned && type_ != Type::kNegative) {
    return InvalidArgument("CBOR type mismatch: expected integer, found " +
                           std::string(TypeName(type_)));
  }
  if (number_ > kMax) return OutOfRange("CBOR integer does not fit in int64");
  auto n = static_cast<int64_t>(number_);
  return type_ == Type::kUnsigned ? n : -1 - n;
}

Result<ByteView> Value::AsBytes() const {
  if (type_ != Type::kByteString) return WrongType(Type::kByteString);
  return ByteView(bytes_);
}

Result<std::string_view> Value::AsText() const {
  if (type_ != Type::kTextString) return WrongType(Type::kTextString);
  return std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
}

Result<std::span<const Value>> Value::AsArray() const {
  if (type_ != Type::kArray) return WrongType(Type::kArray);
  return std::span<const Value>(items_);
}

Result<std::span<const MapEntry>> Value::AsMap() const {
  if (type_ != Type::kMap) return WrongType(Type::kMap);
  return std::span<const MapEntry>(entries_);
}

Result<bool> Value::AsBool() const {
  if (type_ != Type::kBool) return WrongType(Type::kBool);
  return number_ != 0;
}

Result<uint64_t> Value::TagNumber() const {
  if (type_ != Type::kTag) return WrongType(Type::kTag);
  return number_;
}

Result<const Value*> Value::TagContent() const {
  if (type_ != Type::kTag || items_.size() != 1) return WrongType(Type::kTag);
  return &items_[0];
}

const Value* Value::Find(const Value& key) const {
  if (type_ != Type::kMap) return nullptr;
  for (const auto& [k, v] : entries_) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Value::Append(Value item) {
  if (type_ == Type::kArray) items_.push_back(std::move(item));
}

void Value::Insert(Value key, Value value) {
  if (type_ == Type::kMap) entries_.emplace_back(std::move(key), std::move(value));
}

bool operator==(const Value& a, const Value& b) {
  return a.type_ == b.type_ && a.number_ == b.number_ && a.bytes_ == b.bytes_ &&
         a.items_ == b.items_ && a.entries_ == b.entries_;
}

}  // namespace carnet::crypto::cbor
