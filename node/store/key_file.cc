#include "node/store/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace carnet::node::store {
namespace {

std::string Errno(std::string_view what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno) + " (errno " +
         std::to_string(errno) + ")";
}

// Writes all of `data` to `fd`, retrying on short writes and EINTR.
bool WriteAll(int fd, ByteView data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads exactly `out.size()` bytes; false on error or early end of file.
bool ReadAll(int fd, MutableByteView out) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

Status FsyncDirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Unavailable(Errno("opening directory", dir));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Unavailable(Errno("syncing directory", dir));
  return Status::Ok();
}

}  // namespace

Result<crypto::SecretBytes> CreateKeyFile(const std::string& path, Random& rng) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    return AlreadyExists("key file " + path +
                         " exists; refusing to overwrite it (a new KEK makes every stored "
                         "document unreadable)");
  }
  crypto::SecretBytes kek(kKekSize);
  CARNET_TRY(rng.Fill(kek.mutable_view()));
  std::string tmp = path + ".tmp";
  // O_EXCL: never follow or reuse a file someone placed at the temporary name.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable(Errno("creating", tmp));
  bool written = ::fchmod(fd, 0600) == 0 && WriteAll(fd, kek.view()) && ::fsync(fd) == 0;
  std::string error = written ? "" : Errno("writing", tmp);
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return Unavailable(error);
  }
  // link() instead of rename(): it fails if `path` appeared meanwhile, so we never overwrite.
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    error = Errno("installing key file", path);
    ::unlink(tmp.c_str());
    return errno == EEXIST ? AlreadyExists(error) : Unavailable(error);
  }
  ::unlink(tmp.c_str());
  CARNET_TRY(FsyncDirectoryOf(path));
  return kek;
}

Result<crypto::SecretBytes> LoadKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    std::string error = Errno("opening key file", path);
    return errno == ENOENT ? NotFound(error) : Unavailable(error);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string error = Errno("inspecting key file", path);
    ::close(fd);
    return Unavailable(error);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return DataLoss("key file " + path + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return PermissionDenied("key file " + path + " has mode " + mode +
                            ": group or other may read it; it must be 0600 (check who had "
                            "access, then chmod 600)");
  }
  if (st.st_size != static_cast<off_t>(kKekSize)) {
    ::close(fd);
    return DataLoss("key file " + path + " has " + std::to_string(st.st_size) +
                    " bytes; a KEK file holds exactly " + std::to_string(kKekSize));
  }
  crypto::SecretBytes kek(kKekSize);
  bool read = ReadAll(fd, kek.mutable_view());
  ::close(fd);
  if (!read) return Unavailable("reading key file " + path + ": short read");
  return kek;
}

}  // namespace carnet::node::store
