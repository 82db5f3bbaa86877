#pragma once
// The whole node: `carnet-node init --from-test-pki`, a terminal enrolled with
// `carnet-node enroll-terminal`, `carnet-node serve` in its own process, then handshakes,
// durable deposits (4 KiB and 256 KiB) and reads from N terminals' warm, resumed connections,
// each connection on its own 8 patients. Every request is signed before the clock starts, so
// the figures are the node's.

#include <string>

#include "tests/bench/bench_util.h"
#include "tests/bench/requests.h"

namespace carnet::bench {

struct NodeBenchOptions {
  std::string node_bin;
  std::string workdir;
  int connections = 8;
  double handshake_seconds = 2;
  size_t deposits_4k = 800;  // totals, split over the connections
  size_t deposits_256k = 160;
  size_t reads = 800;
};

// Returns the node's peak RSS in KiB (-1 when it did not run).
long MeasureNode(Table& table,
                 const PkiFiles& pki,
                 const Signer& signer,
                 const NodeBenchOptions& options);

}  // namespace carnet::bench
