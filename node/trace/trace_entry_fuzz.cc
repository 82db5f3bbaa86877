// Fuzz target for DecodeEntry, the parser an auditor runs on an exported trace log: any input
// must decode or fail cleanly; what decodes must re-encode to exactly the input (the encoding
// is canonical, so an entry has one byte form and one Merkle leaf).
#include <cstdint>
#include <cstdlib>

#include "node/trace/entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  carnet::ByteView input(data, size);
  auto entry = carnet::node::trace::DecodeEntry(input);
  if (!entry.ok()) return 0;
  auto encoded = carnet::node::trace::EncodeEntry(*entry);
  if (!encoded.ok()) std::abort();
  if (*encoded != carnet::Bytes(input.begin(), input.end())) std::abort();
  return 0;
}
