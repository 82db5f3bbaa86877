// json.h: the strict parser (see json.h for what "strict" means).
#include <charconv>
#include <cmath>

#include "hal/base/json.h"

namespace carnet::json {
namespace {

// Recursive-descent parser over a bounded text. Depth is checked before each nested value so
// that a hostile "[[[[..." cannot exhaust the stack.
class Parser {
 public:
  Parser(std::string_view text, const ParseLimits& limits) : t_(text), limits_(limits) {}

  Result<Value> Run() {
    if (t_.size() > limits_.max_bytes) {
      return InvalidArgument("1:1: text is " + std::to_string(t_.size()) +
                             " bytes, more than the limit of " + std::to_string(limits_.max_bytes));
    }
    CARNET_TRY(ValidateUtf8());
    Value v;
    SkipSpace();
    CARNET_TRY(ParseValue(&v, 0));
    SkipSpace();
    if (p_ != t_.size()) return Error("unexpected text after the value");
    return v;
  }

 private:
  Status Error(std::string_view what) const { return ErrorAt(p_, what); }

  Status ErrorAt(size_t pos, std::string_view what) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos && i < t_.size(); ++i) {
      if (t_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return InvalidArgument(std::to_string(line) + ":" + std::to_string(col) + ": " +
                           std::string(what));
  }

  uint8_t Byte(size_t i) const { return static_cast<uint8_t>(t_[i]); }

  // RFC 3629 well-formed UTF-8 (table 3-7 of the Unicode standard).
  Status ValidateUtf8() const {
    for (size_t i = 0; i < t_.size();) {
      uint8_t b = Byte(i);
      if (b < 0x80) {
        ++i;
        continue;
      }
      size_t n = 0;
      uint8_t lo = 0x80, hi = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        n = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        n = 2;
        if (b == 0xE0) lo = 0xA0;  // overlong
        if (b == 0xED) hi = 0x9F;  // UTF-16 surrogates
      } else if (b >= 0xF0 && b <= 0xF4) {
        n = 3;
        if (b == 0xF0) lo = 0x90;  // overlong
        if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
      } else {
        return ErrorAt(i, "invalid UTF-8");
      }
      if (i + n >= t_.size()) return ErrorAt(i, "truncated UTF-8");
      if (Byte(i + 1) < lo || Byte(i + 1) > hi) return ErrorAt(i, "invalid UTF-8");
      for (size_t k = 2; k <= n; ++k) {
        if (Byte(i + k) < 0x80 || Byte(i + k) > 0xBF) return ErrorAt(i, "invalid UTF-8");
      }
      i += n + 1;
    }
    return Status::Ok();
  }

  void SkipSpace() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\n' || t_[p_] == '\r'))
      ++p_;
  }

