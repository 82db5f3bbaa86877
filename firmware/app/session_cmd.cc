// Placeholder so the command table links while this command is being written; replaced by
// its implementation in the next commits.
#include <cstdio>

#include "firmware/app/commands.h"

namespace carnet::fw::app {

int RunLogin(Args) {
  std::fprintf(stderr, "carnet-terminal: this command is not built yet\n");
  return kExitFailure;
}

int RunStatus(Args) {
  std::fprintf(stderr, "carnet-terminal: this command is not built yet\n");
  return kExitFailure;
}

}  // namespace carnet::fw::app
