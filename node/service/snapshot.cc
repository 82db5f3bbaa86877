// The dossier as stored, and the policy request built from it and the authenticated request.

#include <string>

#include "node/policy/dossier_json.h"
#include "node/service/request_service.h"
#include "node/service/service_internal.h"

namespace carnet::node::service::internal {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;  // clang 14 has no CTAD for aggregates

policy::Document FromMetadata(const protocol::DocumentMetadata& m,
                              const std::string& author,
                              UnixMillis now) {
  policy::Document d;
  d.id = m.id;
  d.type = m.type_code;
  d.author = author;
  d.masque_ps = m.masked;
  d.invisible_patient = m.invisible_patient;
  d.invisible_representatives = m.invisible_legal_reps;
  d.hl7 = m.confidentiality;
  // The wire format states every visibility flag as a boolean: always explicit.
  d.confidentiality_explicit = true;
  d.deposited_at = now;
  return d;
}

void Deny(Plan& plan,
          const char* rule,
          std::string reason,
          protocol::ErrorCode code = protocol::ErrorCode::kDenied) {
  plan.deny_rule = rule;
  plan.deny_reason = std::move(reason);
  plan.deny_code = code;
}

// The document a DocumentRef names; a placeholder when the dossier does not exist (the engine
// then refuses with its dossier rule, which comes first in DESIGN's order).
void PlanDocumentRef(Plan& plan, const Snapshot& snap, const protocol::DocumentRef& ref) {
  plan.document_id = ref.id;
  if (!snap.exists) {
    policy::Document placeholder;
    placeholder.id = ref.id;
    plan.request.document = placeholder;
    return;
  }
  plan.target = FindDocument(snap, ref.id, ref.version);
  if (plan.target == nullptr) {
    Deny(plan, kRuleDocumentUnknown, "no document " + ref.id + " in this dossier");
    return;
  }
  plan.request.document = ToPolicyDocument(*plan.target);
}

void PlanDeposit(Plan& plan,
                 const Snapshot& snap,
                 const protocol::Request& r,
                 const protocol::DepositArgs& args,
                 UnixMillis now) {
  const auto& m = args.metadata;
  plan.document_id = m.id;
  plan.request.document = FromMetadata(m, r.actor.idnat, now);
  if (!snap.exists) return;
  if (r.action == protocol::Action::kReplace) {
    const std::string old_id = m.replaces.value_or("");
    plan.target = FindDocument(snap, old_id, std::nullopt);
    if (plan.target == nullptr) {
      Deny(plan, kRuleDocumentUnknown, "no document " + old_id + " to replace");
      return;
    }
    // The engine checks the replaced version (author, status) and the new metadata (step 6).
    policy::Document d = ToPolicyDocument(*plan.target);
    const policy::Document fresh = FromMetadata(m, r.actor.idnat, now);
    d.type = fresh.type;
    d.masque_ps = fresh.masque_ps;
    d.invisible_patient = fresh.invisible_patient;
    d.invisible_representatives = fresh.invisible_representatives;
    d.hl7 = fresh.hl7;
    d.confidentiality_explicit = true;
    plan.request.document = d;
    if (m.id == old_id) return;  // a new version of the same id
  }
  if (FindDocument(snap, m.id, std::nullopt) != nullptr) {
    Deny(plan, kRuleDocumentExists, "document " + m.id + " already exists",
         protocol::ErrorCode::kConflict);
  }
}

void PlanList(Plan& plan, const Snapshot& snap, const protocol::ListFilter& f) {
  for (const auto& d : snap.documents) {
    // Highest version of each id only; obsolete versions are history, deleted never shown.
    if (FindDocument(snap, d.id, std::nullopt) != &d) continue;
    if (d.status == "deleted" || d.status == "obsolete") continue;
    if (d.status == "archived" && !f.include_archived) continue;
    if (f.type_code && d.type_code != *f.type_code) continue;
    if (f.since && d.deposited_at < *f.since) continue;
    if (f.until && d.deposited_at >= *f.until) continue;
    plan.listed.push_back(&d);
    plan.request.documents.push_back(ToPolicyDocument(d));
  }
}

}  // namespace

