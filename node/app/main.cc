// carnet-node: the hosting node's single executable. One command group per file
// (<group>_cmd.cc); this file only dispatches. Add a group by adding a row to kGroups.
#include <cstdio>
#include <string_view>
#include <vector>

#include "node/app/commands.h"

namespace {

struct Group {
  std::string_view name;
  std::string_view summary;
  int (*run)(carnet::node::app::Args);
};

constexpr Group kGroups[] = {
    {"init", "create a node directory (node.conf, keys, trust anchors)",
     carnet::node::app::RunInit},
    {"config", "check a node.conf, print every option with its default",
     carnet::node::app::RunConfig},
    {"serve", "serve terminals and portals over mutual TLS", carnet::node::app::RunServe},
    {"enroll-terminal", "certify a terminal's CSR and register it",
     carnet::node::app::RunEnrollTerminal},
    {"revoke-terminal", "revoke a terminal (its certificate goes on the terminal CRL)",
     carnet::node::app::RunRevokeTerminal},
    {"import-directory", "replace the node's RPPS directory extract",
     carnet::node::app::RunImportDirectory},
    {"trace", "signed tree head, export, proofs and audit of the trace log",
     carnet::node::app::RunTrace},
    {"retention", "destroy the keys of dossiers past their retention period",
     carnet::node::app::RunRetention},
    {"notifications", "list the notifications to deliver, mark them delivered",
     carnet::node::app::RunNotifications},
    {"policy", "explain a policy decision, print the habilitation matrix",
     carnet::node::app::RunPolicy},
};

void Usage(std::FILE* out) {
  std::fprintf(out, "usage: carnet-node <command> [args...]\n\ncommands:\n");
  for (const Group& g : kGroups) {
    std::fprintf(out, "  %-17.*s %.*s\n", static_cast<int>(g.name.size()), g.name.data(),
                 static_cast<int>(g.summary.size()), g.summary.data());
  }
  std::fprintf(out, "\n'carnet-node <command> --help' describes a command.\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    Usage(stderr);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    Usage(stdout);
    return 0;
  }
  for (const Group& g : kGroups) {
    if (args[0] == g.name) return g.run(carnet::node::app::Args(args).subspan(1));
  }
  std::fprintf(stderr, "carnet-node: unknown command '%.*s'\n", static_cast<int>(args[0].size()),
               args[0].data());
  Usage(stderr);
  return 2;
}
