// Placeholder until crypto/merkle lands: the command exists and says it is not built yet.
#include <cstdio>

#include "crypto/cli/commands.h"

namespace carnet::crypto::cli {

int RunMerkle(const Args&) {
  std::fputs("carnet-crypto merkle: not built yet in this revision\n", stderr);
  return 2;
}

}  // namespace carnet::crypto::cli
