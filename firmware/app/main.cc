// carnet-terminal: the terminal's single executable. One command group per file
// (<group>_cmd.cc); this file only dispatches. Add a command by adding a row to kCommands.
#include <cstdio>
#include <string_view>
#include <vector>

#include "firmware/app/commands.h"
#include "firmware/hardening/hardening.h"

namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(carnet::fw::app::Args);
};

constexpr Command kCommands[] = {
    {"cards", "list the readers, their cards, holders and certificate checks",
     carnet::fw::app::RunCards},
    {"pin", "verify the professional's CPS PIN", carnet::fw::app::RunPin},
    {"unblock", "unblock the CPS PIN with the PUK and set a new PIN", carnet::fw::app::RunUnblock},
    {"login", "check both cards, verify the PIN, authenticate the CPS", carnet::fw::app::RunLogin},
    {"status", "session, cards, node reachability and outbox", carnet::fw::app::RunStatus},
    {"open-dossier", "open the patient's dossier with their consent",
     carnet::fw::app::RunOpenDossier},
    {"deposit", "deposit a document (signed with the CPS SIG key)", carnet::fw::app::RunDeposit},
    {"list", "list the patient's documents this professional may see", carnet::fw::app::RunList},
    {"read", "read one document", carnet::fw::app::RunRead},
    {"consent", "record the patient's consent for this professional", carnet::fw::app::RunConsent},
    {"emergency", "emergency access (bris de glace, or --samu)", carnet::fw::app::RunEmergency},
    {"outbox", "list or flush the requests waiting for the node", carnet::fw::app::RunOutbox},
    {"enroll", "make the device key and its certificate request", carnet::fw::app::RunEnroll},
};

void Usage(std::FILE* out) {
  std::fprintf(out, "usage: carnet-terminal <command> [options]\n\ncommands:\n");
  for (const Command& c : kCommands) {
    std::fprintf(out, "  %-13.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  }
  std::fprintf(out,
               "\n'carnet-terminal <command> --help' describes a command.\n"
               "Exit codes: 0 ok, 1 failure, 2 usage, 3 no suitable card, 4 wrong PIN/PUK,\n"
               "5 PIN/PUK blocked (firmware/app/README.md).\n");
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything reads a secret (firmware/hardening/hardening.h): no core dumps, not
  // dumpable, no new privileges, and off root (CARNET_TERMINAL_USER, or stay root only with
  // CARNET_TERMINAL_ALLOW_ROOT=1 in development containers).
  const carnet::Status hardened =
      carnet::fw::hardening::HardenProcess(carnet::fw::hardening::ProcessOptionsFromEnvironment());
  if (!hardened.ok()) {
    std::fprintf(stderr, "carnet-terminal: cannot harden the process: %s\n",
                 hardened.message().c_str());
    return carnet::fw::app::kExitFailure;
  }
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    Usage(stderr);
    return carnet::fw::app::kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    Usage(stdout);
    return carnet::fw::app::kExitOk;
  }
  for (const Command& c : kCommands) {
    if (args[0] == c.name) return c.run(carnet::fw::app::Args(args).subspan(1));
  }
  std::fprintf(stderr, "carnet-terminal: unknown command '%.*s'\n",
               static_cast<int>(args[0].size()), args[0].data());
  Usage(stderr);
  return carnet::fw::app::kExitUsage;
}
