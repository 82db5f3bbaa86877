// Fuzz target: the scenario loader and the engine behind it must never crash, and a parsed
// scenario must always get a decision whose rule id is known.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "node/policy/engine.h"
#include "node/policy/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carnet::node::policy;
  static const HabilitationMatrix* matrix = new HabilitationMatrix(*LoadEmbeddedMatrix());
  std::string_view text(reinterpret_cast<const char*>(data), size);
  carnet::Result<Request> req = ParseScenario(text);
  if (!req.ok()) return 0;
  Decision d = Engine(*matrix).Decide(*req);
  if (RuleId(d.rule) == "UNKNOWN" || DecisionToJson(d, *req).empty()) std::abort();
  return 0;
}
