// Fuzz target for request intake on the node: COSE_Sign1 decoding, then the payload. Any input
// must decode or fail cleanly. What decodes must re-encode to the exact payload bytes (the
// payload is canonical) and describe itself without crashing. The raw input is also tried as a
// bare payload, so the fuzzer reaches the payload decoder without building COSE first.
#include <cstdint>
#include <cstdlib>

#include "crypto/protocol/request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {
void CheckPayload(const carnet::protocol::Request& request, carnet::ByteView payload) {
  auto again = carnet::protocol::EncodePayload(request);
  if (!again.ok() || *again != carnet::Bytes(payload.begin(), payload.end())) std::abort();
  (void)carnet::protocol::DescribeRequest(request);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carnet::protocol;
  const carnet::ByteView input(data, size);
  (void)RequestContentHash(input);
  if (auto opened = OpenRequest(input); opened.ok()) {
    CheckPayload(opened->request, opened->sign1.payload);
  }
  if (auto bare = DecodePayload(input); bare.ok()) CheckPayload(*bare, input);
  return 0;
}
