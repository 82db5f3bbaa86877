#pragma once
// The sub-commands of carnet-crypto. Each returns the process exit code:
// 0 success, 1 a negative answer (invalid signature, proof does not verify), 2 usage or
// input errors. Messages go to stderr; results to stdout.

#include <string>
#include <vector>

namespace carnet::crypto::cli {

using Args = std::vector<std::string>;

int RunCose(const Args& args);  // cose_cmd.cc: sign, verify
int RunMerkle(
    const Args& args);         // merkle_cmd.cc: root, inclusion, verify-inclusion, consistency, ...
int RunPki(const Args& args);  // pki_cmd.cc: test-hierarchy

}  // namespace carnet::crypto::cli
