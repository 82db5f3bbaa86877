#pragma once
// Test-only: a blocking HTTP/1.1 client over crypto/tls and a plain POSIX socket — the
// other end the node's tests talk to (no Boost, no second TLS stack).

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "crypto/tls/tls_context.h"
#include "crypto/tls/tls_session.h"
#include "hal/base/status.h"

namespace carnet::node::server::testing {

struct TestResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool closes() const {
    auto it = headers.find("connection");
    return it != headers.end() && it->second == "close";
  }
};

class TestClient {
 public:
  // Connects to 127.0.0.1:port; every later blocking read gives up after timeout_ms.
  static Result<std::unique_ptr<TestClient>> Connect(
      uint16_t port, std::shared_ptr<const crypto::tls::TlsContext> tls, int timeout_ms = 10000);
  ~TestClient();

  Status Handshake();
  Status SendPlain(std::string_view http);  // through TLS (records of ≤ 16 KiB)
  Status SendRaw(std::string_view bytes);   // straight to the socket
  Result<TestResponse> ReadResponse(bool skip_interim = true);
  // One request; `extra` is raw header lines ("X: y\r\n").
  Result<TestResponse> Request(const std::string& method,
                               const std::string& target,
                               const std::string& content_type = "",
                               const std::string& body = "",
                               const std::string& extra = "");
  // True when the server closed (EOF, reset or close_notify) within timeout_ms.
  bool WaitClosed(int timeout_ms);

  crypto::tls::TlsSession& session() { return *session_; }

 private:
  TestClient(int fd, std::unique_ptr<crypto::tls::TlsSession> session)
      : fd_(fd), session_(std::move(session)) {}
  Status FlushTls();
  Status ReadSocketIntoTls();  // kDeadlineExceeded on timeout, kUnavailable on EOF
  Status ReadPlainMore();

  int fd_;
  std::unique_ptr<crypto::tls::TlsSession> session_;
  std::string plain_;
};

}  // namespace carnet::node::server::testing
