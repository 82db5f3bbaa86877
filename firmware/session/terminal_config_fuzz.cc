// Fuzz target: the terminal configuration parser never crashes or loops, and what it
// accepts is consistent (a node port always comes with a host).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "firmware/session/terminal_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = carnet::fw::session::ParseTerminalConfig(text, "/base");
  if (c.ok() && c->node_port != 0 && c->node_host.empty()) __builtin_trap();
  return 0;
}
