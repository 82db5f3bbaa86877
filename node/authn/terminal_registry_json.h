#pragma once
// The registry file's JSON form (README.md), internal to node/authn.

#include <string>
#include <vector>

#include "node/authn/terminal_registry.h"

namespace carnet::node::authn::internal {

struct RegistryFile {
  uint32_t crl_number = 0;
  std::vector<TerminalRecord> records;
};

std::string WriteRegistryJson(const RegistryFile& file);
// Strict: unknown fields, bad hex, bad times, duplicate fingerprints and two active records
// with one id are all refused.
Result<RegistryFile> ParseRegistryJson(std::string_view text);

}  // namespace carnet::node::authn::internal
