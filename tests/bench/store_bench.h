#pragma once
// node/store and node/trace on their own (no TLS, no authentication): how listing a patient's
// documents grows with the number of documents stored, and durable trace-log appends per
// second. Real SQLite files (WAL, synchronous=FULL) in `workdir`.

#include <string>

#include "tests/bench/bench_util.h"

namespace carnet::bench {

struct StoreBenchOptions {
  std::string workdir;
  size_t max_documents = 1'000'000;  // list latency at 10^4, 10^5, ... up to this
  double append_seconds = 3;         // per concurrency level
};

void MeasureStore(Table& table, const StoreBenchOptions& options);

}  // namespace carnet::bench
