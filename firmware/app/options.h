#pragma once
// A small, strict command-line parser shared by the carnet-terminal commands:
// "--name value", "--name=value" and "--flag"; unknown options, missing values, repeated
// non-repeatable options and positional arguments are errors (exit 2 with the reason).

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "firmware/app/commands.h"
#include "hal/base/status.h"

namespace carnet::fw::app {

struct OptionSpec {
  std::string_view name;  // without "--"
  bool takes_value = false;
  bool repeatable = false;
};

class Options {
 public:
  static Result<Options> Parse(Args args, std::span<const OptionSpec> specs);

  bool Has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  // The (last) value, or `fallback`.
  std::string Get(std::string_view name, std::string fallback = "") const;
  std::vector<std::string> GetAll(std::string_view name) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

// Prints "carnet-terminal <command>: <message>" on stderr and returns `code`.
int Fail(std::string_view command, std::string_view message, int code);

}  // namespace carnet::fw::app
