#pragma once
// The terminal's client for the node: HTTP/1.1 over mutual TLS (DESIGN.md §3).
//
//   - Mutual TLS with crypto/tls's fixed policy: the device key and certificate chain as the
//     client certificate, the operator CA as the *only* trust anchor (pinned), the server name
//     checked (`server_name`, default `host`).
//   - One kept-alive connection, reused while the node keeps it open; TCP_NODELAY; TCP
//     keep-alive probes. A new connection resumes the last TLS session (RFC 5077 ticket) when
//     the node still accepts it: one round trip and no signature instead of a full handshake.
//   - Bounded: connect, handshake and request (send + full response) each have a timeout.
//   - Retries: only when the node could not be reached or did not answer in time
//     (kUnavailable, kDeadlineExceeded from the socket or the connection closing early) —
//     up to `max_attempts` tries, sleeping a "full jitter" exponential backoff between them:
//     uniform in [0, min(backoff_max, backoff_base * 2^(n-1))]. A TLS refusal (server not
//     pinned: kUnauthenticated), a malformed response (kInvalidArgument) or any HTTP answer
//     (even 5xx) is returned as is. Retrying a POST whose answer was lost is safe because
//     every request body is a signed request with a unique request id, which the node answers
//     idempotently (the first answer, nothing stored twice).
//     A failure on a kept-alive connection before any answer byte (the node closed it while
//     idle, racing our write) is retried once at once on a new connection, not counted.
//   - When every try failed: kUnavailable naming the attempts and the last cause.
//
// Not thread-safe: one request at a time (the terminal serves one desk).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "crypto/core/secret.h"
#include "firmware/transport/http.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::fw::transport {

struct NodeClientOptions {
  std::string host;
  uint16_t port = 443;
  std::string server_name;             // expected in the node's certificate; empty: `host`
  crypto::SecretBytes device_key_pem;  // from the key store
  std::string certificate_chain_pem;   // device certificate first, then the terminal CA
  std::string operator_ca_pem;         // the pinned anchor(s)
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds request_timeout{30000};
  int max_attempts = 4;  // tries per request, ≥ 1
  std::chrono::milliseconds backoff_base{250};
  std::chrono::milliseconds backoff_max{8000};
  bool jitter = true;  // false: sleep the full capped backoff (tests, diagnostics)
  size_t max_response_body = kDefaultMaxBody;
  Random* rng = nullptr;  // for jitter; null: SystemRandom
  // Test seam: how to sleep between tries; null: std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
};

struct NodeClientStats {
  uint64_t requests = 0;          // answered requests
  uint64_t connections = 0;       // TLS connections established
  uint64_t resumed_sessions = 0;  // of which by session resumption
  uint64_t retries = 0;           // tries after the first, all requests together
  uint64_t stale_reconnects = 0;  // kept-alive connections found closed by the node on use
};

class NodeClient {
 public:
  // Parses the key and certificates and builds the TLS context; connects lazily.
  static Result<std::unique_ptr<NodeClient>> Create(NodeClientOptions options);
  ~NodeClient();
  NodeClient(const NodeClient&) = delete;
  NodeClient& operator=(const NodeClient&) = delete;

  Result<HttpReply> Post(std::string_view path, std::string_view content_type, ByteView body);
  Result<HttpReply> Get(std::string_view path);
  // Sends close_notify and closes the connection (the next request reconnects).
  void Close();

  const NodeClientStats& stats() const;
  // The full backoff bound before try `attempt` (2, 3, ...), before jitter.
  std::chrono::milliseconds BackoffCap(int attempt) const;

  struct Impl;

 private:
  explicit NodeClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace carnet::fw::transport
