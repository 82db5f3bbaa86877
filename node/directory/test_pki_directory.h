#pragma once
// A directory extract consistent with the test PKI (crypto/x509/pki.h), so that tests and the
// demo check professionals against the same identities their cards carry. Every professional
// of the PKI is listed as active, including the one whose cards are revoked: revoking a card
// does not take someone off the RPPS.

#include <string>
#include <vector>

#include "crypto/x509/pki.h"
#include "node/directory/directory.h"

namespace carnet::node::directory {

std::vector<DirectoryEntry> EntriesFromTestPki(const crypto::TestPki& pki);

// Reads `index_json_path` (the index.json written by `carnet-crypto pki test-hierarchy`) and
// returns the directory file text for its "professionals".
Result<std::string> DirectoryFromTestPki(const std::string& index_json_path);

}  // namespace carnet::node::directory
