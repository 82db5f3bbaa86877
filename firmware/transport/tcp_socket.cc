#include "firmware/transport/tcp_socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

// EWOULDBLOCK == EAGAIN on Linux (checked below), so only EAGAIN is tested.
static_assert(EWOULDBLOCK == EAGAIN);

namespace carnet::fw::transport {
namespace {

// The one errno -> Status translation of the transport.
Status ErrnoStatus(int err, std::string_view what) {
  std::string msg =
      std::string(what) + ": " + std::strerror(err) + " (errno " + std::to_string(err) + ")";
  if (err == ETIMEDOUT) return DeadlineExceeded(std::move(msg));
  return Unavailable(std::move(msg));
}

int MillisLeft(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > 60000 ? 60000 : static_cast<int>(left.count());
}

// Waits for `events` on fd until the deadline: OK, kDeadlineExceeded or kUnavailable.
Status WaitFor(int fd, short events, Deadline deadline, std::string_view what) {
  while (true) {
    int left = MillisLeft(deadline);
    if (left == 0) return DeadlineExceeded(std::string(what) + ": timed out");
    pollfd p{fd, events, 0};
    int n = poll(&p, 1, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, what);
    if (n > 0) return Status::Ok();  // ready, or an error the next call will report
  }
}

void TuneSocket(int fd) {
  int one = 1;
  // Best effort: a failure here only costs latency or a slower dead-peer detection.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  int idle = 30, interval = 10, count = 3;
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

Result<int> ConnectOne(const addrinfo* ai, Deadline deadline) {
  int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
  if (fd < 0) return ErrnoStatus(errno, "socket");
  TuneSocket(fd);
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
    int err = errno;
    close(fd);
    return ErrnoStatus(err, "connect");
  }
  Status waited = WaitFor(fd, POLLOUT, deadline, "connect");
  int err = 0;
  socklen_t len = sizeof err;
  if (waited.ok() && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (!waited.ok() || err != 0) {
    close(fd);
    return waited.ok() ? ErrnoStatus(err, "connect") : waited;
  }
  return fd;
}

}  // namespace

Result<std::unique_ptr<TcpSocket>> TcpSocket::Connect(const std::string& host,
                                                      uint16_t port,
                                                      Deadline deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
  addrinfo* list = nullptr;
  int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list);
  if (rc != 0) return Unavailable("cannot resolve " + host + ": " + gai_strerror(rc));
  Status last = Unavailable("no address for " + host);
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    auto fd = ConnectOne(ai, deadline);
    if (fd.ok()) {
      freeaddrinfo(list);
      return std::make_unique<TcpSocket>(*fd);
    }
    last = fd.status();
  }
  freeaddrinfo(list);
  return last.Annotate("connecting to " + host + ":" + std::to_string(port));
}

TcpSocket::~TcpSocket() {
  if (fd_ >= 0) close(fd_);
}

Status TcpSocket::SendAll(ByteView data, Deadline deadline) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n >= 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return ErrnoStatus(errno, "send");
    CARNET_TRY(WaitFor(fd_, POLLOUT, deadline, "send"));
  }
  return Status::Ok();
}

Result<size_t> TcpSocket::Receive(MutableByteView out, Deadline deadline) {
  while (true) {
    ssize_t n = recv(fd_, out.data(), out.size(), 0);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return ErrnoStatus(errno, "recv");
    CARNET_TRY(WaitFor(fd_, POLLIN, deadline, "waiting for the node"));
  }
}

bool TcpSocket::ReadableNow() const {
  pollfd p{fd_, POLLIN, 0};
  int n = poll(&p, 1, 0);
  return n != 0;  // readable, hung up, or poll failed: in every case do not reuse
}

}  // namespace carnet::fw::transport
