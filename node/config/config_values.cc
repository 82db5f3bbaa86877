// Typed values of node.conf: integers, durations, booleans, host:port, paths.
#include <filesystem>

#include "node/config/config_options.h"

namespace carnet::node::config::internal {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Decimal digits only (no sign, no spaces), at most 18 of them so that int64 cannot overflow.
Result<int64_t> ParseDigits(std::string_view s, std::string_view what) {
  if (s.empty() || s.size() > 18) return InvalidArgument("expected " + std::string(what));
  int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return InvalidArgument("expected " + std::string(what));
    v = v * 10 + (ch - '0');
  }
  return v;
}

std::string FormatDuration(int64_t ms) {
  struct Unit {
    int64_t ms;
    const char* name;
  };
  constexpr Unit kUnits[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
  for (const Unit& u : kUnits) {
    if (ms != 0 && ms % u.ms == 0) return std::to_string(ms / u.ms) + u.name;
  }
  return std::to_string(ms) + "ms";
}

Status CheckRange(const OptionSpec& spec, int64_t v, std::string shown) {
  if (v >= spec.min && v <= spec.max) return Status::Ok();
  return InvalidArgument(shown + " is out of range (" + DescribeType(spec) + ")");
}

Result<int64_t> ParseInt(const OptionSpec& spec, std::string_view s) {
  CARNET_ASSIGN_OR_RETURN(int64_t v, ParseDigits(s, "a non-negative decimal integer"));
  CARNET_TRY(CheckRange(spec, v, std::string(s)));
  return v;
}

Result<std::chrono::milliseconds> ParseDuration(const OptionSpec& spec, std::string_view s) {
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  std::string_view unit = s.substr(digits);
  constexpr std::string_view kExpected = "a duration like 500ms, 30s, 5m, 4h or 7d";
  int64_t scale = unit == "ms"  ? 1
                  : unit == "s" ? 1000
                  : unit == "m" ? 60000
                  : unit == "h" ? 3600000
                  : unit == "d" ? 86400000
                                : 0;
  if (scale == 0 || digits == 0 || digits > 9)
    return InvalidArgument(std::string("expected ") + std::string(kExpected));
  CARNET_ASSIGN_OR_RETURN(int64_t n, ParseDigits(s.substr(0, digits), kExpected));
  int64_t ms = n * scale;  // n < 10^9, scale < 10^8: no overflow
  CARNET_TRY(CheckRange(spec, ms, std::string(s)));
  return std::chrono::milliseconds(ms);
}

Result<bool> ParseBool(std::string_view s) {
  if (s == "on" || s == "true" || s == "yes") return true;
  if (s == "off" || s == "false" || s == "no") return false;
  return InvalidArgument("expected on|off|true|false|yes|no");
}

bool IsHostChar(char ch, bool bracketed) {
  if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) return true;
  return ch == '.' || ch == '-' || (bracketed && ch == ':');
}

// "host:port" or "[v6]:port". The host is an IP literal or a DNS name; it is resolved by
// whoever binds it, not here.
Status ParseHostPort(std::string_view s, Value* out) {
  constexpr char kExpected[] = "expected host:port (e.g. 0.0.0.0:8443 or [::1]:8444)";
  bool bracketed = !s.empty() && s.front() == '[';
  size_t colon = bracketed ? s.find("]:") : s.rfind(':');
  if (colon == std::string_view::npos) return InvalidArgument(kExpected);
  std::string_view host = bracketed ? s.substr(1, colon - 1) : s.substr(0, colon);
  std::string_view port = s.substr(bracketed ? colon + 2 : colon + 1);
  if (host.empty() || host.size() > 253) return InvalidArgument(kExpected);
  for (char ch : host) {
    if (!IsHostChar(ch, bracketed)) return InvalidArgument(kExpected);
  }
  auto p = ParseDigits(port, "a port number 0..65535");
  if (!p.ok() || *p > 65535 || port.size() > 5) {
    return InvalidArgument("port '" + std::string(port) + "' is not a number 0..65535");
  }
  out->host = std::string(host);
  out->port = static_cast<uint16_t>(*p);
  return Status::Ok();
}

Status ParsePathList(std::string_view s, const std::string& base_dir, Value* out) {
  if (s.empty()) return Status::Ok();
  while (true) {
    size_t comma = s.find(',');
    std::string_view item = Trim(s.substr(0, comma));
    if (item.empty()) return InvalidArgument("empty item in a comma-separated path list");
    out->list.push_back(ResolvePath(base_dir, item));
    if (comma == std::string_view::npos) return Status::Ok();
    s.remove_prefix(comma + 1);
  }
}

}  // namespace

std::string ResolvePath(const std::string& base_dir, std::string_view path) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
  return p.lexically_normal().string();
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path.empty() ? "." : path, ec);
  if (ec) p = path;
  return p.lexically_normal().string();
}

Result<Value> ParseValue(const OptionSpec& spec,
                         std::string_view text,
                         const std::string& base_dir) {
  Value v;
  // Only text-like options can be "not configured"; the table marks which ones may be.
  if (text.empty() && !spec.optional) {
    return InvalidArgument("a value is required (" + DescribeType(spec) + ")");
  }
  switch (spec.type) {
    case ValueType::kString:
      if (!text.empty() && (static_cast<int64_t>(text.size()) < spec.min ||
                            static_cast<int64_t>(text.size()) > spec.max)) {
        return InvalidArgument("expected " + DescribeType(spec));
      }
      v.text = std::string(text);
      return v;
    case ValueType::kPath:
      if (!text.empty()) v.text = ResolvePath(base_dir, text);
      return v;
    case ValueType::kPathList:
      CARNET_TRY(ParsePathList(text, base_dir, &v));
      return v;
    case ValueType::kInt: {
      CARNET_ASSIGN_OR_RETURN(v.integer, ParseInt(spec, text));
      return v;
    }
    case ValueType::kDuration: {
      CARNET_ASSIGN_OR_RETURN(v.duration, ParseDuration(spec, text));
      return v;
    }
    case ValueType::kBool: {
      CARNET_ASSIGN_OR_RETURN(v.boolean, ParseBool(text));
      return v;
    }
    case ValueType::kHostPort:
      CARNET_TRY(ParseHostPort(text, &v));
      return v;
  }
  return Internal("unknown value type");
}

std::string DescribeType(const OptionSpec& spec) {
  switch (spec.type) {
    case ValueType::kString:
      return "text of " + std::to_string(spec.min) + " to " + std::to_string(spec.max) +
             " characters";
    case ValueType::kPath:
      return "path";
    case ValueType::kPathList:
      return "comma-separated paths";
    case ValueType::kInt:
      return "integer " + std::to_string(spec.min) + ".." + std::to_string(spec.max);
    case ValueType::kDuration:
      return "duration " + FormatDuration(spec.min) + ".." + FormatDuration(spec.max);
    case ValueType::kBool:
      return "on|off";
    case ValueType::kHostPort:
      return "host:port";
  }
  return "?";
}

}  // namespace carnet::node::config::internal
