#pragma once
// lighttpd + mod_mbedtls as the transport peer: the same mutual TLS (node certificate and key,
// client certificate required and checked against the terminal CA, TLS 1.2
// ECDHE-ECDSA-AES128-GCM) and the same POSTs. A five-line mod_magnet script reads each whole
// body and answers 100 bytes over keep-alive: no CGI, no backend process. (lighttpd's static
// file handler would answer without reading the body, and then close the connection.)

#include <string>

#include "tests/bench/bench_util.h"

namespace carnet::bench {

struct LighttpdPeer {
  Child process;
  uint16_t port = 0;
  std::string answer_path = "/v1/requests";  // any path: the script answers them all
};

// Writes `workdir`/lighttpd.conf and answer.lua, starts `lighttpd_bin -D -f conf`
// with `workers` worker processes, and waits until its port accepts connections.
Result<LighttpdPeer> StartLighttpd(const std::string& lighttpd_bin,
                                   const PkiFiles& pki,
                                   const std::string& workdir,
                                   int workers);

}  // namespace carnet::bench
