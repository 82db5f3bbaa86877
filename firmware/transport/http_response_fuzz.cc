// Fuzzes the terminal's HTTP response parser: whole input, and the same bytes arriving in
// pieces (as the client re-parses after each read), which must agree.
#include <cstddef>
#include <cstdint>

#include "firmware/transport/http.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using carnet::ByteView;
  using carnet::fw::transport::ParseHttpResponse;
  constexpr size_t kMaxBody = 64 * 1024;
  ByteView all(data, size);
  auto whole = ParseHttpResponse(all, kMaxBody);
  if (whole.ok() && whole->has_value() && (*whole)->consumed > size) __builtin_trap();
  // Prefixes never produce a complete answer that the whole input would not.
  size_t step = size / 7 + 1;
  for (size_t n = 0; n < size; n += step) {
    auto part = ParseHttpResponse(all.first(n), kMaxBody);
    if (part.ok() && part->has_value() && whole.ok() && whole->has_value() &&
        (*part)->consumed != (*whole)->consumed) {
      __builtin_trap();
    }
  }
  return 0;
}
