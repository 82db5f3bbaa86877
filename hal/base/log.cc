#include "hal/base/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace carnet::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::mutex g_mu;
Sink& SinkRef() {
  static Sink sink;
  return sink;
}

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
    case Level::kOff:
      return "off";
  }
  return "?";
}

// Quotes a value when it holds spaces, quotes or control characters; escapes the latter so one
// event stays one line whatever a card or a client sent.
void AppendValue(std::string& out, std::string_view v) {
  bool plain = !v.empty();
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      plain = false;
    }
  }
  if (plain) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

void SetLevel(Level level) { g_level = level; }
Level GetLevel() { return g_level; }

void SetSink(Sink sink) {
  std::lock_guard<std::mutex> lock(g_mu);
  SinkRef() = std::move(sink);
}

bool ParseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError, Level::kOff}) {
    if (text == LevelName(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

std::string Format(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  std::string line = "level=";
  line += LevelName(level);
  line += " msg=";
  AppendValue(line, msg);
  for (const Field& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    if (const auto* s = std::get_if<std::string>(&f.value)) {
      AppendValue(line, *s);
    } else if (const auto* i = std::get_if<int64_t>(&f.value)) {
      line += std::to_string(*i);
    } else {
      line += std::get<bool>(f.value) ? "true" : "false";
    }
  }
  return line;
}

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (level < g_level.load() || level == Level::kOff) return;
  std::string line = Format(level, msg, fields);
  std::lock_guard<std::mutex> lock(g_mu);
  if (SinkRef()) {
    SinkRef()(line);
  } else {
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

}  // namespace carnet::log
