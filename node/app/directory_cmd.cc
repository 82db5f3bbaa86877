// `carnet-node import-directory --config FILE EXTRACT`: replaces the node's copy of the RPPS
// directory ([directory] file) with EXTRACT, all or nothing (node/directory ImportDirectory).
#include <cstdio>
#include <string>

#include "node/app/commands.h"
#include "node/app/operator_cli.h"
#include "node/directory/directory.h"

namespace carnet::node::app {
namespace {

constexpr char kUsage[] =
    "usage: carnet-node import-directory --config FILE EXTRACT\n"
    "\n"
    "Checks EXTRACT completely (the RPPS extract format of node/directory/README.md: header,\n"
    "eight '|'-separated columns, idNat = 8 + RPPS with its Luhn key, no duplicates), then\n"
    "replaces the node's copy ([directory] file of node.conf) atomically. The first bad line\n"
    "fails the whole import with its line number and the node's copy is left untouched.\n"
    "A running `serve` picks the new file up when it changes.\n"
    "Exit 0 imported (prints the number of professionals), 1 failed, 2 usage error.\n";

}  // namespace

int RunImportDirectory(Args args) {
  constexpr std::string_view kCmd = "import-directory";
  OperatorArgs a = ParseOperatorArgs(args, {"--config"}, {});
  if (a.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!a.error.empty()) return UsageError(kCmd, kUsage, a.error);
  const std::string* config_path = a.Value("--config");
  if (config_path == nullptr) return UsageError(kCmd, kUsage, "missing --config FILE");
  if (a.positional.size() != 1) return UsageError(kCmd, kUsage, "give exactly one EXTRACT");
  const std::string& extract = a.positional[0];
  auto config = LoadOperatorConfig(*config_path);
  if (!config.ok()) return Fail(kCmd, kExitFailed, config.status().message());
  auto count = directory::ImportDirectory(extract, config->directory.file);
  if (!count.ok()) {
    return Fail(kCmd, kExitFailed,
                count.status().message() + "; " + config->directory.file + " was not changed");
  }
  std::printf("imported %zu professionals from %s into %s\n", *count, extract.c_str(),
              config->directory.file.c_str());
  return 0;
}

}  // namespace carnet::node::app
