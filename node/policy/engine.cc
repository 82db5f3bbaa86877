#include "node/policy/engine.h"

#include <optional>

#include "node/policy/calendar.h"
#include "node/policy/codes.h"
#include "node/policy/engine_internal.h"

namespace carnet::node::policy {
namespace {

using internal::Allow;
using internal::Contains;
using internal::Deny;
using internal::IsDesignated;
using internal::IsProfessional;
using Verdict = std::optional<Decision>;  // a deny, or nullopt to go on

bool PatientOnly(Action a) {
  switch (a) {
    case Action::kBlock:
    case Action::kUnblock:
    case Action::kSetDefaultMasking:
    case Action::kSetEmergencyPreferences:
    case Action::kDesignateTreatingPhysician:
    case Action::kDesignateAdministrator:
    case Action::kAddOwnDocument:
    case Action::kClose:
    case Action::kRequestDeletion:
      return true;
    default:
      return false;
  }
}

bool ProfessionalOnly(Action a) {
  switch (a) {
    case Action::kDeposit:
    case Action::kReplace:
    case Action::kArchive:
    case Action::kReveal:
    case Action::kRecordConsent:
    case Action::kRecordCareTeam:
    case Action::kRecordOpposition:
      return true;
    default:
      return false;
  }
}

// Normal mode: consultation and "gestion administrative" need an authorization; writing,
// archiving and deleting one's own documents do not (dmp-rules.md §1.5, ameli note).
bool NeedsAuthorization(Action a) {
  return a == Action::kRead || a == Action::kList || a == Action::kTraces || a == Action::kMask ||
         a == Action::kUnmask || a == Action::kBlock;
}

enum class Access { kAuthorized, kExpired, kNone };

Access Authorization(const Request& r) {
  if (IsDesignated(r)) return Access::kAuthorized;
  bool expired = false;
  for (const auto& a : r.dossier.authorizations) {
    if (a.idnat != r.actor.idnat) continue;
    if (!a.until || r.now < *a.until) return Access::kAuthorized;
    expired = true;
  }
  return expired ? Access::kExpired : Access::kNone;
}

Verdict CheckShape(const Request& r) {
  if (ActionNeedsDocument(r.action) && !r.document) {
    return Deny(Rule::kRequestDocumentMissing,
                "action '" + std::string(ActionName(r.action)) + "' needs a document");
  }
  if (ActionNeedsTarget(r.action) && r.target.empty()) {
    return Deny(Rule::kRequestTargetMissing,
                "action '" + std::string(ActionName(r.action)) + "' needs a target idNat");
  }
  return std::nullopt;
}

Verdict CheckClosed(const Request& r) {
  const Dossier& d = r.dossier;
  if (d.deletion_requested_at && r.now >= DeletionDue(*d.deletion_requested_at)) {
    Decision x =
        Deny(Rule::kDossierDeletionDue, "the patient asked for deletion on " +
                                            FormatRfc3339(*d.deletion_requested_at) +
                                            "; the data had to be destroyed within 3 months");
    x.obligations.push_back(
        {ObligationKind::kDestroyOnRequest, DeletionDue(*d.deletion_requested_at)});
    return x;
  }
  const UnixMillis closed = d.closed_at.value_or(r.now);
  const UnixMillis end = RetentionEnd(closed);
  if (r.now >= end) {
    Decision x = Deny(Rule::kDossierRetentionExpired,
                      "closed on " + FormatRfc3339(closed) + ": the 10-year retention has ended");
    x.obligations.push_back({ObligationKind::kDestroyOnRetentionExpiry, end});
    return x;
  }
  if (r.action == Action::kRequestDeletion && !IsProfessional(r)) return std::nullopt;
  Decision x = Deny(Rule::kDossierClosed, "the dossier was closed on " + FormatRfc3339(closed) +
                                              "; it is archived until " + FormatRfc3339(end));
  x.obligations.push_back({ObligationKind::kDestroyOnRetentionExpiry, end});
  if (d.deletion_requested_at) {
    x.obligations.push_back(
        {ObligationKind::kDestroyOnRequest, DeletionDue(*d.deletion_requested_at)});
  }
  return x;
}

Verdict CheckDossier(const Request& r) {
  const Dossier& d = r.dossier;
  if (d.state == DossierState::kNone && r.action != Action::kOpen) {
    return Deny(Rule::kDossierNoneOnlyOpen, "the patient has no dossier; only 'open' is possible");
  }
  if (d.opposed) return Deny(Rule::kDossierOpposed, "the patient opposed the shared record");
  if (d.state == DossierState::kClosed) return CheckClosed(r);
  if (d.state == DossierState::kOpen && r.action == Action::kOpen) {
    return Deny(Rule::kDossierAlreadyExists, "the dossier is already open");
  }
  return std::nullopt;
}

Verdict CheckBlocked(const Request& r) {
  if (IsProfessional(r) && Contains(r.dossier.blocked, r.actor.idnat)) {
    return Deny(Rule::kBlockedProfessional, "the patient blocked professional " + r.actor.idnat +
                                                " (every mode, every action)");
  }
  return std::nullopt;
}

Verdict CheckActor(const Request& r) {
  const std::string action(ActionName(r.action));
  if (IsProfessional(r) && r.action == Action::kBlock) {
    if (Contains(r.dossier.administrators, r.actor.idnat)) return std::nullopt;
    return Deny(Rule::kBlockNotPermitted, "only the patient or a designated administrator blocks");
  }
  if (IsProfessional(r) && PatientOnly(r.action)) {
    return Deny(Rule::kActionPatientOnly, "'" + action + "' is the patient's decision");
  }
  if (!IsProfessional(r) && ProfessionalOnly(r.action)) {
    return Deny(Rule::kActionProfessionalOnly, "'" + action + "' is done by a professional");
  }
  if (r.actor.kind == ActorKind::kLegalRepresentative && !r.dossier.minor) {
    return Deny(Rule::kRepresentativeNotMinor, "the patient is not a minor");
  }
  return std::nullopt;
}

void AddEmergencyNotices(const Request& r, std::vector<Obligation>* out) {
  out->push_back({ObligationKind::kNotifyPatient, std::nullopt});
  if (!r.dossier.treating_physician.empty()) {
    out->push_back({ObligationKind::kNotifyTreatingPhysician, std::nullopt});
  }
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

Verdict CheckMode(const Request& r, std::vector<Obligation>* obligations) {
  if (!IsProfessional(r)) {
    if (r.mode == Mode::kNormal) return std::nullopt;
    return Deny(Rule::kModeEmergencyProfessionalOnly, "emergency modes are for professionals");
  }
  const EmergencyPreferences& e = r.dossier.emergency;
  switch (r.mode) {
    case Mode::kCentre15:
      if (!e.samu) return Deny(Rule::kModeCentre15Refused, "the patient refused SAMU access");
      if (r.actor.profession != kPhysician) {
        return Deny(Rule::kModeCentre15PhysicianOnly,
                    "centre 15 access is for the médecin régulateur");
      }
      AddEmergencyNotices(r, obligations);
      return std::nullopt;
    case Mode::kBrisDeGlace:
      if (!e.bris_de_glace)
        return Deny(Rule::kModeBrisDeGlaceRefused, "the patient refused bris de glace");
      if (Blank(r.justification)) {
        return Deny(Rule::kModeBrisDeGlaceJustificationMissing,
                    "bris de glace needs a justification");
      }
      AddEmergencyNotices(r, obligations);
      return std::nullopt;
    case Mode::kNormal:
      break;
  }
  if (!NeedsAuthorization(r.action)) return std::nullopt;
  switch (Authorization(r)) {
    case Access::kAuthorized:
      return std::nullopt;
    case Access::kExpired:
      return Deny(Rule::kAuthorizationExpired,
                  "the authorization of " + r.actor.idnat + " has expired");
    case Access::kNone:
      break;
  }
  return Deny(Rule::kAuthorizationRequired,
              "no care-team membership or explicit consent recorded for " + r.actor.idnat);
}

// What let a professional in, for the allow reason an auditor reads.
std::string AccessBasis(const Request& r) {
  if (!IsProfessional(r)) return "";
  if (r.mode == Mode::kCentre15) return " [centre 15 access]";
  if (r.mode == Mode::kBrisDeGlace) return " [bris de glace: " + r.justification + "]";
  if (!NeedsAuthorization(r.action)) return " [no authorization needed]";
  if (r.actor.idnat == r.dossier.treating_physician) return " [treating physician]";
  if (IsDesignated(r)) return " [designated administrator]";
  for (const auto& a : r.dossier.authorizations) {
    if (a.idnat == r.actor.idnat && (!a.until || r.now < *a.until)) {
      return a.basis == Basis::kCareTeam ? " [care-team member]" : " [explicit consent]";
    }
  }
  return "";
}

}  // namespace

Decision Engine::Decide(const Request& r) const {
  std::vector<Obligation> access;
  for (auto check : {CheckShape, CheckDossier, CheckBlocked, CheckActor}) {
    if (Verdict v = check(r)) return *v;
  }
  if (Verdict v = CheckMode(r, &access)) return *v;
  Decision d = internal::DecideAction(r, matrix_);
  if (!d.allow) return d;
  if (IsProfessional(r) && r.action != Action::kStatus && r.action != Action::kOpen) {
    access.insert(access.begin(), {ObligationKind::kFirstAccessNotice, std::nullopt});
  }
  d.obligations.insert(d.obligations.begin(), access.begin(), access.end());
  d.reason += AccessBasis(r);
  return d;
}

Decision Engine::ReadDocument(const Request& r, const Document& document) const {
  return internal::ReadDocument(r, matrix_, document);
}

}  // namespace carnet::node::policy
