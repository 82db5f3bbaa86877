// Fuzz target for HeadFromJson, which reads signed tree heads an auditor hands to `trace verify
// --sth` and the node's trace-heads.jsonl: any input parses or fails cleanly; what parses
// writes back to JSON that parses to the same head.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "node/app/trace_heads.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto head = carnet::node::app::HeadFromJson(input);
  if (!head.ok()) return 0;
  auto again = carnet::node::app::HeadFromJson(carnet::node::app::HeadToJson(*head, ""));
  if (!again.ok() || !(*again == *head)) std::abort();
  return 0;
}
