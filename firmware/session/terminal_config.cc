#include "firmware/session/terminal_config.h"

#include <fstream>
#include <iterator>
#include <set>

namespace carnet::fw::session {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Resolve(std::string_view value, const std::string& base) {
  if (value.front() == '/' || base.empty()) return std::string(value);
  return base + "/" + std::string(value);
}

Status ParseNode(std::string_view v, TerminalConfig& c) {
  const size_t colon = v.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == v.size()) {
    return InvalidArgument("node must be host:port");
  }
  uint32_t port = 0;
  for (char ch : v.substr(colon + 1)) {
    if (ch < '0' || ch > '9') return InvalidArgument("node port must be digits");
    port = port * 10 + static_cast<uint32_t>(ch - '0');
    if (port > 65535) return InvalidArgument("node port must be 1..65535");
  }
  if (port == 0) return InvalidArgument("node port must be 1..65535");
  c.node_host = std::string(v.substr(0, colon));
  c.node_port = static_cast<uint16_t>(port);
  return Status();
}

Status ParseSeconds(std::string_view v, std::chrono::seconds& out) {
  if (v.size() > 6) return InvalidArgument("idle_timeout must be 1..86400 seconds");
  int64_t n = 0;
  for (char ch : v) {
    if (ch < '0' || ch > '9') return InvalidArgument("idle_timeout must be digits (seconds)");
    n = n * 10 + (ch - '0');
  }
  if (n < 1 || n > 86400) return InvalidArgument("idle_timeout must be 1..86400 seconds");
  out = std::chrono::seconds(n);
  return Status();
}

// Trust keys map onto the `cards --pki-index ...` options (firmware/app LoadTrust).
bool IsTrustKey(std::string_view k, std::string& option, bool& repeatable) {
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"pki_index", "pki-index"},       {"trust_root", "trust-root"},
      {"intermediate", "intermediate"}, {"crl", "crl"},
      {"vitale_ca", "vitale-ca"},       {"vitale_car", "vitale-car"}};
  for (const auto& [key, opt] : kMap) {
    if (k == key) {
      option = std::string(opt);
      repeatable = k == "trust_root" || k == "intermediate" || k == "crl";
      return true;
    }
  }
  return false;
}

struct TextKey {
  std::string_view key;
  std::string TerminalConfig::*field;
  bool path;
};
const TextKey kTextKeys[] = {
    {"server_name", &TerminalConfig::server_name, false},
    {"operator_ca", &TerminalConfig::operator_ca, true},
    {"keystore", &TerminalConfig::keystore, true},
    {"device_key", &TerminalConfig::device_key, false},
    {"device_cert", &TerminalConfig::device_cert, true},
    {"outbox", &TerminalConfig::outbox, true},
    {"state_dir", &TerminalConfig::state_dir, true},
    {"ins_oid", &TerminalConfig::ins_oid, false},
};

Status Apply(std::string_view k, std::string_view v, const std::string& base, TerminalConfig& c) {
  std::string option;
  bool repeatable = false;
  if (IsTrustKey(k, option, repeatable)) {
    c.trust.emplace_back(option, option == "vitale-car" ? std::string(v) : Resolve(v, base));
    return Status();
  }
  if (k == "node") return ParseNode(v, c);
  if (k == "idle_timeout") return ParseSeconds(v, c.idle_timeout);
  for (const TextKey& t : kTextKeys) {
    if (k == t.key) {
      c.*t.field = t.path ? Resolve(v, base) : std::string(v);
      return Status();
    }
  }
  return InvalidArgument("unknown key '" + std::string(k) + "'");
}

}  // namespace

Result<TerminalConfig> ParseTerminalConfig(std::string_view text, const std::string& base_dir) {
  if (text.size() > kMaxConfigSize) return InvalidArgument("configuration larger than 64 KiB");
  TerminalConfig c;
  std::set<std::string, std::less<>> seen;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    const std::string where = "line " + std::to_string(line_no) + ": ";
    if (line.size() > kMaxConfigLine) return InvalidArgument(where + "longer than 1024 bytes");
    for (char ch : line) {
      if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t') {
        return InvalidArgument(where + "control character");
      }
    }
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return InvalidArgument(where + "expected 'key = value'");
    const std::string_view key = Trim(line.substr(0, eq));
    const std::string_view value = Trim(line.substr(eq + 1));
    if (key.empty() || value.empty()) return InvalidArgument(where + "empty key or value");
    std::string option;
    bool repeatable = false;
    IsTrustKey(key, option, repeatable);
    if (!repeatable && !seen.insert(std::string(key)).second) {
      return InvalidArgument(where + "'" + std::string(key) + "' given twice");
    }
    if (Status s = Apply(key, value, base_dir, c); !s.ok()) {
      return InvalidArgument(where + s.message());
    }
  }
  return c;
}

Result<TerminalConfig> LoadTerminalConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read the terminal configuration " + path);
  std::string text;
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  const size_t slash = path.find_last_of('/');
  const std::string base = slash == std::string::npos ? "." : path.substr(0, slash);
  auto c = ParseTerminalConfig(text, base);
  if (!c.ok()) return InvalidArgument(path + ": " + c.status().message());
  return c;
}

}  // namespace carnet::fw::session
