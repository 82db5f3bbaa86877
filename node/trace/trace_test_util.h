#pragma once
// Test helpers for node/trace.

#include <string>

#include "node/trace/entry.h"

namespace carnet::node::trace::testing {

// A plausible entry: professional 810001234567 reads document doc-<n> of a dossier.
inline TraceEntry SampleEntry(int n = 0) {
  TraceEntry e;
  e.time = 1'780'000'000'000 + n;
  e.terminal_id = "T-0001";
  e.request_id = "req-" + std::to_string(n);
  e.actor_id_nat = "810001234567";
  e.patient_ins = "1840275123456";
  e.action = "read";
  e.document_id = "doc-" + std::to_string(n);
  e.mode = "normal";
  e.decision = n % 3 == 0 ? Decision::kDeny : Decision::kAllow;
  e.rule_id = "R-READ-MATRIX";
  return e;
}

}  // namespace carnet::node::trace::testing
