// Fuzz target: command/response APDU parsing (bytes a terminal or a card sends us).
// Property checked: Parse never crashes, and whatever parses re-serializes to the same bytes.
#include <cstdint>
#include <cstdlib>

#include "hal/card/apdu.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  carnet::ByteView in(data, size);
  auto cmd = carnet::hal::CommandApdu::Parse(in);
  if (cmd.ok()) {
    auto again = cmd->Serialize();
    if (!again.ok() || *again != carnet::Bytes(in.begin(), in.end())) std::abort();
  }
  auto rsp = carnet::hal::ResponseApdu::Parse(in);
  if (rsp.ok() && rsp->Serialize() != carnet::Bytes(in.begin(), in.end())) std::abort();
  return 0;
}
