#pragma once
// The load generator's TLS side: full and resumed mutual-TLS handshakes per second, and
// requests over N warm keep-alive connections (one thread each), each connection opened by
// resuming a ticket. The client is node/server's test client (crypto/tls over a blocking
// socket), the same code node_server_bench uses, so every peer (the node, its bare transport,
// lighttpd) is measured with one client.

#include <functional>
#include <memory>
#include <string>

#include "crypto/tls/tls_context.h"
#include "tests/bench/bench_util.h"

namespace carnet::bench {

struct HandshakeRates {
  double full_per_s = 0;
  double resumed_per_s = 0;
  int full = 0;
  int resumed = 0;
};
// Full handshakes (ForgetSession before each) for about `seconds`, then resumed ones.
Result<HandshakeRates> MeasureHandshakes(uint16_t port,
                                         std::shared_ptr<const crypto::tls::TlsContext> client,
                                         double seconds);

struct RequestSpec {
  std::string method = "POST";
  std::string target;
  std::string content_type;
  const std::string* body = nullptr;  // not owned; nullptr = no body
};

struct LoadResult {
  size_t ok = 0;          // responses with the expected status
  size_t failed = 0;      // other statuses and transport errors
  size_t reconnects = 0;  // the peer answered "Connection: close": the next request resumed
  double seconds = 0;
  LatencyStats latency;
  std::string first_failure;  // status and body start, or the error, of the first failure
  double per_s() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

// `connections` threads, each with its own resumed keep-alive connection (warmed with one
// `warmup` request), send `per_connection` requests from `next(connection, i)`; the clock runs
// from when all connections are warm until the last response. A peer that answers
// "Connection: close" gets a new, resumed connection for the next request, inside that
// request's latency (counted in `reconnects`).
LoadResult RunLoad(uint16_t port,
                   std::shared_ptr<const crypto::tls::TlsContext> client,
                   int connections,
                   size_t per_connection,
                   int expected_status,
                   const RequestSpec& warmup,
                   const std::function<RequestSpec(int connection, size_t i)>& next);

// A terminal's client context from the PKI files: its certificate and key, the operator root
// pinned, server name "localhost" (the node certificate's SAN).
std::shared_ptr<const crypto::tls::TlsContext> TerminalClientTls(const std::string& cert_path,
                                                                 const std::string& key_path,
                                                                 const std::string& root_path);

// Adds the rows of one peer: handshakes, then whatever the caller measured.
void AddHandshakeRows(Table& table, const std::string& peer, const HandshakeRates& r);
void AddLoadRow(Table& table,
                const std::string& section,
                const std::string& what,
                const LoadResult& r,
                int connections);

}  // namespace carnet::bench
