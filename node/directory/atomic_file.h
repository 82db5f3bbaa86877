#pragma once
// Whole-file reads with a size limit and atomic replacement, for the node's small state files
// (the directory extract, the terminal registry, the terminal CA's CRL).
//
// WriteFileAtomically: the data goes to a temporary file in the same folder (O_EXCL, `mode`),
// which is fsync'ed, renamed over `path`, and then the folder is fsync'ed so that the new name
// survives a power cut. A crash at any point leaves either the old file or the new one, never a
// mixture; on failure the temporary file is removed and `path` is untouched.

#include <string>
#include <string_view>

#include "hal/base/status.h"

namespace carnet::node {

// Reads a regular file of at most `max_bytes`. kNotFound when it does not exist, kOutOfRange
// when it is larger, kInvalidArgument when it is not a regular file.
Result<std::string> ReadFileLimited(const std::string& path, size_t max_bytes);

Status WriteFileAtomically(const std::string& path, std::string_view data, unsigned mode = 0644);

}  // namespace carnet::node