  bool Literal(std::string_view word) {
    if (t_.substr(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  Status ParseValue(Value* out, int depth) {
    if (p_ >= t_.size()) return Error("unexpected end of text, expected a value");
    char c = t_[p_];
    if (c == '{' || c == '[') {
      if (depth >= limits_.max_depth) {
        return Error("nesting deeper than " + std::to_string(limits_.max_depth));
      }
      return c == '{' ? ParseObject(out, depth + 1) : ParseArray(out, depth + 1);
    }
    if (c == '"') {
      std::string s;
      CARNET_TRY(ParseString(&s));
      *out = Value::String(std::move(s));
      return Status::Ok();
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
    if (Literal("true")) {
      *out = Value::Bool(true);
    } else if (Literal("false")) {
      *out = Value::Bool(false);
    } else if (Literal("null")) {
      *out = Value();
    } else {
      return Error("expected a value");
    }
    return Status::Ok();
  }

  Status ParseArray(Value* out, int depth) {
    ++p_;  // '['
    Value::Array items;
    SkipSpace();
    if (p_ < t_.size() && t_[p_] == ']') {
      ++p_;
      *out = Value::MakeArray();
      return Status::Ok();
    }
    for (;;) {
      SkipSpace();
      Value item;
      CARNET_TRY(ParseValue(&item, depth));
      items.push_back(std::move(item));
      SkipSpace();
      if (p_ >= t_.size()) return Error("unexpected end of text, expected ',' or ']'");
      if (t_[p_] == ']') break;
      if (t_[p_] != ',') return Error("expected ',' or ']'");
      ++p_;
    }
    ++p_;
    *out = Value::MakeArray(std::move(items));
    return Status::Ok();
  }

  Status ParseMember(Value::Object* members, int depth) {
    SkipSpace();
    if (p_ >= t_.size() || t_[p_] != '"') return Error("expected a string key");
    size_t key_pos = p_;
    std::string key;
    CARNET_TRY(ParseString(&key));
    for (const auto& m : *members) {
      // Linear scan bounded by the object size; objects in our inputs are small, and the
      // size limit bounds the worst case.
      if (m.first == key) return ErrorAt(key_pos, "duplicate key " + Quote(key));
    }
    SkipSpace();
    if (p_ >= t_.size() || t_[p_] != ':') return Error("expected ':'");
    ++p_;
    SkipSpace();
    Value v;
    CARNET_TRY(ParseValue(&v, depth));
    members->emplace_back(std::move(key), std::move(v));
    return Status::Ok();
  }

  Status ParseObject(Value* out, int depth) {
    ++p_;  // '{'
    Value::Object members;
    SkipSpace();
    if (p_ < t_.size() && t_[p_] == '}') {
      ++p_;
      *out = Value::MakeObject();
      return Status::Ok();
    }
    for (;;) {
      if (members.size() >= kMaxMembers) return Error("object has too many members");
      CARNET_TRY(ParseMember(&members, depth));
      SkipSpace();
      if (p_ >= t_.size()) return Error("unexpected end of text, expected ',' or '}'");
      if (t_[p_] == '}') break;
      if (t_[p_] != ',') return Error("expected ',' or '}'");
      ++p_;
    }
    ++p_;
    *out = Value::MakeObject(std::move(members));
    return Status::Ok();
  }

  Status ParseHex4(uint32_t* out) {
    if (p_ + 4 > t_.size()) return Error("truncated \\u escape");
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = t_[p_ + k];
      uint32_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        d = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Error("bad hex digit in \\u escape");
      }
      v = v * 16 + d;
    }
    p_ += 4;
    *out = v;
    return Status::Ok();
  }

  // After "\u": one code point, combining a surrogate pair; a lone surrogate is an error.
  Status ParseUnicodeEscape(std::string* s) {
    size_t start = p_ - 2;
    uint32_t cp = 0;
    CARNET_TRY(ParseHex4(&cp));
    if (cp >= 0xDC00 && cp <= 0xDFFF) return ErrorAt(start, "lone low surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (t_.substr(p_, 2) != "\\u") return ErrorAt(start, "high surrogate without a low one");
      p_ += 2;
      uint32_t low = 0;
      CARNET_TRY(ParseHex4(&low));
      if (low < 0xDC00 || low > 0xDFFF) return ErrorAt(start, "high surrogate without a low one");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(cp, s);
    return Status::Ok();
  }

  static void AppendUtf8(uint32_t cp, std::string* s) {
    auto put = [s](uint32_t b) { s->push_back(static_cast<char>(b)); };
    if (cp < 0x80) {
      put(cp);
    } else if (cp < 0x800) {
      put(0xC0 | (cp >> 6));
      put(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      put(0xE0 | (cp >> 12));
      put(0x80 | ((cp >> 6) & 0x3F));
      put(0x80 | (cp & 0x3F));
    } else {
      put(0xF0 | (cp >> 18));
      put(0x80 | ((cp >> 12) & 0x3F));
      put(0x80 | ((cp >> 6) & 0x3F));
      put(0x80 | (cp & 0x3F));
    }
  }

  Status ParseEscape(std::string* s) {
    if (p_ >= t_.size()) return Error("unterminated string");
    char c = t_[p_++];
    switch (c) {
      case '"':
        s->push_back('"');
        break;
      case '\\':
        s->push_back('\\');
        break;
      case '/':
        s->push_back('/');
        break;
      case 'b':
        s->push_back('\b');
        break;
      case 'f':
        s->push_back('\f');
        break;
      case 'n':
        s->push_back('\n');
        break;
      case 'r':
        s->push_back('\r');
        break;
      case 't':
        s->push_back('\t');
        break;
      case 'u':
        return ParseUnicodeEscape(s);
      default:
        return ErrorAt(p_ - 2, "invalid escape");
    }
    return Status::Ok();
  }

  Status ParseString(std::string* s) {
    size_t start = p_++;  // '"'
    for (;;) {
      if (p_ >= t_.size()) return ErrorAt(start, "unterminated string");
      char c = t_[p_];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
      ++p_;
      if (c == '\\') {
        CARNET_TRY(ParseEscape(s));
      } else {
        s->push_back(c);
      }
    }
    ++p_;
    return Status::Ok();
  }

  Status ParseNumber(Value* out) {
    size_t start = p_;
    auto digits = [this] {
      size_t n = 0;
      while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') ++p_, ++n;
      return n;
    };
    if (t_[p_] == '-') ++p_;
    if (p_ < t_.size() && t_[p_] == '0') {
      ++p_;
    } else if (digits() == 0) {
      return ErrorAt(start, "bad number");
    }
    bool integral = true;
    if (p_ < t_.size() && t_[p_] == '.') {
      ++p_;
      integral = false;
      if (digits() == 0) return ErrorAt(start, "bad number: digits expected after '.'");
    }
    if (p_ < t_.size() && (t_[p_] == 'e' || t_[p_] == 'E')) {
      ++p_;
      integral = false;
      if (p_ < t_.size() && (t_[p_] == '+' || t_[p_] == '-')) ++p_;
      if (digits() == 0) return ErrorAt(start, "bad number: digits expected in exponent");
    }
    const char* first = t_.data() + start;
    const char* last = t_.data() + p_;
    if (integral) {
      int64_t i;
      auto r = std::from_chars(first, last, i);
      if (r.ec == std::errc() && r.ptr == last) {
        *out = Value::Int(i);
        return Status::Ok();
      }
    }
    double d;
    auto r = std::from_chars(first, last, d);
    if (r.ec != std::errc() || r.ptr != last || !std::isfinite(d)) {
      return ErrorAt(start, "number out of range");
    }
    *out = Value::Double(d);
    return Status::Ok();
  }

  static constexpr size_t kMaxMembers = 10000;

  std::string_view t_;
  ParseLimits limits_;
  size_t p_ = 0;
};

}  // namespace

Result<Value> Parse(std::string_view text, const ParseLimits& limits) {
  return Parser(text, limits).Run();
}

}  // namespace carnet::json
