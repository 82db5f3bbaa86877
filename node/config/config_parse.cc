// The node.conf reader (strict INI) and writer (every option, documented).
#include <algorithm>
#include <cassert>
#include <filesystem>
#include <map>

#include "node/config/config.h"
#include "node/config/config_options.h"

namespace carnet::node::config {
namespace {

using internal::FindOption;
using internal::Options;
using internal::OptionSpec;
using internal::Sections;

constexpr size_t kMaxFileBytes = 1 << 20;
constexpr size_t kMaxLineBytes = 4096;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsName(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  }
  return true;
}

std::string SectionList() {
  std::string out;
  for (const auto& s : Sections()) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

// "did you mean [tls] cert?" when the key exists in another section.
std::string Suggestion(std::string_view key) {
  for (const OptionSpec& o : Options()) {
    if (o.key == key) return " (it belongs to [" + std::string(o.section) + "])";
  }
  return "";
}

// The state of one pass over the text.
class Reader {
 public:
  Reader(NodeConfig* config, std::string_view origin) : config_(config), origin_(origin) {}

  Status Line(size_t number, std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLineBytes) return Error(number, "line longer than 4096 bytes");
    for (size_t i = 0; i < line.size(); ++i) {
      auto ch = static_cast<unsigned char>(line[i]);
      if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
        return Error(number, "control character at column " + std::to_string(i + 1));
      }
    }
    line = Trim(line);
    if (line.empty() || line.front() == '#') return Status::Ok();
    if (line.front() == '[') return SectionLine(number, line);
    return KeyLine(number, line);
  }

  // Checks that involve the value rather than its syntax.
  Status Finish() const {
    // The admin listener has no TLS client authentication: on any other interface, anyone
    // who can reach the machine could administer the node.
    if (!IsLoopbackHost(config_->listen.admin_host)) {
      auto it = keys_seen_.find("listen.admin_address");
      return Error(it == keys_seen_.end() ? 0 : it->second,
                   "[listen] admin_address: '" + config_->listen.admin_host +
                       "' is not a loopback address (127.0.0.1, ::1 or localhost)");
    }
    return Status::Ok();
  }

 private:
  Status Error(size_t number, const std::string& message) const {
    return InvalidArgument(std::string(origin_) + ":" + std::to_string(number) + ": " + message);
  }

  Status SectionLine(size_t number, std::string_view line) {
    if (line.back() != ']') return Error(number, "a section line is '[name]'");
    std::string name(line.substr(1, line.size() - 2));
    bool known = false;
    for (const auto& s : Sections()) known = known || s.name == name;
    if (!known || !IsName(name)) {
      return Error(number, "unknown section [" + name + "] (sections: " + SectionList() + ")");
    }
    auto [it, inserted] = sections_seen_.emplace(name, number);
    if (!inserted) {
      return Error(number, "duplicate section [" + name + "] (first at line " +
                               std::to_string(it->second) + ")");
    }
    section_ = name;
    return Status::Ok();
  }

  Status KeyLine(size_t number, std::string_view line) {
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return Error(number, "expected 'key = value', '[section]' or '# comment'");
    }
    std::string key(Trim(line.substr(0, eq)));
    std::string_view value = Trim(line.substr(eq + 1));
    if (!IsName(key)) return Error(number, "invalid key '" + key + "' (lower case, digits, _)");
    if (section_.empty()) return Error(number, "key '" + key + "' before any [section]");
    const OptionSpec* spec = FindOption(section_, key);
    if (spec == nullptr) {
      return Error(number, "unknown key '" + key + "' in [" + section_ + "]" + Suggestion(key));
    }
    auto [it, inserted] = keys_seen_.emplace(section_ + "." + key, number);
    if (!inserted) {
      return Error(number, "duplicate key '" + key + "' in [" + section_ + "] (first at line " +
                               std::to_string(it->second) + ")");
    }
    size_t hash = value.find('#');
    if (hash != std::string_view::npos && hash > 0 &&
        (value[hash - 1] == ' ' || value[hash - 1] == '\t')) {
      return Error(number, "inline comments are not supported; put '#' lines on their own");
    }
    auto parsed = internal::ParseValue(*spec, value, config_->base_dir);
    if (!parsed.ok()) {
      return Error(number, "[" + section_ + "] " + key + ": " + parsed.status().message());
    }
    spec->apply(*config_, *parsed);
    return Status::Ok();
  }

  NodeConfig* config_;
  std::string_view origin_;
  std::string section_;
  std::map<std::string, size_t> sections_seen_;
  std::map<std::string, size_t> keys_seen_;
};

// `text` as '#' comment lines of at most about 90 columns, broken between words.
std::string Comment(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    size_t cut = text.size();
    if (cut > 88) {
      cut = text.rfind(' ', 88);
      if (cut == std::string_view::npos) cut = text.size();
    }
    out += "# " + std::string(text.substr(0, cut)) + "\n";
    text.remove_prefix(std::min(text.size(), cut + 1));
  }
  return out;
}

}  // namespace

NodeConfig DefaultConfig(const std::string& base_dir) {
  NodeConfig config;
  config.base_dir = internal::AbsolutePath(base_dir);
  for (const OptionSpec& o : Options()) {
    auto v = internal::ParseValue(o, o.default_value, config.base_dir);
    // The defaults are constants of the table; config_test parses every one of them.
    assert(v.ok());
    if (v.ok()) o.apply(config, *v);
  }
  return config;
}

Result<NodeConfig> ParseConfig(std::string_view text,
                               const std::string& base_dir,
                               std::string_view origin) {
  if (text.size() > kMaxFileBytes) {
    return InvalidArgument(std::string(origin) + ": larger than 1 MiB");
  }
  NodeConfig config = DefaultConfig(base_dir);
  Reader reader(&config, origin);
  size_t number = 1;
  while (true) {
    size_t nl = text.find('\n');
    CARNET_TRY(reader.Line(number, text.substr(0, nl)));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
    ++number;
  }
  CARNET_TRY(reader.Finish());
  return config;
}

Result<std::string> DefaultConfigText(const std::vector<ConfigOverride>& overrides) {
  std::map<std::string, std::string> values;
  for (const ConfigOverride& o : overrides) {
    size_t dot = o.name.find('.');
    if (dot == std::string::npos ||
        FindOption(o.name.substr(0, dot), o.name.substr(dot + 1)) == nullptr) {
      return InvalidArgument("no option named '" + o.name + "'");
    }
    values[o.name] = o.value;
  }
  std::string out =
      "# Carnet node configuration. Every option is listed with its documentation, type and\n"
      "# default. Relative paths are relative to this file's directory. Comments are whole\n"
      "# lines starting with '#'. Unknown sections or keys are refused.\n";
  for (const auto& section : Sections()) {
    out += "\n[" + std::string(section.name) + "]\n# " + std::string(section.doc) + "\n";
    for (const OptionSpec& o : Options()) {
      if (o.section != section.name) continue;
      std::string name = std::string(o.section) + "." + std::string(o.key);
      auto it = values.find(name);
      std::string value = it != values.end() ? it->second : std::string(o.default_value);
      out += "\n" + Comment(o.doc) + "# " + internal::DescribeType(o) +
             (o.optional ? ", may be empty" : "") +
             "; default: " + (o.default_value.empty() ? "(empty)" : std::string(o.default_value)) +
             "\n";
      out += std::string(o.key) + " = " + value + "\n";
    }
  }
  return out;
}

}  // namespace carnet::node::config
