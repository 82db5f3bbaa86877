#include "hal/keystore/key_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace carnet::hal::keystore {
namespace {

// The one errno -> Status translation of this module; keeps the errno text.
Status ErrnoStatus(int err, std::string_view what) {
  std::string msg =
      std::string(what) + ": " + std::strerror(err) + " (errno " + std::to_string(err) + ")";
  switch (err) {
    case ENOENT:
      return NotFound(std::move(msg));
    case EEXIST:
      return AlreadyExists(std::move(msg));
    case EACCES:
    case EPERM:
    case ELOOP:  // O_NOFOLLOW met a symbolic link
      return PermissionDenied(std::move(msg));
    case ENOSPC:
    case EDQUOT:
      return ResourceExhausted(std::move(msg));
    default:
      return Unavailable(std::move(msg));
  }
}

// Owned by us, nobody else may read, write or traverse it.
Status CheckOwnerAndMode(const struct stat& st, std::string_view what) {
  if (st.st_uid != geteuid()) {
    return PermissionDenied(std::string(what) + " is not owned by this user: refusing to use it");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return PermissionDenied(std::string(what) + " has mode " + mode +
                            ", other users could read or replace keys: chmod go= and retry");
  }
  return Status::Ok();
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Status WriteAll(int fd, ByteView data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, "writing key store entry");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

void RemoveStaleTemporaries(int dir_fd) {
  int dup_fd = dup(dir_fd);
  if (dup_fd < 0) return;
  DIR* d = fdopendir(dup_fd);
  if (d == nullptr) {
    close(dup_fd);
    return;
  }
  std::vector<std::string> stale;
  while (struct dirent* e = readdir(d)) {
    if (std::strncmp(e->d_name, ".tmp-", 5) == 0) stale.emplace_back(e->d_name);
  }
  closedir(d);
  for (const auto& name : stale) unlinkat(dir_fd, name.c_str(), 0);
}

}  // namespace

Status CheckEntryName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength || name.front() == '.') {
    return InvalidArgument("key store entry name must be 1.." + std::to_string(kMaxNameLength) +
                           " characters and not start with '.'");
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return InvalidArgument("key store entry name may only hold [A-Za-z0-9_.-]");
  }
  return Status::Ok();
}

Result<bool> KeyStore::Contains(std::string_view name) const {
  auto got = Get(name);
  if (got.ok()) return true;
  if (got.status().code() == StatusCode::kNotFound) return false;
  return got.status();
}

Result<std::unique_ptr<DirectoryKeyStore>> DirectoryKeyStore::Open(const std::string& dir,
                                                                   const Options& options) {
  if (options.create_if_missing && mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return ErrnoStatus(errno, "creating key store " + dir);
  }
  Fd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoStatus(errno, "opening key store " + dir);
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, "stat of key store " + dir);
  CARNET_TRY(CheckOwnerAndMode(st, "key store directory " + dir));
  RemoveStaleTemporaries(fd.get());
  return std::unique_ptr<DirectoryKeyStore>(new DirectoryKeyStore(dir, fd.Release()));
}

DirectoryKeyStore::~DirectoryKeyStore() {
  if (dir_fd_ >= 0) close(dir_fd_);
}

Status DirectoryKeyStore::DoPut(std::string_view name, ByteView data, bool overwrite) {
  CARNET_TRY(CheckEntryName(name));
  if (data.size() > kMaxEntrySize) return OutOfRange("key store entry larger than 1 MiB");
  const std::string final_name(name);
  const std::string tmp = ".tmp-" + final_name + "-" + std::to_string(getpid());
  unlinkat(dir_fd_, tmp.c_str(), 0);  // a leftover of ours from a crash
  {
    Fd fd(openat(dir_fd_, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) return ErrnoStatus(errno, "creating key store entry " + final_name);
    Status written = WriteAll(fd.get(), data);
    if (written.ok() && fsync(fd.get()) != 0) written = ErrnoStatus(errno, "fsync of entry");
    if (!written.ok()) {
      unlinkat(dir_fd_, tmp.c_str(), 0);
      return written;
    }
  }
  int rc = overwrite ? renameat(dir_fd_, tmp.c_str(), dir_fd_, final_name.c_str())
                     : linkat(dir_fd_, tmp.c_str(), dir_fd_, final_name.c_str(), 0);
  int err = errno;
  if (!overwrite || rc != 0) unlinkat(dir_fd_, tmp.c_str(), 0);
  if (rc != 0) return ErrnoStatus(err, "storing key store entry " + final_name);
  // The new directory entry is durable only once the directory itself is synced.
  if (fsync(dir_fd_) != 0) return ErrnoStatus(errno, "fsync of key store directory");
  return Status::Ok();
}

Result<Bytes> DirectoryKeyStore::DoGet(std::string_view name) const {
  CARNET_TRY(CheckEntryName(name));
  const std::string entry(name);
  Fd fd(openat(dir_fd_, entry.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoStatus(errno, "opening key store entry " + entry);
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, "stat of key store entry " + entry);
  if (!S_ISREG(st.st_mode)) return PermissionDenied("key store entry " + entry + " is not a file");
  CARNET_TRY(CheckOwnerAndMode(st, "key store entry " + entry));
  if (st.st_size < 0 || static_cast<uint64_t>(st.st_size) > kMaxEntrySize) {
    return DataLoss("key store entry " + entry + " is larger than 1 MiB");
  }
  Bytes out(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = read(fd.get(), out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      explicit_bzero(out.data(), out.size());
      return ErrnoStatus(err, "reading key store entry " + entry);
    }
    done += static_cast<size_t>(n);
  }
  return out;
}

Status DirectoryKeyStore::DoDelete(std::string_view name) {
  CARNET_TRY(CheckEntryName(name));
  const std::string entry(name);
  if (unlinkat(dir_fd_, entry.c_str(), 0) != 0) {
    return ErrnoStatus(errno, "deleting key store entry " + entry);
  }
  if (fsync(dir_fd_) != 0) return ErrnoStatus(errno, "fsync of key store directory");
  return Status::Ok();
}

Result<std::vector<std::string>> DirectoryKeyStore::DoList() const {
  int dup_fd = dup(dir_fd_);
  if (dup_fd < 0) return ErrnoStatus(errno, "listing key store");
  DIR* d = fdopendir(dup_fd);
  if (d == nullptr) {
    int err = errno;
    close(dup_fd);
    return ErrnoStatus(err, "listing key store");
  }
  rewinddir(d);
  std::vector<std::string> names;
  while (struct dirent* e = readdir(d)) {
    if (CheckEntryName(e->d_name).ok()) names.emplace_back(e->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace carnet::hal::keystore
