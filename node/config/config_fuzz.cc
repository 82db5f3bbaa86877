// node.conf parser on arbitrary bytes: it must answer (a config or an error with a line
// number) without crashing, and whatever it accepts must be inside the table's ranges.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "node/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = carnet::node::config::ParseConfig(text, "/nonexistent-base", "fuzz.conf");
  if (!config.ok()) {
    // Every refusal names the origin and a line.
    if (config.status().message().rfind("fuzz.conf:", 0) != 0) std::abort();
    return 0;
  }
  const auto& c = *config;
  if (!carnet::node::config::IsLoopbackHost(c.listen.admin_host)) std::abort();
  if (c.limits.max_connections < 1 || c.limits.io_threads > 256) std::abort();
  if (c.retention.closed_years < 1 || c.retention.closed_years > 100) std::abort();
  if (!c.tls.cert.empty() && c.tls.cert.front() != '/') std::abort();  // always resolved
  return 0;
}
