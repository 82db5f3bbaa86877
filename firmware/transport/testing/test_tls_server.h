#pragma once
// A small TLS server on loopback for the transport tests, built on crypto/tls sessions and
// plain sockets (the real node uses Asio; firmware tests must not). One thread, one
// connection at a time: enough for a client that keeps one connection.
//
// Each request (request line + headers + Content-Length body) is handed to the handler,
// which returns the raw bytes to answer (so a test can send a malformed response) and may
// ask for the connection to be closed afterwards, or for no answer at all (timeout tests).

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "crypto/tls/tls_context.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::fw::transport::testing {

struct TestRequest {
  std::string method;
  std::string path;
  std::string head;  // request line and headers, as received
  Bytes body;
};

struct TestAnswer {
  std::string raw;           // written as is
  bool close_after = false;  // close the TCP connection (no close_notify) afterwards
  bool no_answer = false;    // send nothing: keep reading (the client times out), or
                             // with close_after close at once (a node dropping an idle
                             // connection just as the request arrives)
};

using Handler = std::function<TestAnswer(const TestRequest&)>;

// "HTTP/1.1 <status> X\r\nContent-Type: ...\r\nContent-Length: n\r\n\r\n<body>"
std::string Response(int status, std::string_view content_type, std::string_view body);

class TestTlsServer {
 public:
  static Result<std::unique_ptr<TestTlsServer>> Start(
      std::shared_ptr<crypto::tls::TlsContext> context, Handler handler);
  ~TestTlsServer();

  uint16_t port() const { return port_; }
  int connections() const { return connections_; }  // handshakes completed
  int resumed() const { return resumed_; }          // of which resumed
  int requests() const { return requests_; }
  int handshake_failures() const { return handshake_failures_; }

 private:
  TestTlsServer(int listen_fd,
                uint16_t port,
                std::shared_ptr<crypto::tls::TlsContext> ctx,
                Handler handler);
  void Run();
  void Serve(int fd);

  int listen_fd_;
  uint16_t port_;
  std::shared_ptr<crypto::tls::TlsContext> ctx_;
  Handler handler_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> resumed_{0};
  std::atomic<int> requests_{0};
  std::atomic<int> handshake_failures_{0};
  std::thread thread_;
};

}  // namespace carnet::fw::transport::testing
