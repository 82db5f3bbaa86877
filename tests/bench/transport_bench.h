#pragma once
// Transport peers over the same mutual TLS, measured with the same client: node/server (the
// node's Asio + crypto/tls transport, in this process, with a handler that answers at once)
// and lighttpd + mod_mbedtls (a separate process). Handshakes per second and POSTs of the
// node's request sizes over warm, resumed keep-alive connections.

#include <string>

#include "tests/bench/bench_util.h"
#include "tests/bench/requests.h"

namespace carnet::bench {

struct TransportOptions {
  std::string workdir;
  std::string lighttpd_bin = "/usr/sbin/lighttpd";
  int connections = 8;
  double handshake_seconds = 2;
  size_t requests_4k = 4000;  // total per load, split over the connections
  size_t requests_256k = 400;
};

// The signed bodies to POST (pre-signed deposits of 4 KiB and 256 KiB).
struct Bodies {
  std::string deposit_4k;
  std::string deposit_256k;
};
Bodies MakeBodies(const Signer& signer);

void MeasureNodeTransport(Table& table,
                          const PkiFiles& pki,
                          const Bodies& bodies,
                          const TransportOptions& options);
void MeasureLighttpd(Table& table,
                     const PkiFiles& pki,
                     const Bodies& bodies,
                     const TransportOptions& options);

}  // namespace carnet::bench
