#pragma once
// The key-encryption key (KEK) file: 32 random bytes that wrap every patient key. It lives
// outside the database so that a copy of the database alone decrypts nothing (DESIGN.md §5).
//
// - CreateKeyFile writes a fresh KEK with mode 0600 through a temporary file in the same
//   directory, fsync and rename, so a crash leaves either no file or a complete one. It refuses
//   to overwrite an existing file (kAlreadyExists): replacing a KEK destroys every document.
// - LoadKeyFile refuses a file that group or other may access (st_mode & 077: kPermissionDenied,
//   the key may already have leaked — fix with chmod 600 after checking who read it), a file
//   that is not a regular file or not exactly 32 bytes (kDataLoss), a missing file (kNotFound).

#include <string>

#include "crypto/core/secret.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::node::store {

inline constexpr size_t kKekSize = 32;

// Creates `path` holding kKekSize bytes from `rng` and returns them.
Result<crypto::SecretBytes> CreateKeyFile(const std::string& path, Random& rng);

// Reads a KEK written by CreateKeyFile, after checking its permissions and size.
Result<crypto::SecretBytes> LoadKeyFile(const std::string& path);

}  // namespace carnet::node::store
