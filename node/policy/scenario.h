#pragma once
// The JSON form of a policy Request ("scenario") and of a Decision: the contract of
// `carnet-node policy explain`. The schema, its defaults and examples are in README.md.
// Parsing is strict: unknown fields, wrong types, unknown codes and fields that do not fit the
// action are errors whose message starts with the field path ("dossier.blocked[2]: ...").

#include <string>
#include <string_view>

#include "hal/base/status.h"
#include "node/policy/model.h"

namespace carnet::node::policy {

Result<Request> ParseScenario(std::string_view json_text);

// {"decision": "allow"|"deny", "rule": ..., "reason": ..., "obligations": [{"kind": ...,
// "at": RFC 3339 (when timed)}], "visible": [indexes] (list only)} on one line.
std::string DecisionToJson(const Decision& decision, const Request& request);

}  // namespace carnet::node::policy
