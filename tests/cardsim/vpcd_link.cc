#include "tests/cardsim/vpcd_link.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace carnet::cardsim {
namespace {

Status ReadExact(int fd, uint8_t* out, size_t n) {
  while (n > 0) {
    ssize_t r = ::recv(fd, out, n, 0);
    if (r == 0) return Unavailable("vpcd closed the connection");
    if (r < 0) {
      if (errno == EINTR) continue;
      return Unavailable(std::string("vpcd recv: ") + std::strerror(errno));
    }
    out += r;
    n -= static_cast<size_t>(r);
  }
  return Status();
}

}  // namespace

Status VpcdLink::Connect(const std::string& host, int port) {
  Close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &res) != 0 || res == nullptr) {
    return InvalidArgument("cannot resolve vpcd host " + host);
  }
  int fd = ::socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
  if (fd < 0) {
    freeaddrinfo(res);
    return Internal(std::string("socket: ") + std::strerror(errno));
  }
  const int rc = ::connect(fd, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (rc != 0) {
    const int err = errno;
    ::close(fd);
    return Unavailable("connect to vpcd " + host + ":" + service + ": " + std::strerror(err));
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fd_ = fd;
  return Status();
}

Result<Bytes> VpcdLink::Receive() {
  if (fd_ < 0) return FailedPrecondition("vpcd link not connected");
  // vpcd writes the length and the APDU in two sends without TCP_NODELAY: Nagle holds the APDU
  // until our ACK of the length, which Linux delays up to 40 ms. Quick ACKs (re-armed on every
  // read: the kernel clears the flag) make each APDU ~40 ms faster.
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
  uint8_t len[2];
  CARNET_TRY(ReadExact(fd_, len, 2));
  ::setsockopt(fd_, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
  const size_t n = (size_t{len[0]} << 8) | len[1];
  Bytes payload(n);
  if (n > 0) CARNET_TRY(ReadExact(fd_, payload.data(), n));
  return payload;
}

Status VpcdLink::Send(ByteView payload) {
  if (fd_ < 0) return FailedPrecondition("vpcd link not connected");
  if (payload.size() > 0xFFFF) return OutOfRange("vpcd message longer than 65535 bytes");
  Bytes msg;
  AppendU16Be(msg, static_cast<uint16_t>(payload.size()));
  Append(msg, payload);
  size_t off = 0;
  while (off < msg.size()) {
    ssize_t w = ::send(fd_, msg.data() + off, msg.size() - off, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Unavailable(std::string("vpcd send: ") + std::strerror(errno));
    }
    off += static_cast<size_t>(w);
  }
  return Status();
}

void VpcdLink::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace carnet::cardsim
