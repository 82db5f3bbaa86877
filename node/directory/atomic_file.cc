#include "node/directory/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "hal/base/bytes.h"

namespace carnet::node {
namespace {

Status Errno(std::string_view what, const std::string& path) {
  int e = errno;
  std::string msg = std::string(what) + " " + path + ": " + std::strerror(e);
  if (e == ENOENT) return NotFound(msg);
  return Unavailable(msg);
}

// Closes the descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("writing", path);
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status WriteTemp(const std::string& tmp, std::string_view data, unsigned mode) {
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
               static_cast<mode_t>(mode)));
  if (fd.get() < 0) return Errno("creating", tmp);
  // open() applies the umask; the caller's mode is what the file must have.
  if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) return Errno("chmod", tmp);
  CARNET_TRY(WriteAll(fd.get(), data, tmp));
  if (::fsync(fd.get()) != 0) return Errno("fsync", tmp);
  if (::close(fd.Release()) != 0) return Errno("closing", tmp);
  return Status::Ok();
}

Status SyncFolder(const std::string& folder) {
  Fd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Errno("opening folder", folder);
  if (::fsync(fd.get()) != 0) return Errno("fsync folder", folder);
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadFileLimited(const std::string& path, size_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Errno("opening", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Errno("stat", path);
  if (!S_ISREG(st.st_mode)) return InvalidArgument(path + ": not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return OutOfRange(path + ": " + std::to_string(st.st_size) + " bytes, limit " +
                      std::to_string(max_bytes));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("reading", path);
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    // The file may grow between fstat and read: the limit holds for what is read.
    if (out.size() > max_bytes) return OutOfRange(path + ": larger than the limit");
  }
  return out;
}

Status WriteFileAtomically(const std::string& path, std::string_view data, unsigned mode) {
  std::filesystem::path target(path);
  std::string folder = target.has_parent_path() ? target.parent_path().string() : ".";
  // Unique per process and call, so that two writers never share a temporary file.
  static std::atomic<uint64_t> counter{0};
  std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++counter);
  ::unlink(tmp.c_str());  // a leftover from a crashed run that had this process id
  Status s = WriteTemp(tmp, data, mode);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = Errno("renaming over", path);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  return SyncFolder(folder);
}

}  // namespace carnet::node
