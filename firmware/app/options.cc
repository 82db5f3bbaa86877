#include "firmware/app/options.h"

#include <cstdio>

namespace carnet::fw::app {

Result<Options> Options::Parse(Args args, std::span<const OptionSpec> specs) {
  Options out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (a.substr(0, 2) != "--")
      return InvalidArgument("unexpected argument '" + std::string(a) + "'");
    a.remove_prefix(2);
    std::string name(a.substr(0, a.find('=')));
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) return InvalidArgument("unknown option --" + name);
    std::string value;
    if (a.find('=') != std::string_view::npos) {
      if (!spec->takes_value) return InvalidArgument("--" + name + " takes no value");
      value = std::string(a.substr(a.find('=') + 1));
    } else if (spec->takes_value) {
      if (i + 1 >= args.size()) return InvalidArgument("--" + name + " needs a value");
      value = std::string(args[++i]);
    }
    auto& slot = out.values_[name];
    if (!slot.empty() && !spec->repeatable) return InvalidArgument("--" + name + " given twice");
    slot.push_back(std::move(value));
  }
  return out;
}

std::string Options::Get(std::string_view name, std::string fallback) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Options::GetAll(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int Fail(std::string_view command, std::string_view message, int code) {
  std::fprintf(stderr, "carnet-terminal %.*s: %.*s\n", static_cast<int>(command.size()),
               command.data(), static_cast<int>(message.size()), message.data());
  return code;
}

}  // namespace carnet::fw::app
