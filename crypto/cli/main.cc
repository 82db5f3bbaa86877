// carnet-crypto: the command-line face of crypto/, which the rest of the company scripts
// against. Keep the command forms stable (issue 2).
#include <cstdio>
#include <cstring>
#include <string>

#include "crypto/cli/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: carnet-crypto <command> [args...]\n"
    "\n"
    "commands:\n"
    "  cose sign --key PRIV.pem [--x5chain CERT.pem...] --alg ES256|RS256|PS256 PAYLOAD\n"
    "                        sign PAYLOAD as a COSE_Sign1 message, written to stdout\n"
    "  cose verify (--key PUB.pem | --x5chain-root ROOT.pem) MESSAGE.cbor\n"
    "                        'valid' and exit 0, or 'invalid: <reason>' and exit 1\n"
    "  merkle root FILE...   RFC 6962 root (hex) of one leaf per file\n"
    "  merkle inclusion --index I FILE...\n"
    "  merkle verify-inclusion ...\n"
    "  merkle consistency ...\n"
    "  pki test-hierarchy OUTDIR [--seed S]\n"
    "                        generate the test IGC-Santé, Vitale and operator hierarchy\n"
    "\n"
    "Run 'carnet-crypto <command> --help' for the details of one command.\n"
    "Exit codes: 0 success, 1 negative answer (invalid), 2 usage or input error.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  carnet::crypto::cli::Args args(argv + 2, argv + argc);
  if (command == "cose") return carnet::crypto::cli::RunCose(args);
  if (command == "merkle") return carnet::crypto::cli::RunMerkle(args);
  if (command == "pki") return carnet::crypto::cli::RunPki(args);
  std::fprintf(stderr, "carnet-crypto: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}
