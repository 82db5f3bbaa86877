// Fuzz target: the matrix loader must reject malformed files with an error, never crash, and
// a loaded matrix must answer lookups for every type it declares.
#include <cstdint>
#include <string_view>

#include "node/policy/matrix.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carnet::node::policy;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  carnet::Result<HabilitationMatrix> m = LoadMatrix(text, "fuzz.tsv");
  if (!m.ok()) return 0;
  for (const MatrixType& t : m->types()) {
    for (const MatrixCell& c : m->cells()) (void)m->Lookup(c.profession, c.specialty, t.code);
  }
  return 0;
}
