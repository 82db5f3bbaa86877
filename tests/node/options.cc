// Options: the small command-line parser of carnet-reqgen.
#include <algorithm>
#include <charconv>

#include "tests/node/reqgen.h"

namespace carnet::tests::reqgen {

Result<Options> Options::Parse(const std::vector<std::string_view>& args,
                               const std::vector<std::string_view>& flags) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (a.size() < 3 || a.substr(0, 2) != "--") {
      o.positional_.emplace_back(a);
      continue;
    }
    std::string name(a.substr(2));
    if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      o.values_.emplace(name, "");
    } else {
      if (i + 1 >= args.size()) return InvalidArgument("option --" + name + " needs a value");
      o.values_.emplace(name, std::string(args[++i]));
    }
    o.used_[name] = false;
  }
  return o;
}

std::optional<std::string> Options::Get(std::string_view name) {
  std::string key(name);
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  used_[key] = true;
  return it->second;
}

std::vector<std::string> Options::GetAll(std::string_view name) {
  std::string key(name);
  std::vector<std::string> out;
  auto [begin, end] = values_.equal_range(key);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  if (!out.empty()) used_[key] = true;
  return out;
}

bool Options::Flag(std::string_view name) { return Get(name).has_value(); }

Result<std::string> Options::Required(std::string_view name) {
  auto v = Get(name);
  if (!v) return InvalidArgument("missing --" + std::string(name));
  return *v;
}

Result<std::optional<int64_t>> Options::Int(std::string_view name) {
  auto v = Get(name);
  if (!v) return std::optional<int64_t>{};
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) {
    return InvalidArgument("--" + std::string(name) + ": not an integer: " + *v);
  }
  return std::optional<int64_t>{out};
}

Status Options::CheckAllUsed() const {
  for (const auto& [name, used] : used_) {
    if (!used) return InvalidArgument("unknown or unused option --" + name);
  }
  return Status();
}

}  // namespace carnet::tests::reqgen
