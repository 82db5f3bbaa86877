#pragma once
// A TCP connection over POSIX sockets for the terminal (no Boost in firmware/): non-blocking
// underneath, every call bounded by a deadline. Internal to firmware/transport.
//
// Errors: could not connect / connection reset / peer gone -> kUnavailable; a deadline passed
// -> kDeadlineExceeded; name resolution failed -> kUnavailable. errno is kept in the message
// (one translation, ErrnoStatus in tcp_socket.cc).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::fw::transport {

using Deadline = std::chrono::steady_clock::time_point;

class TcpSocket {
 public:
  // Resolves `host` (getaddrinfo: not bounded by the deadline) and connects to the first
  // address that answers. Sets TCP_NODELAY (a request is one write; do not wait for an ACK
  // to send its tail) and SO_KEEPALIVE with short probes (a dead node is noticed on an idle
  // connection).
  static Result<std::unique_ptr<TcpSocket>> Connect(const std::string& host,
                                                    uint16_t port,
                                                    Deadline deadline);
  // Adopts a connected socket (the test server).
  explicit TcpSocket(int fd) : fd_(fd) {}
  ~TcpSocket();
  TcpSocket(const TcpSocket&) = delete;
  TcpSocket& operator=(const TcpSocket&) = delete;

  Status SendAll(ByteView data, Deadline deadline);
  // Bytes received (> 0), or 0 when the peer closed its side.
  Result<size_t> Receive(MutableByteView out, Deadline deadline);
  // True when the connection can no longer carry a request: the peer closed it, reset it, or
  // sent bytes nobody asked for (checked before reusing a kept-alive connection).
  bool ReadableNow() const;

  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace carnet::fw::transport
