// Fuzzes the directory parser: any bytes must give a Directory or an error, never a crash, and
// an accepted directory must format back to text that parses to the same entries.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "node/directory/directory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using carnet::node::directory::Directory;
  carnet::node::directory::ParseLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_entries = 10000;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto d = Directory::Parse(text, limits);
  if (!d.ok()) return 0;
  for (const auto& e : d->entries()) {
    if (d->Lookup(e.id_nat) != &e) std::abort();
  }
  auto again = carnet::node::directory::FormatDirectory(d->entries());
  if (!again.ok() || *again != text) std::abort();  // the format is canonical
  return 0;
}
