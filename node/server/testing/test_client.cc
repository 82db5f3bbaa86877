#include "node/server/testing/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace carnet::node::server::testing {
using crypto::tls::TlsState;

Result<std::unique_ptr<TestClient>> TestClient::Connect(
    uint16_t port, std::shared_ptr<const crypto::tls::TlsContext> tls, int timeout_ms) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Internal("socket: " + std::string(std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return Unavailable("connect: " + std::string(std::strerror(errno)));
  }
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  auto session = crypto::tls::TlsSession::Create(std::move(tls));
  if (!session.ok()) {
    ::close(fd);
    return session.status();
  }
  return std::unique_ptr<TestClient>(new TestClient(fd, std::move(*session)));
}

TestClient::~TestClient() { ::close(fd_); }

Status TestClient::FlushTls() {
  Bytes out = session_->TakeOutgoing();
  size_t off = 0;
  while (off < out.size()) {
    ssize_t n = ::send(fd_, out.data() + off, out.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return Unavailable("send: " + std::string(std::strerror(errno)));
    off += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status TestClient::ReadSocketIntoTls() {
  uint8_t buf[16384];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n < 0 && errno == EAGAIN) return DeadlineExceeded("recv timeout");
  if (n <= 0) return Unavailable("connection closed by the server");
  return session_->Feed(ByteView(buf, static_cast<size_t>(n)));
}

Status TestClient::Handshake() {
  while (true) {
    auto st = session_->Handshake();
    CARNET_TRY(FlushTls());
    if (!st.ok()) return st.status();
    if (*st == TlsState::kDone) return Status::Ok();
    CARNET_TRY(ReadSocketIntoTls());
  }
}

Status TestClient::SendPlain(std::string_view http) {
  auto w = session_->Write(AsBytes(http));
  if (!w.ok()) return w.status();
  return FlushTls();
}

Status TestClient::SendRaw(std::string_view bytes) {
  ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (n != static_cast<ssize_t>(bytes.size())) return Unavailable("send failed");
  return Status::Ok();
}

Status TestClient::ReadPlainMore() {
  while (true) {
    uint8_t buf[16384];
    auto r = session_->Read(MutableByteView(buf, sizeof buf));
    CARNET_TRY(FlushTls());
    if (!r.ok()) return r.status();
    if (r->state == TlsState::kDone) {
      plain_.append(reinterpret_cast<const char*>(buf), r->bytes);
      return Status::Ok();
    }
    if (r->state == TlsState::kClosed) return Unavailable("close_notify from the server");
    CARNET_TRY(ReadSocketIntoTls());
  }
}

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

Result<TestResponse> TestClient::ReadResponse(bool skip_interim) {
  while (true) {
    size_t end;
    while ((end = plain_.find("\r\n\r\n")) == std::string::npos) CARNET_TRY(ReadPlainMore());
    std::string head = plain_.substr(0, end);
    plain_.erase(0, end + 4);
    TestResponse resp;
    if (head.size() < 12 || head.compare(0, 9, "HTTP/1.1 ") != 0) {
      return InvalidArgument("bad status line: " + head.substr(0, 40));
    }
    resp.status = std::stoi(head.substr(9, 3));
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
      size_t next = head.find("\r\n", pos + 2);
      std::string line =
          head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        size_t v = line.find_first_not_of(' ', colon + 1);
        resp.headers[Lower(line.substr(0, colon))] = v == std::string::npos ? "" : line.substr(v);
      }
      pos = next;
    }
    if (resp.status < 200) {
      if (skip_interim) continue;  // 100 Continue
      return resp;
    }
    size_t length = std::stoul(resp.headers["content-length"]);
    while (plain_.size() < length) CARNET_TRY(ReadPlainMore());
    resp.body = plain_.substr(0, length);
    plain_.erase(0, length);
    return resp;
  }
}

Result<TestResponse> TestClient::Request(const std::string& method,
                                         const std::string& target,
                                         const std::string& content_type,
                                         const std::string& body,
                                         const std::string& extra) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: node.test\r\n";
  if (!content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
  if (method == "POST" || !body.empty()) {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += extra + "\r\n" + body;
  CARNET_TRY(SendPlain(req));
  return ReadResponse();
}

bool TestClient::WaitClosed(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  while (true) {
    uint8_t buf[4096];
    if (session_->handshake_done()) {
      auto r = session_->Read(MutableByteView(buf, sizeof buf));
      if (!r.ok() || r->state == TlsState::kClosed) return true;
      if (r->state == TlsState::kDone) continue;
    }
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;
    if (!session_->handshake_done()) continue;  // e.g. a server alert: wait for the close
    if (!session_->Feed(ByteView(buf, static_cast<size_t>(n))).ok()) return true;
  }
}

}  // namespace carnet::node::server::testing
