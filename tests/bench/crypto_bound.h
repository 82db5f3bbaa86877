#pragma once
// The bound the crypto primitives put on the node's request path, measured with the same
// mbedTLS build the node links: what one deposit and one read cost in signature checks,
// hashes and encryption alone, on one core. README.md lists which primitives and why.

#include "tests/bench/bench_util.h"
#include "tests/bench/requests.h"

namespace carnet::bench {

void MeasureCryptoBound(Table& table, const PkiFiles& pki, const Signer& signer, double seconds);

}  // namespace carnet::bench
