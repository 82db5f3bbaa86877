// Fuzz target: the JSON parser must never crash; what it accepts must write back to text
// that parses to the same value (writer and parser agree).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hal/base/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carnet::json;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  carnet::Result<Value> v = Parse(text);
  if (!v.ok()) return 0;
  std::string out = Write(*v);
  carnet::Result<Value> again = Parse(out, ParseLimits{.max_bytes = out.size() + 1});
  if (!again.ok() || !(*again == *v)) std::abort();
  return 0;
}
