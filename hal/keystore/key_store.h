#pragma once
// The terminal's key store: named secret blobs (the device's TLS/signing key, the outbox key)
// that never leave the appliance.
//
// Contract (every backend):
//   - Names are 1..64 characters of [A-Za-z0-9_.-], not starting with '.'; anything else is
//     kInvalidArgument (so a name can never be a path: no '/', no "..").
//   - Create(name, data) stores a new entry; an existing one is kAlreadyExists (a device key
//     is never overwritten by accident). Replace(name, data) creates or overwrites.
//     Both are atomic: after a crash or power loss the entry is either the old or the new
//     bytes, never a mix, and once the call returned OK the bytes are on disk.
//   - Get(name) returns the bytes (kNotFound if absent). The caller wraps them in
//     crypto::SecretBytes at once (hal may not use crypto/, so the type here is Bytes).
//   - Delete(name): kNotFound if absent. List(): the names, sorted.
//   - Contents are never logged, not even their sizes.
//
// Backends: DirectoryKeyStore (key_store.h, files in a 0700 directory) and FakeKeyStore
// (fake_key_store.h, in memory, for unit tests). An appliance with a secure element would be
// a third backend behind the same interface.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::hal::keystore {

inline constexpr size_t kMaxNameLength = 64;
inline constexpr size_t kMaxEntrySize = 1 << 20;  // 1 MiB: keys and certificates, not data

// kOk when `name` is a valid entry name, kInvalidArgument otherwise.
Status CheckEntryName(std::string_view name);

class KeyStore {
 public:
  virtual ~KeyStore() = default;

  Status Create(std::string_view name, ByteView data) { return DoPut(name, data, false); }
  Status Replace(std::string_view name, ByteView data) { return DoPut(name, data, true); }
  Result<Bytes> Get(std::string_view name) const { return DoGet(name); }
  Status Delete(std::string_view name) { return DoDelete(name); }
  Result<std::vector<std::string>> List() const { return DoList(); }
  // true / false, or the error that prevented knowing (e.g. a file with open permissions).
  Result<bool> Contains(std::string_view name) const;

 private:
  virtual Status DoPut(std::string_view name, ByteView data, bool overwrite) = 0;
  virtual Result<Bytes> DoGet(std::string_view name) const = 0;
  virtual Status DoDelete(std::string_view name) = 0;
  virtual Result<std::vector<std::string>> DoList() const = 0;
};

// Files in one directory, one file per entry.
//
// Open refuses (kPermissionDenied) a directory that is not owned by the effective user, that
// any other user may read, write or enter (mode & 077 != 0), or that is a symbolic link; Get
// refuses an entry file with the same faults or that is not a regular file. Those checks stop
// a key from being used after another account could have read or replaced it.
//
// Writes: a temporary file ".tmp-<name>-<pid>" created 0600 (O_EXCL, O_NOFOLLOW), written,
// fsync'ed, then linked (Create: linkat fails if the name exists, atomically) or renamed
// (Replace) over the name, then the directory is fsync'ed so that the new name survives power
// loss. Stale temporary files from a crash are removed by Open.
class DirectoryKeyStore final : public KeyStore {
 public:
  struct Options {
    bool create_if_missing = false;  // mkdir 0700 (the parent must exist)
  };
  static Result<std::unique_ptr<DirectoryKeyStore>> Open(const std::string& dir,
                                                         const Options& options);
  ~DirectoryKeyStore() override;
  DirectoryKeyStore(const DirectoryKeyStore&) = delete;
  DirectoryKeyStore& operator=(const DirectoryKeyStore&) = delete;

  const std::string& dir() const { return dir_; }

 private:
  DirectoryKeyStore(std::string dir, int dir_fd) : dir_(std::move(dir)), dir_fd_(dir_fd) {}
  Status DoPut(std::string_view name, ByteView data, bool overwrite) override;
  Result<Bytes> DoGet(std::string_view name) const override;
  Status DoDelete(std::string_view name) override;
  Result<std::vector<std::string>> DoList() const override;

  std::string dir_;
  int dir_fd_ = -1;
};

}  // namespace carnet::hal::keystore
