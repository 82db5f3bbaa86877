// Fuzz target for the CBOR decoder: any input must decode or fail cleanly; what decodes must
// re-encode deterministically and decode (strictly) back to an equal value.
#include <cstdint>
#include <cstdlib>

#include "crypto/cbor/decode.h"
#include "crypto/cbor/encode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carnet::crypto::cbor;
  carnet::ByteView input(data, size);
  for (bool canonical : {true, false}) {
    DecodeLimits limits;
    limits.require_canonical = canonical;
    auto value = Decode(input, limits);
    if (!value.ok()) continue;
    carnet::Bytes encoded = Encode(*value);
    // Strict input is already in deterministic form.
    if (canonical && encoded != carnet::Bytes(input.begin(), input.end())) std::abort();
    DecodeLimits strict;
    auto again = Decode(encoded, strict);
    if (!again.ok() || !(Encode(*again) == encoded)) std::abort();
  }
  return 0;
}
