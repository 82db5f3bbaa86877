// `carnet-node config ...`: the operator's view of node.conf.
//   check FILE   parse and validate; prints what is not yet configured for serve
//   defaults     every option with its documentation and default (a template node.conf)
#include <cstdio>
#include <string>

#include "node/app/commands.h"
#include "node/config/config.h"

namespace carnet::node::app {
namespace {

constexpr int kInvalid = 2;
constexpr int kNotReady = 3;

constexpr char kUsage[] =
    "usage: carnet-node config <check|defaults>\n"
    "\n"
    "  check FILE   parse FILE strictly (unknown sections or keys, duplicates, values of the\n"
    "               wrong type or out of range are errors naming the line) and check the files\n"
    "               it names (present; private keys mode 0600). Exit 0 ready to serve, 2\n"
    "               invalid (message on stderr), 3 valid but trust anchors still missing.\n"
    "  defaults     print a complete node.conf: every section and option with its\n"
    "               documentation, type, range and default.\n";

bool IsHelp(Args args) {
  for (std::string_view a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

int Check(const std::string& path) {
  auto config = config::LoadConfig(path);
  if (!config.ok()) {
    std::fprintf(stderr, "carnet-node config: %s\n", config.status().message().c_str());
    return kInvalid;
  }
  Status ready = config::CheckReadyToServe(*config);
  if (!ready.ok()) {
    std::printf("%s: valid, but %s\n", config->config_file.c_str(), ready.message().c_str());
    return kNotReady;
  }
  std::printf("%s: valid, ready to serve on %s:%u (admin %s:%u)\n", config->config_file.c_str(),
              config->listen.host.c_str(), config->listen.port, config->listen.admin_host.c_str(),
              config->listen.admin_port);
  return 0;
}

}  // namespace

int RunConfig(Args args) {
  if (args.empty() || IsHelp(args)) {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? kInvalid : 0;
  }
  if (args[0] == "check" && args.size() == 2) return Check(std::string(args[1]));
  if (args[0] == "defaults" && args.size() == 1) {
    auto text = config::DefaultConfigText();
    if (!text.ok()) return kInvalid;
    std::fputs(text->c_str(), stdout);
    return 0;
  }
  std::fputs(kUsage, stderr);
  return kInvalid;
}

}  // namespace carnet::node::app
