#pragma once
// Shared fixtures for the engine tests: the embedded matrix and a baseline request in which a
// general practitioner with a care-team authorization reads a consult note. Each test case
// changes only what it is about.

#include <string>

#include "node/policy/calendar.h"
#include "node/policy/engine.h"

namespace carnet::node::policy::testing {

inline constexpr char kGp[] = "810000000001";        // the actor by default (10/SM54)
inline constexpr char kAuthor[] = "810000000002";    // author of the baseline document
inline constexpr char kTreating[] = "810000000009";  // the patient's treating physician
inline constexpr char kAdmin[] = "810000000008";     // a designated administrator
inline constexpr char kPharmacist[] = "810000000021";
inline constexpr char kNurse[] = "810000000060";
inline constexpr char kPatient[] = "1850775123456";

inline const HabilitationMatrix& Matrix() {
  static const HabilitationMatrix* m = new HabilitationMatrix(*LoadEmbeddedMatrix());
  return *m;
}

inline UnixMillis Now() { return *ParseRfc3339("2026-03-10T09:30:00Z"); }

inline Document ConsultNote() {
  Document d;
  d.type = "11488-4";
  d.author = kAuthor;
  d.hl7 = {"N"};
  d.confidentiality_explicit = true;
  d.deposited_at = Now() - 10 * kMillisPerDay;
  return d;
}

inline Request Baseline() {
  Request r;
  r.now = Now();
  r.actor = {ActorKind::kProfessional, kGp, "10", "SM54"};
  r.action = Action::kRead;
  r.dossier.state = DossierState::kOpen;
  r.dossier.treating_physician = kTreating;
  r.dossier.administrators = {kAdmin};
  r.dossier.authorizations = {{kGp, Basis::kCareTeam, std::nullopt}};
  r.document = ConsultNote();
  return r;
}

inline void AsPatient(Request& r) { r.actor = {ActorKind::kPatient, kPatient, "", ""}; }
inline void AsRepresentative(Request& r) {
  r.actor = {ActorKind::kLegalRepresentative, "rep-1", "", ""};
  r.dossier.minor = true;
}
inline void AsPharmacist(Request& r) {
  r.actor = {ActorKind::kProfessional, kPharmacist, "21", ""};
  r.dossier.authorizations.push_back({kPharmacist, Basis::kExplicitConsent, std::nullopt});
}

inline Decision Decide(const Request& r) { return Engine(Matrix()).Decide(r); }

}  // namespace carnet::node::policy::testing
