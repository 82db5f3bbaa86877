#pragma once
// Shared plumbing of the operator commands (enroll-terminal, revoke-terminal,
// import-directory, trace, retention): argument parsing, exit codes, opening the node's
// files from node.conf.
//
// Exit codes of every operator command: 0 done, 1 failed (the message on stderr says why and
// what to do; nothing was changed unless it says so), 2 usage error.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hal/base/clock.h"
#include "hal/base/status.h"
#include "node/app/commands.h"
#include "node/config/config.h"
#include "node/store/sqlite_store.h"
#include "node/trace/trace_log.h"

namespace carnet::node::app {

inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

struct OperatorArgs {
  std::map<std::string, std::string, std::less<>> values;  // "--config" -> "node.conf"
  std::set<std::string, std::less<>> flags;                // "--json"
  std::vector<std::string> positional;
  bool help = false;
  std::string error;  // set on a usage error

  bool Has(std::string_view flag) const { return flags.count(flag) != 0; }
  const std::string* Value(std::string_view name) const;
};

// `value_options` take one value each ("--config FILE"), `flag_options` none. Unknown
// options, missing values and repeated options are usage errors. --help/-h sets `help`.
OperatorArgs ParseOperatorArgs(Args args,
                               const std::vector<std::string_view>& value_options,
                               const std::vector<std::string_view>& flag_options);

// Prints "carnet-node <command>: <message>" on stderr and returns `code`.
int Fail(std::string_view command, int code, std::string_view message);
// The usage error: message, then the usage text, on stderr; returns kExitUsage.
int UsageError(std::string_view command, std::string_view usage, std::string_view message);

// LoadConfig of --config (a usage error when missing is the caller's check).
Result<config::NodeConfig> LoadOperatorConfig(const std::string& path);

// T as RFC 3339 ("2036-01-01T00:00:00Z", "2036-01-01") or unix milliseconds ("2082758400000").
Result<UnixMillis> ParseTimeArgument(const std::string& text);

// `--now T` when given (ParseTimeArgument; the error names the option), else the system clock.
Result<UnixMillis> NowOption(const OperatorArgs& args);

// The node's database and trace log, for the commands that read or write them. The database
// must already exist (created by the first `serve`): an operator command never creates an
// empty one by mistake (a wrong data_dir would otherwise look like an empty log).
struct OpenedStore {
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<trace::TraceLog> log;  // after store: destroyed first
};
Result<OpenedStore> OpenNodeStore(const config::NodeConfig& config);

}  // namespace carnet::node::app
