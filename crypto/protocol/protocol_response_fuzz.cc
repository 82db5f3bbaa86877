// Fuzz target for responses as the terminal reads them: any input must decode or fail cleanly;
// what decodes must re-encode to the same bytes (responses are canonical).
#include <cstdint>
#include <cstdlib>

#include "crypto/protocol/response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carnet::protocol;
  const carnet::ByteView input(data, size);
  auto response = DecodeResponse(input);
  if (!response.ok()) return 0;
  (void)ResponseHttpStatus(*response);
  auto again = EncodeResponse(*response);
  if (!again.ok() || *again != carnet::Bytes(input.begin(), input.end())) std::abort();
  return 0;
}
