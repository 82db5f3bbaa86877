#pragma once
// Helpers shared by engine.cc (steps 2-4) and engine_document.cc (steps 5-6). Not public.

#include <algorithm>
#include <string>
#include <vector>

#include "node/policy/matrix.h"
#include "node/policy/model.h"

namespace carnet::node::policy::internal {

inline Decision Deny(Rule rule, std::string reason) {
  Decision d;
  d.allow = false;
  d.rule = rule;
  d.reason = std::move(reason);
  return d;
}

inline Decision Allow(Rule rule, std::string reason) {
  Decision d = Deny(rule, std::move(reason));
  d.allow = true;
  return d;
}

inline bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return !s.empty() && std::find(list.begin(), list.end(), s) != list.end();
}

inline bool IsProfessional(const Request& r) { return r.actor.kind == ActorKind::kProfessional; }

// Treating physician or a designated administrator: the patient's own designations, which
// carry the treating physician's rights (masked documents, full traces).
inline bool IsDesignated(const Request& r) {
  return IsProfessional(r) && (r.actor.idnat == r.dossier.treating_physician ||
                               Contains(r.dossier.administrators, r.actor.idnat));
}

inline bool IsEmergency(const Request& r) { return r.mode != Mode::kNormal; }

// Whether MASQUE_PS documents are visible to this actor regardless of authorship.
inline bool SeesMaskedDocuments(const Request& r) {
  return !IsProfessional(r) || IsDesignated(r) ||
         (IsEmergency(r) && r.dossier.emergency.masked_in_emergency);
}

// Step 5 for one document.
Decision ReadDocument(const Request& r, const HabilitationMatrix& m, const Document& doc);
// After steps 2-4 passed: the action's own checks (steps 5-6, lifecycle, settings).
Decision DecideAction(const Request& r, const HabilitationMatrix& m);

}  // namespace carnet::node::policy::internal
