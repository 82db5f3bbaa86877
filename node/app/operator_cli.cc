#include "node/app/operator_cli.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

namespace carnet::node::app {

const std::string* OperatorArgs::Value(std::string_view name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

OperatorArgs ParseOperatorArgs(Args args,
                               const std::vector<std::string_view>& value_options,
                               const std::vector<std::string_view>& flag_options) {
  OperatorArgs out;
  auto contains = [](const std::vector<std::string_view>& list, std::string_view a) {
    return std::find(list.begin(), list.end(), a) != list.end();
  };
  for (size_t i = 0; i < args.size() && out.error.empty(); ++i) {
    std::string_view a = args[i];
    if (a == "--help" || a == "-h") {
      out.help = true;
    } else if (contains(value_options, a)) {
      if (i + 1 >= args.size()) {
        out.error = std::string(a) + " needs a value";
      } else if (!out.values.emplace(std::string(a), std::string(args[++i])).second) {
        out.error = std::string(a) + " given twice";
      }
    } else if (contains(flag_options, a)) {
      out.flags.emplace(a);
    } else if (a.size() > 1 && a[0] == '-') {
      out.error = "unknown option " + std::string(a);
    } else {
      out.positional.emplace_back(a);
    }
  }
  return out;
}

int Fail(std::string_view command, int code, std::string_view message) {
  std::fprintf(stderr, "carnet-node %.*s: %.*s\n", static_cast<int>(command.size()), command.data(),
               static_cast<int>(message.size()), message.data());
  return code;
}

int UsageError(std::string_view command, std::string_view usage, std::string_view message) {
  Fail(command, kExitUsage, message);
  std::fwrite(usage.data(), 1, usage.size(), stderr);
  return kExitUsage;
}

Result<config::NodeConfig> LoadOperatorConfig(const std::string& path) {
  return config::LoadConfig(path);
}

Result<UnixMillis> NowOption(const OperatorArgs& args) {
  const std::string* t = args.Value("--now");
  if (t == nullptr) return SystemClock::Instance().Now();
  auto parsed = ParseTimeArgument(*t);
  if (!parsed.ok()) return InvalidArgument("--now: " + parsed.status().message());
  return parsed;
}

Result<UnixMillis> ParseTimeArgument(const std::string& text) {
  bool digits = !text.empty() && text.size() <= 18 &&
                std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) return static_cast<UnixMillis>(std::stoll(text));
  auto t = ParseRfc3339(text);
  if (!t.ok()) {
    return InvalidArgument("'" + text +
                           "' is neither an RFC 3339 time (2036-01-01T00:00:00Z) nor unix "
                           "milliseconds");
  }
  return *t;
}

Result<OpenedStore> OpenNodeStore(const config::NodeConfig& config) {
  struct stat st {};
  if (::stat(config.store.database.c_str(), &st) != 0) {
    return NotFound("no database at " + config.store.database +
                    " ([store] database): the node has not served yet, or node.conf points "
                    "elsewhere");
  }
  OpenedStore opened;
  CARNET_ASSIGN_OR_RETURN(opened.store, store::SqliteStore::Open(config.store.database));
  auto log = trace::TraceLog::Open(*opened.store);
  if (!log.ok()) return log.status().Annotate("trace log in " + config.store.database);
  opened.log = std::move(*log);
  return opened;
}

}  // namespace carnet::node::app
