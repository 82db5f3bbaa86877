#pragma once
// A leveled, structured logger: one line per event, `level=info msg="..." key=value ...`.
//
// Log output is a global service chosen at link/start time (STYLE.md: link-time choice only for
// global services). Secrets cannot reach it: the field types accepted are strings, integers and
// booleans, and the secret buffer type (crypto/secret.h) has no conversion to any of them.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace carnet::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  std::string_view key;
  std::variant<std::string, int64_t, bool> value;
};

using Sink = std::function<void(std::string_view line)>;

void SetLevel(Level level);
Level GetLevel();
// Replaces where lines go (stderr by default). Tests capture lines with this.
void SetSink(Sink sink);
// Parses "debug", "info", "warn", "error", "off".
bool ParseLevel(std::string_view text, Level* out);

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields);
// Formats one line without writing it (what Write sends to the sink).
std::string Format(Level level, std::string_view msg, std::initializer_list<Field> fields);

inline void Debug(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, m, f);
}
inline void Info(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, m, f);
}
inline void Warn(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, m, f);
}
inline void Error(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, m, f);
}

}  // namespace carnet::log
