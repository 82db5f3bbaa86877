#include "firmware/transport/testing/test_tls_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "crypto/tls/tls_session.h"
#include "firmware/transport/tcp_socket.h"

namespace carnet::fw::transport::testing {
namespace {

using crypto::tls::TlsSession;
using crypto::tls::TlsState;

Deadline Soon() { return std::chrono::steady_clock::now() + std::chrono::milliseconds(100); }

// Content-Length of a request head (lower-cased search is enough for our own client).
size_t ContentLength(std::string head) {
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t pos = head.find("\r\ncontent-length:");
  if (pos == std::string::npos) return 0;
  return static_cast<size_t>(std::strtoul(head.c_str() + pos + 17, nullptr, 10));
}

}  // namespace

std::string Response(int status, std::string_view content_type, std::string_view body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + std::string(content_type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

Result<std::unique_ptr<TestTlsServer>> TestTlsServer::Start(
    std::shared_ptr<crypto::tls::TlsContext> context, Handler handler) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Unavailable("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // any free port
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd, 8) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return Unavailable("bind/listen on loopback");
  }
  return std::unique_ptr<TestTlsServer>(
      new TestTlsServer(fd, ntohs(addr.sin_port), std::move(context), std::move(handler)));
}

TestTlsServer::TestTlsServer(int listen_fd,
                             uint16_t port,
                             std::shared_ptr<crypto::tls::TlsContext> ctx,
                             Handler handler)
    : listen_fd_(listen_fd), port_(port), ctx_(std::move(ctx)), handler_(std::move(handler)) {
  thread_ = std::thread([this] { Run(); });
}

TestTlsServer::~TestTlsServer() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
}

void TestTlsServer::Run() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) Serve(fd);
  }
}

void TestTlsServer::Serve(int fd) {
  TcpSocket sock(fd);
  auto session = TlsSession::Create(ctx_);
  if (!session.ok()) return;
  TlsSession& tls = **session;
  uint8_t buf[16384];
  // Receives into `buf`, retrying short timeouts until stop: >0 bytes, 0 closed, -1 error.
  auto receive = [&]() -> long {
    while (!stop_) {
      auto n = sock.Receive(buf, Soon());
      if (n.ok()) return static_cast<long>(*n);
      if (n.status().code() != StatusCode::kDeadlineExceeded) return -1;
    }
    return -1;
  };
  while (true) {
    auto st = tls.Handshake();
    sock.SendAll(tls.TakeOutgoing(), Soon()).IgnoreError();
    if (!st.ok()) {
      ++handshake_failures_;
      return;
    }
    if (*st == TlsState::kDone) break;
    long n = receive();
    if (n <= 0 || !tls.Feed(ByteView(buf, static_cast<size_t>(n))).ok()) return;
  }
  ++connections_;
  if (tls.SessionReused()) ++resumed_;
  std::string in;
  while (true) {
    size_t end = in.find("\r\n\r\n");
    if (end != std::string::npos && in.size() >= end + 4 + ContentLength(in.substr(0, end + 2))) {
      TestRequest req;
      req.head = in.substr(0, end + 2);
      size_t body_len = ContentLength(req.head);
      req.body = ToBytes(std::string_view(in).substr(end + 4, body_len));
      req.method = req.head.substr(0, req.head.find(' '));
      size_t p1 = req.head.find(' ') + 1;
      req.path = req.head.substr(p1, req.head.find(' ', p1) - p1);
      in.erase(0, end + 4 + body_len);
      ++requests_;
      TestAnswer answer = handler_(req);
      if (answer.no_answer && answer.close_after) return;
      if (answer.no_answer) continue;
      if (!tls.Write(AsBytes(answer.raw)).ok()) return;
      if (!sock.SendAll(tls.TakeOutgoing(), Soon()).ok() || answer.close_after) return;
      continue;
    }
    auto io = tls.Read(MutableByteView(buf, sizeof buf));
    if (!io.ok() || io->state == TlsState::kClosed) return;
    if (io->state == TlsState::kDone) {
      in.append(reinterpret_cast<const char*>(buf), io->bytes);
      continue;
    }
    long n = receive();
    if (n <= 0 || !tls.Feed(ByteView(buf, static_cast<size_t>(n))).ok()) return;
  }
}

}  // namespace carnet::fw::transport::testing
