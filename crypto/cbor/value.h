#pragma once
// cbor::Value: the CBOR data model Carnet uses (RFC 8949 §3), small on purpose.
//
// Supported: unsigned and negative integers (the full 64-bit CBOR range of each), byte
// strings, UTF-8 text strings, arrays, maps (an ordered vector of key/value pairs: the order
// is the order in the input, the encoder sorts), tags, false/true, null and undefined.
// Not supported: floating point and other simple values (no Carnet format needs them; the
// decoder rejects them).
//
// Integers: CBOR has 2^64 non-negative values (major type 0) and 2^64 negative values
// (major type 1, value -1-n). A Value keeps the type and the raw 64-bit argument, so nothing
// is lost; AsInt64() fails rather than wrapping when the value does not fit.
//
// Accessors return Result: asking a text string for its bytes is an error the caller must
// handle (outside data decides the types), never undefined behaviour.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::crypto::cbor {

enum class Type {
  kUnsigned,
  kNegative,
  kByteString,
  kTextString,
  kArray,
  kMap,
  kTag,
  kBool,
  kNull,
  kUndefined,
};
std::string_view TypeName(Type type);

class Value;
using MapEntry = std::pair<Value, Value>;

class Value {
 public:
  Value() = default;  // null

  static Value Unsigned(uint64_t v);
  // The negative integer -1 - n (CBOR major type 1 with argument n).
  static Value Negative(uint64_t n);
  static Value Int(int64_t v);
  static Value ByteString(ByteView data);
  // The caller guarantees `text` is UTF-8 (the decoder checks what comes from outside).
  static Value Text(std::string_view text);
  static Value Array(std::vector<Value> items);
  static Value Map(std::vector<MapEntry> entries);
  static Value Tag(uint64_t tag, Value content);
  static Value Bool(bool v);
  static Value Null();
  static Value Undefined();

  Type type() const { return type_; }
  bool is(Type t) const { return type_ == t; }

  Result<uint64_t> AsUint64() const;  // kUnsigned only
  Result<int64_t> AsInt64() const;    // kUnsigned or kNegative that fits in int64_t
  Result<ByteView> AsBytes() const;
  Result<std::string_view> AsText() const;
  Result<std::span<const Value>> AsArray() const;
  Result<std::span<const MapEntry>> AsMap() const;
  Result<bool> AsBool() const;
  Result<uint64_t> TagNumber() const;
  Result<const Value*> TagContent() const;  // points into this Value

  // Map lookup: the value for `key`, or nullptr when absent or when this is not a map.
  const Value* Find(const Value& key) const;
  const Value* FindInt(int64_t key) const { return Find(Int(key)); }

  // The raw CBOR argument: the unsigned value, n of a negative (-1-n), the tag number, 0/1 for
  // bool. For the encoder.
  uint64_t raw_number() const { return number_; }

  // Builders, for code that assembles a value piece by piece (no effect on other types).
  void Append(Value item);
  void Insert(Value key, Value value);

  friend bool operator==(const Value& a, const Value& b);

 private:
  Value(Type type, uint64_t number) : type_(type), number_(number) {}
  Status WrongType(Type wanted) const;

  Type type_ = Type::kNull;
  uint64_t number_ = 0;
  Bytes bytes_;                    // byte string, or the UTF-8 bytes of a text string
  std::vector<Value> items_;       // array items, or the single content of a tag
  std::vector<MapEntry> entries_;  // map entries in order
};

}  // namespace carnet::crypto::cbor
