#pragma once
// Internal to node/config: the table of every option (section, key, type, range, default,
// documentation, where it goes in NodeConfig). The parser, the defaults and the generated
// documentation all read this one table, so they cannot disagree.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hal/base/status.h"
#include "node/config/config.h"

namespace carnet::node::config::internal {

enum class ValueType { kString, kPath, kPathList, kInt, kDuration, kBool, kHostPort };

// One parsed value; which member is meaningful depends on the option's ValueType.
struct Value {
  std::string text;               // kString, kPath (resolved)
  std::vector<std::string> list;  // kPathList (resolved)
  int64_t integer = 0;
  std::chrono::milliseconds duration{0};
  bool boolean = false;
  std::string host;  // kHostPort
  uint16_t port = 0;
};

struct SectionSpec {
  std::string_view name;
  std::string_view doc;
};

struct OptionSpec {
  std::string_view section;
  std::string_view key;
  ValueType type;
  std::string_view default_value;
  bool optional;     // an empty value is allowed (string, path, path list): "not configured"
  int64_t min, max;  // kInt: the value; kDuration: milliseconds; kString: the length
  std::string_view doc;
  void (*apply)(NodeConfig& config, const Value& value);
};

std::span<const SectionSpec> Sections();
std::span<const OptionSpec> Options();
const OptionSpec* FindOption(std::string_view section, std::string_view key);

// Parses `text` as the option's type (range and emptiness checked); paths are resolved
// against `base_dir`. Errors are kInvalidArgument without position (the caller adds it).
Result<Value> ParseValue(const OptionSpec& spec,
                         std::string_view text,
                         const std::string& base_dir);

// "integer 1..65535", "duration 1s..1d", "path", ... for documentation.
std::string DescribeType(const OptionSpec& spec);

// "/base" + "keys/x.pem" -> "/base/keys/x.pem"; absolute paths are kept; both normalised.
std::string ResolvePath(const std::string& base_dir, std::string_view path);
// `path` made absolute against the working directory and normalised ("" stays ".").
std::string AbsolutePath(const std::string& path);

}  // namespace carnet::node::config::internal
