// Per-action results (reads) and store changes (writes, lifecycle, settings). README.md has the
// table of what each action stores.

#include <algorithm>

#include "node/policy/dossier_json.h"
#include "node/service/service_internal.h"
#include "node/store/envelope.h"
#include "node/trace/entry.h"

namespace carnet::node::service::internal {
namespace {

using protocol::Action;

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

Result<crypto::SecretBytes> PatientKey(NodeContext& ctx, const Snapshot& snap) {
  return store::UnwrapPatientKey(ctx.kek(), snap.patient.wrapped_key);
}

// Opens one stored version: metadata sealed with it, and its content.
Result<protocol::DocumentResult> OpenStored(NodeContext& ctx,
                                            const crypto::SecretBytes& key,
                                            const store::DocumentRecord& d) {
  CARNET_ASSIGN_OR_RETURN(store::DocumentRecord full, ctx.store().GetDocument(d.id, d.version));
  // The AAD binds the blob to (INS, id, version): another patient's blob fails here.
  CARNET_ASSIGN_OR_RETURN(auto plain,
                          store::OpenDocument(key, {d.ins, d.id, d.version}, full.sealed));
  CARNET_ASSIGN_OR_RETURN(SealedDocument sealed, UnframeDocument(plain.view()));
  const DocFlags flags = ParseFlags(d.confidentiality);
  protocol::DocumentResult out;
  protocol::DocumentInfo& info = out.info;
  info.metadata.id = d.id;
  info.metadata.type_code = d.type_code;
  info.metadata.title = sealed.title;
  info.metadata.content_type = sealed.content_type;
  info.metadata.masked = flags.masque_ps;
  info.metadata.invisible_patient = flags.invisible_patient && !flags.revealed;
  info.metadata.invisible_legal_reps = flags.invisible_representatives;
  info.metadata.confidentiality = flags.hl7;
  if (!sealed.replaces.empty()) info.metadata.replaces = sealed.replaces;
  info.version = d.version;
  info.author = d.author_id_nat;
  info.status = ToProtocolStatus(d.status);
  info.deposited_at = d.deposited_at;
  info.content_size = sealed.content.size();
  info.content_sha256 = crypto::Sha256(sealed.content);
  out.content = std::move(sealed.content);
  return out;
}

bool Authorized(const policy::Dossier& d, const std::string& idnat, UnixMillis now) {
  if (d.treating_physician == idnat || Contains(d.administrators, idnat)) return true;
  for (const auto& a : d.authorizations) {
    if (a.idnat == idnat && (!a.until || now < *a.until)) return true;
  }
  return false;
}

Result<protocol::TraceList> Traces(NodeContext& ctx,
                                   const protocol::Request& r,
                                   const policy::Decision& decision) {
  const auto& range = std::get<protocol::TraceRange>(r.args);
  const uint64_t cap = protocol::Limits{}.max_list_entries;
  const uint64_t limit = std::min<uint64_t>(range.limit.value_or(cap), cap);
  const bool own_only = decision.Has(policy::ObligationKind::kFilterTracesToActor);
  protocol::TraceList list;
  CARNET_ASSIGN_OR_RETURN(uint64_t size, ctx.trace_log().Size());
  CARNET_TRY(ctx.trace_log().ForEachEntry(0, size, [&](uint64_t index, ByteView bytes) -> Status {
    if (list.entries.size() >= limit) return Status();
    CARNET_ASSIGN_OR_RETURN(trace::TraceEntry e, trace::DecodeEntry(bytes));
    if (e.patient_ins != r.patient.ins) return Status();
    if (own_only && e.actor_id_nat != r.actor.idnat) return Status();
    if (range.since && e.time < *range.since) return Status();
    if (range.until && e.time >= *range.until) return Status();
    auto action = protocol::ParseAction(e.action);
    auto mode = protocol::ParseMode(e.mode);
    auto request_id = HexDecode(e.request_id);
    if (!action.ok() || !mode.ok() || !request_id.ok() || request_id->size() != 16) {
      return Status();  // a rejection of a request that did not decode: no dossier entry
    }
    protocol::TraceEntry out;
    out.index = index;
    out.time = e.time;
    out.actor = e.actor_id_nat;
    out.action = *action;
    out.mode = *mode;
    out.allowed = e.decision == trace::Decision::kAllow;
    out.rule = e.rule_id;
    if (!e.document_id.empty()) out.document_id = e.document_id;
    out.terminal_id = e.terminal_id;
    out.request_id = std::move(request_id).value();
    list.entries.push_back(std::move(out));
    return Status();
  }));
  return list;
}

Status SaveSettings(store::Transaction& txn, const Snapshot& snap, const policy::Dossier& d) {
  const std::string json = policy::DossierToJson(d);
  return txn.SetPatientSettings(snap.patient.ins, ToBytes(json));
}

void Authorize(policy::Dossier& d, const protocol::TargetArgs& t, policy::Basis basis) {
  std::erase_if(d.authorizations, [&](const auto& a) { return a.idnat == t.idnat; });
  d.authorizations.push_back(policy::Authorization{t.idnat, basis, t.until});
}

// Settings actions: the dossier JSON changes, nothing else.
Status ApplySetting(store::Transaction& txn,
                    const Snapshot& snap,
                    const protocol::Request& r,
                    UnixMillis now) {
  policy::Dossier d = snap.dossier;
  const auto* t = std::get_if<protocol::TargetArgs>(&r.args);
  switch (r.action) {
    case Action::kRecordConsent:
      Authorize(d, *t, policy::Basis::kExplicitConsent);
      break;
    case Action::kRecordCareTeam:
      Authorize(d, *t, policy::Basis::kCareTeam);
      break;
    case Action::kRecordOpposition:
      std::erase_if(d.authorizations, [&](const auto& a) { return a.idnat == t->idnat; });
      break;
    case Action::kBlock:
      if (!Contains(d.blocked, t->idnat)) d.blocked.push_back(t->idnat);
      break;
    case Action::kUnblock:
      std::erase(d.blocked, t->idnat);
      break;
    case Action::kSetDefaultMasking:
      d.default_masking = std::get<protocol::DefaultMaskingArgs>(r.args).enabled;
      break;
    case Action::kSetEmergencyPreferences: {
      const auto& e = std::get<protocol::EmergencyPreferencesArgs>(r.args);
      d.emergency = policy::EmergencyPreferences{e.samu, e.bris_de_glace, e.masked_in_emergency};
      break;
    }
    case Action::kDesignateTreatingPhysician:
      d.treating_physician = t->idnat;
      break;
    case Action::kDesignateAdministrator:
      if (!Contains(d.administrators, t->idnat)) d.administrators.push_back(t->idnat);
      break;
    case Action::kClose:
      d.state = policy::DossierState::kClosed;
      d.closed_at = now;
      CARNET_TRY(txn.SetPatientState(snap.patient.ins, store::PatientState::kClosed));
      break;
    case Action::kRequestDeletion:
      d.deletion_requested_at = now;
      break;
    default:
      return Internal("not a settings action");
  }
  return SaveSettings(txn, snap, d);
}

Result<Change> Deposit(NodeContext& ctx,
                       store::Transaction& txn,
                       const Snapshot& snap,
                       const Plan& plan,
                       const protocol::Request& r,
                       const policy::Decision& decision,
                       UnixMillis now) {
  const auto& args = std::get<protocol::DepositArgs>(r.args);
  const auto& m = args.metadata;
  uint64_t version = 1;
  if (r.action == Action::kReplace && plan.target != nullptr && plan.target->id == m.id) {
    version = plan.target->version + 1;
  }
  DocFlags flags;
  flags.masque_ps = m.masked || decision.Has(policy::ObligationKind::kApplyDefaultMasking);
  flags.invisible_patient = m.invisible_patient;
  flags.invisible_representatives = m.invisible_legal_reps;
  flags.hl7 = m.confidentiality;
  CARNET_ASSIGN_OR_RETURN(auto key, PatientKey(ctx, snap));
  const Bytes plain =
      FrameDocument({m.title, m.content_type, m.replaces.value_or(""), args.content});
  CARNET_ASSIGN_OR_RETURN(
      Bytes sealed, store::SealDocument(key, {r.patient.ins, m.id, version}, plain, ctx.rng()));
  store::DocumentRecord d{m.id,        r.patient.ins, version,
                          m.type_code, r.actor.idnat, FormatFlags(flags),
                          "current",   now,           std::move(sealed)};
  CARNET_TRY(txn.PutDocument(d));
  if (r.action == Action::kReplace && plan.target != nullptr) {
    CARNET_TRY(txn.SetDocumentStatus(plan.target->id, plan.target->version, "obsolete"));
  }
  return Change{m.id, version};
}

}  // namespace

bool IsReadAction(protocol::Action action) {
  return action == Action::kStatus || action == Action::kList || action == Action::kRead ||
         action == Action::kTraces;
}

Result<protocol::ResponseBody> ReadResult(NodeContext& ctx,
                                          const authn::AuthenticatedRequest& auth,
                                          const Snapshot& snap,
                                          const Plan& plan,
                                          const policy::Decision& decision) {
  const protocol::Request& r = auth.request;
  switch (r.action) {
    case Action::kStatus: {
      protocol::StatusResult s;
      s.state = static_cast<protocol::DossierState>(snap.dossier.state);
      s.authorized = Authorized(snap.dossier, r.actor.idnat, plan.request.now);
      s.treating_physician = snap.dossier.treating_physician == r.actor.idnat;
      return protocol::ResponseBody(s);
    }
    case Action::kRead: {
      CARNET_ASSIGN_OR_RETURN(auto key, PatientKey(ctx, snap));
      CARNET_ASSIGN_OR_RETURN(auto doc, OpenStored(ctx, key, *plan.target));
      return protocol::ResponseBody(std::move(doc));
    }
    case Action::kList: {
      CARNET_ASSIGN_OR_RETURN(auto key, PatientKey(ctx, snap));
      protocol::DocumentList list;
      for (size_t index : decision.visible) {
        if (index >= plan.listed.size()) return Internal("list: visible index out of range");
        CARNET_ASSIGN_OR_RETURN(auto doc, OpenStored(ctx, key, *plan.listed[index]));
        list.documents.push_back(std::move(doc.info));
      }
      return protocol::ResponseBody(std::move(list));
    }
    case Action::kTraces: {
      CARNET_ASSIGN_OR_RETURN(auto traces, Traces(ctx, r, decision));
      return protocol::ResponseBody(std::move(traces));
    }
    default:
      return Internal("not a read action");
  }
}

Result<Change> ApplyChange(NodeContext& ctx,
                           store::Transaction& txn,
                           const authn::AuthenticatedRequest& auth,
                           const Snapshot& snap,
                           const Plan& plan,
                           const policy::Decision& decision,
                           UnixMillis now) {
  const protocol::Request& r = auth.request;
  switch (r.action) {
    case Action::kOpen: {
      CARNET_ASSIGN_OR_RETURN(Bytes wrapped, store::NewWrappedPatientKey(ctx.kek(), ctx.rng()));
      policy::Dossier d;
      d.state = policy::DossierState::kOpen;
      CARNET_TRY(txn.PutPatient({r.patient.ins, std::move(wrapped), store::PatientState::kActive,
                                 ToBytes(policy::DossierToJson(d))}));
      return Change{};
    }
    case Action::kDeposit:
    case Action::kReplace:
    case Action::kAddOwnDocument:
      return Deposit(ctx, txn, snap, plan, r, decision, now);
    case Action::kDelete:
    case Action::kArchive: {
      const char* status = r.action == Action::kDelete ? "deleted" : "archived";
      CARNET_TRY(txn.SetDocumentStatus(plan.target->id, plan.target->version, status));
      return Change{plan.target->id, plan.target->version};
    }
    case Action::kReveal:
    case Action::kMask:
    case Action::kUnmask: {
      DocFlags flags = ParseFlags(plan.target->confidentiality);
      if (r.action == Action::kReveal) flags.revealed = true;
      if (r.action != Action::kReveal) flags.masque_ps = r.action == Action::kMask;
      CARNET_TRY(txn.SetDocumentConfidentiality(plan.target->id, plan.target->version,
                                                FormatFlags(flags)));
      return Change{plan.target->id, plan.target->version};
    }
    default:
      if (IsReadAction(r.action)) return Change{};
      CARNET_TRY(ApplySetting(txn, snap, r, now));
      return Change{};
  }
}

std::vector<store::NotificationRecord> Notifications(const authn::AuthenticatedRequest& auth,
                                                     const Plan& plan,
                                                     const policy::Decision& decision,
                                                     const Change& change,
                                                     UnixMillis now) {
  using policy::ObligationKind;
  const protocol::Request& r = auth.request;
  std::vector<store::NotificationRecord> out;
  auto add = [&](store::NotificationKind kind, std::string document_id) {
    store::NotificationRecord n;
    n.kind = kind;
    n.ins = r.patient.ins;
    n.actor_id_nat = r.actor.idnat;
    n.document_id = std::move(document_id);
    n.created_at = now;
    out.push_back(std::move(n));
  };
  if (decision.Has(ObligationKind::kFirstAccessNotice)) {
    add(store::NotificationKind::kFirstAccess, "");
  }
  const bool emergency = r.mode != protocol::Mode::kNormal;
  if (emergency && (decision.Has(ObligationKind::kNotifyPatient) ||
                    decision.Has(ObligationKind::kNotifyTreatingPhysician))) {
    add(store::NotificationKind::kEmergencyAccess, plan.document_id);
  }
  const bool write = r.action == Action::kDeposit || r.action == Action::kReplace ||
                     r.action == Action::kAddOwnDocument;
  if (write && decision.Has(ObligationKind::kNotifyPatient)) {
    add(store::NotificationKind::kNewDocument, change.document_id.value_or(plan.document_id));
  }
  return out;
}

}  // namespace carnet::node::service::internal
