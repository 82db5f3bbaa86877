// Placeholder so the command table links while this command is being written; replaced by
// its implementation in the next commits.
#include <cstdio>

#include "node/app/commands.h"

namespace carnet::node::app {

int RunEnrollTerminal(Args) {
  std::fprintf(stderr, "carnet-node: this command is not built yet\n");
  return 1;
}

int RunRevokeTerminal(Args) {
  std::fprintf(stderr, "carnet-node: this command is not built yet\n");
  return 1;
}

}  // namespace carnet::node::app
