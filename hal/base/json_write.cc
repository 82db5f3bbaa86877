// json.h: the writer (Write, Quote) and Value's kinds, builders and accessors.
#include <cmath>
#include <cstdio>

#include "hal/base/json.h"

namespace carnet::json {
namespace {

void WriteTo(const Value& v, std::string* out);

void WriteDouble(double d, std::string* out) {
  if (!std::isfinite(d)) {
    *out += "null";
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  *out += s;
}

void WriteTo(const Value& v, std::string* out) {
  switch (v.kind()) {
    case Kind::kNull:
      *out += "null";
      return;
    case Kind::kBool:
      *out += v.as_bool() ? "true" : "false";
      return;
    case Kind::kInt:
      *out += std::to_string(v.as_int());
      return;
    case Kind::kDouble:
      WriteDouble(v.as_double(), out);
      return;
    case Kind::kString:
      *out += Quote(v.as_string());
      return;
    case Kind::kArray: {
      out->push_back('[');
      for (size_t i = 0; i < v.as_array().size(); ++i) {
        if (i) out->push_back(',');
        WriteTo(v.as_array()[i], out);
      }
      out->push_back(']');
      return;
    }
    case Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, member] : v.as_object()) {
        if (!first) out->push_back(',');
        first = false;
        *out += Quote(key);
        out->push_back(':');
        WriteTo(member, out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "boolean";
    case Kind::kInt:
      return "integer";
    case Kind::kDouble:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kArray:
      return "array";
    case Kind::kObject:
      return "object";
  }
  return "?";
}

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  return v;
}
Value Value::Int(int64_t i) {
  Value v;
  v.kind_ = Kind::kInt;
  v.i_ = i;
  return v;
}
Value Value::Double(double d) {
  Value v;
  v.kind_ = Kind::kDouble;
  v.d_ = d;
  return v;
}
Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.s_ = std::move(s);
  return v;
}
Value Value::MakeArray(Array a) {
  Value v;
  v.kind_ = Kind::kArray;
  v.a_ = std::move(a);
  return v;
}
Value Value::MakeObject(Object o) {
  Value v;
  v.kind_ = Kind::kObject;
  v.o_ = std::move(o);
  return v;
}

double Value::as_double() const {
  if (kind_ == Kind::kInt) return static_cast<double>(i_);
  return kind_ == Kind::kDouble ? d_ : 0.0;
}

const Value* Value::Find(std::string_view key) const {
  for (const auto& m : o_) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

Value& Value::Append(Value v) {
  a_.push_back(std::move(v));
  return a_.back();
}

Value& Value::Set(std::string key, Value v) {
  o_.emplace_back(std::move(key), std::move(v));
  return o_.back().second;
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.b_ == b.b_;
    case Kind::kInt:
      return a.i_ == b.i_;
    case Kind::kDouble:
      return a.d_ == b.d_;
    case Kind::kString:
      return a.s_ == b.s_;
    case Kind::kArray:
      return a.a_ == b.a_;
    case Kind::kObject:
      return a.o_ == b.o_;
  }
  return false;
}

std::string Write(const Value& value) {
  std::string out;
  WriteTo(value, &out);
  return out;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace carnet::json
