#pragma once
// carnet::node::server — the node's HTTP/1.1 over mutual-TLS listener (DESIGN.md §3).
//
// Boost.Asio drives sockets; TLS is crypto/tls (mbedTLS) in buffered mode; Boost.Beast parses
// HTTP. Boost stays behind this header (pimpl): the app sees only ServerOptions, Route and
// Handler (http_types.h).
//
// Threading: `io_threads` threads run one io_context; every connection lives on its own
// strand (no locks on connection state). Handlers run on a separate pool of
// `worker_threads` (they may block on a group commit); their response is posted back to the
// connection's strand. While a request is with a handler, its connection reads nothing more.
//
// Lifecycle: Create → Start (binds, returns the port) → … → Drain (stop accepting, finish
// in-flight requests, close idle keep-alive connections, return) → Stop (or destructor).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crypto/tls/tls_context.h"
#include "hal/base/status.h"
#include "node/server/http_types.h"
#include "node/server/metrics.h"

namespace carnet::node::server {

struct ServerOptions {
  std::string host = "127.0.0.1";  // address to bind ("0.0.0.0", "::", an IP; not a name)
  uint16_t port = 0;               // 0 = any free port (Start returns it)
  bool admin_enabled = true;
  std::string admin_host = "127.0.0.1";  // must be a loopback address (Start refuses others)
  uint16_t admin_port = 0;
  unsigned io_threads = 0;      // 0 = std::thread::hardware_concurrency()
  unsigned worker_threads = 0;  // 0 = 4 × io threads

  size_t max_connections = 1024;       // more are closed right after accept (counted as rejected)
  size_t max_header_bytes = 8 * 1024;  // else 431
  size_t max_body_bytes = 8 * 1024 * 1024 + 64 * 1024;  // else 413 (before reading it)
  unsigned max_requests_per_connection = 1000;          // the last response says Connection: close

  // A slow or silent client cannot hold a connection beyond these.
  std::chrono::milliseconds handshake_timeout{10'000};     // accept → handshake done
  std::chrono::milliseconds idle_timeout{60'000};          // between requests (keep-alive)
  std::chrono::milliseconds request_read_timeout{30'000};  // first byte → whole request
  std::chrono::milliseconds write_timeout{30'000};         // response → fully sent
  std::chrono::milliseconds drain_timeout{30'000};  // Drain: in-flight work, then force close
};

class Server {
 public:
  // The TLS context must be a server context (TlsContext::Server). Routes are matched in
  // order; paths and methods are exact.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options,
                                                std::shared_ptr<const crypto::tls::TlsContext> tls,
                                                std::vector<Route> routes);
  ~Server();  // Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds both listeners and starts the threads. Returns the bound TLS port.
  Result<uint16_t> Start();
  uint16_t port() const;
  uint16_t admin_port() const;  // 0 when the admin listener is disabled

  // Stops accepting, lets requests already received (being read, with a handler, or being
  // written) finish with "Connection: close", closes idle connections, and returns when no
  // connection is left or drain_timeout has passed (the rest are then cut). Blocking; call
  // from any thread but an I/O or worker thread. Idempotent.
  void Drain();
  // Drain-less: cuts every connection, stops the threads. Idempotent.
  void Stop();

  const Metrics& metrics() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace carnet::node::server
