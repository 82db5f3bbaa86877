// Fuzz target: strict BER-TLV parsing of card data.
// Properties: no crash; a parsed list re-encodes to exactly the input (strictness means one
// encoding per value, so any difference is a parser that accepted a non-canonical form).
#include <cstdint>
#include <cstdlib>

#include "hal/base/tlv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  carnet::ByteView in(data, size);
  auto list = carnet::ParseTlvList(in);
  if (list.ok()) {
    carnet::Bytes again;
    for (const auto& t : *list) carnet::AppendTlv(again, t.tag, t.value);
    if (again != carnet::Bytes(in.begin(), in.end())) std::abort();
  }
  (void)carnet::ValidateTlvTree(in).ok();
  return 0;
}
