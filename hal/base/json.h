#pragma once
// A small, strict JSON (RFC 8259) parser and writer, plus ObjectReader for reading
// configuration-like documents field by field.
//
// Strict means: one value per text, no comments, no trailing commas, no byte-order mark, no
// NaN/Infinity, UTF-8 validated (no overlong forms, no surrogates, nothing above U+10FFFF),
// \u escapes with surrogate pairs checked, duplicate object keys rejected. Input is bounded by
// ParseLimits (size and nesting depth) so that hostile input costs bounded memory and stack.
// Every error is an InvalidArgument whose message starts with "line:column: " (1-based,
// column counted in bytes).
//
// Numbers: an integral literal (no fraction, no exponent) that fits in int64 is kInt; every
// other number is kDouble (an integral literal too large for int64 becomes a double).

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hal/base/status.h"

namespace carnet::json {

enum class Kind { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

// "null", "boolean", "integer", "number", "string", "array", "object".
std::string_view KindName(Kind kind);

class Value {
 public:
  using Array = std::vector<Value>;
  using Member = std::pair<std::string, Value>;
  using Object = std::vector<Member>;  // in document order; keys unique after Parse

  Value() = default;  // null
  static Value Bool(bool b);
  static Value Int(int64_t i);
  static Value Double(double d);
  static Value String(std::string s);
  static Value MakeArray(Array a = {});
  static Value MakeObject(Object o = {});

  Kind kind() const { return kind_; }
  bool is(Kind k) const { return kind_ == k; }
  bool is_null() const { return kind_ == Kind::kNull; }

  // Accessors; calling one on the wrong kind returns the zero value (never UB).
  bool as_bool() const { return kind_ == Kind::kBool && b_; }
  int64_t as_int() const { return kind_ == Kind::kInt ? i_ : 0; }
  double as_double() const;  // kInt converts
  const std::string& as_string() const { return s_; }
  const Array& as_array() const { return a_; }
  const Object& as_object() const { return o_; }

  // Object member by key, or nullptr (also when this is not an object).
  const Value* Find(std::string_view key) const;

  // Builders for writers: append to an array / object (Set does not check for duplicates).
  Value& Append(Value v);
  Value& Set(std::string key, Value v);

  friend bool operator==(const Value& a, const Value& b);

 private:
  Kind kind_ = Kind::kNull;
  bool b_ = false;
  int64_t i_ = 0;
  double d_ = 0;
  std::string s_;
  Array a_;
  Object o_;
};

struct ParseLimits {
  size_t max_bytes = 1 << 20;  // whole text
  int max_depth = 64;          // nested arrays/objects
};

Result<Value> Parse(std::string_view text, const ParseLimits& limits = {});

// Compact JSON, keys in stored order. Strings are escaped (", \, control characters);
// non-ASCII UTF-8 is written as is. A double always carries a '.' or an exponent so that it
// reads back as a double; non-finite doubles (never produced by Parse) are written as null.
std::string Write(const Value& value);

// The JSON string literal for `s`, quotes included.
std::string Quote(std::string_view s);

// ---------------------------------------------------------------------------------------------
// ObjectReader: typed access to the members of one object, naming the full field path in
// every error ("dossier.authorizations[0].basis: expected one of care_team|explicit_consent").
// Every getter marks its key as known; Finish() then rejects any member nobody asked for.
// For an optional field, absence and an explicit null both mean "absent": `*out` is left
// untouched so that the caller's default stands.

enum class Presence { kRequired, kOptional };

class ObjectReader {
 public:
  // Fails (naming `path`, or "document" when empty) when `value` is not an object.
  static Result<ObjectReader> Open(const Value& value, std::string path);

  // Returns the member (marking it known), or nullptr when absent or null.
  const Value* Take(std::string_view key);
  // Returns the member or a "missing required field" / nullptr-for-optional.
  Result<const Value*> Get(std::string_view key, Presence presence);

  Status String(std::string_view key, Presence presence, std::string* out);
  Status Bool(std::string_view key, Presence presence, bool* out);
  Status Int(std::string_view key, Presence presence, int64_t* out);
  Status OneOf(std::string_view key,
               Presence presence,
               std::initializer_list<std::string_view> choices,
               std::string* out);
  Status StringArray(std::string_view key, Presence presence, std::vector<std::string>* out);
  // `*out` is set to the array (or left untouched when optional and absent).
  Status Array(std::string_view key, Presence presence, const Value::Array** out);

  // "unknown field" for the first member no getter asked for.
  Status Finish() const;

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const;

 private:
  ObjectReader(const Value* object, std::string path) : object_(object), path_(std::move(path)) {}

  const Value* object_;
  std::string path_;
  std::vector<std::string> known_;
};

// "items[3]".
std::string IndexPath(std::string_view path, size_t index);
// "<path>: expected <what>, got <kind of value>".
Status TypeError(std::string_view path, std::string_view expected, const Value& got);

}  // namespace carnet::json