Result<Snapshot> LoadSnapshot(store::SqliteStore& store, const std::string& ins) {
  Snapshot snap;
  auto patient = store.GetPatient(ins);
  if (!patient.ok()) {
    if (patient.status().code() != StatusCode::kNotFound) return patient.status();
    snap.dossier.state = policy::DossierState::kNone;
    return snap;
  }
  snap.exists = true;
  snap.patient = std::move(patient).value();
  const std::string json(snap.patient.settings.begin(), snap.patient.settings.end());
  auto dossier = policy::ParseDossierJson(json);
  if (!dossier.ok()) return DataLoss("settings of a dossier: " + dossier.status().message());
  snap.dossier = std::move(dossier).value();
  if (snap.patient.state != store::PatientState::kActive) {
    snap.dossier.state = policy::DossierState::kClosed;
  }
  // Headers only: a read fetches its one blob (actions.cc).
  CARNET_ASSIGN_OR_RETURN(snap.documents, store.ListDocumentHeaders(ins));
  return snap;
}

protocol::DocumentStatus ToProtocolStatus(std::string_view status) {
  auto parsed = protocol::ParseDocumentStatus(status);
  return parsed.ok() ? *parsed : protocol::DocumentStatus::kDeleted;
}

policy::Document ToPolicyDocument(const store::DocumentRecord& record) {
  const DocFlags flags = ParseFlags(record.confidentiality);
  policy::Document d;
  d.id = record.id;
  d.type = record.type_code;
  d.author = record.author_id_nat;
  d.masque_ps = flags.masque_ps;
  d.invisible_patient = flags.invisible_patient;
  d.invisible_representatives = flags.invisible_representatives;
  d.hl7 = flags.hl7;
  d.confidentiality_explicit = true;
  d.status = static_cast<policy::DocumentStatus>(ToProtocolStatus(record.status));
  d.deposited_at = record.deposited_at;
  d.revealed = flags.revealed;
  return d;
}

const store::DocumentRecord* FindDocument(const Snapshot& snap,
                                          std::string_view id,
                                          std::optional<uint64_t> version) {
  const store::DocumentRecord* best = nullptr;
  for (const auto& d : snap.documents) {
    if (d.id != id) continue;
    if (version) {
      if (d.version == *version) return &d;
    } else if (best == nullptr || d.version > best->version) {
      best = &d;
    }
  }
  return best;
}

Plan MakePlan(const authn::AuthenticatedRequest& auth, const Snapshot& snap, UnixMillis now) {
  const protocol::Request& r = auth.request;
  Plan plan;
  policy::Request& p = plan.request;
  p.now = now;
  p.actor.kind = static_cast<policy::ActorKind>(r.actor.kind);
  p.actor.idnat = r.actor.idnat;
  p.actor.profession = auth.profession;
  p.actor.specialty = auth.specialty;
  p.mode = static_cast<policy::Mode>(r.mode);
  p.justification = r.justification.value_or("");
  p.action = *policy::ActionFromName(protocol::ActionName(r.action));
  p.dossier = snap.dossier;
  std::visit(Overloaded{
                 [&](const protocol::OpenArgs& a) {
                   if (!a.patient_consent && snap.dossier.state == policy::DossierState::kNone) {
                     Deny(plan, kRuleOpenConsentMissing,
                          "opening a dossier needs the patient's consent");
                   }
                 },
                 [&](const protocol::DepositArgs& a) { PlanDeposit(plan, snap, r, a, now); },
                 [&](const protocol::DocumentRef& a) { PlanDocumentRef(plan, snap, a); },
                 [&](const protocol::ListFilter& a) { PlanList(plan, snap, a); },
                 [&](const protocol::TargetArgs& a) { p.target = a.idnat; },
                 [&](const auto&) {},
             },
             r.args);
  return plan;
}

}  // namespace carnet::node::service::internal
