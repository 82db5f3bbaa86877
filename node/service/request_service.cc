// The request pipeline (request_service.h, README.md "Pipeline").

#include "node/service/request_service.h"

#include <array>
#include <functional>
#include <mutex>

#include "crypto/protocol/response.h"
#include "node/service/service_internal.h"
#include "node/store/envelope.h"
#include "node/trace/entry.h"

namespace carnet::node::service {
namespace {

using internal::Plan;
using internal::Snapshot;

// Stored answers: [tag][HTTP status, u16be][answer]. 'S': the answer is sealed with the
// patient's key (it holds dossier data: a copy of the database alone must disclose nothing).
constexpr uint8_t kPlain = 'P';
constexpr uint8_t kSealed = 'S';

// Per-dossier serialization of read-modify-write actions (ReadsModifiesWrites). 64 stripes
// keyed by INS.
std::array<std::mutex, 64>& DossierLocks() {
  static std::array<std::mutex, 64> locks;
  return locks;
}
std::mutex& DossierLock(const std::string& ins) {
  return DossierLocks()[std::hash<std::string>{}(ins) % DossierLocks().size()];
}

server::HttpResponse Cbor(int status, Bytes body) {
  server::HttpResponse out;
  out.status = status;
  out.content_type = kCborContentType;
  out.body = std::move(body);
  return out;
}

std::string Bounded(std::string reason) {
  if (reason.empty()) reason = "refused";
  if (reason.size() <= 1024) return reason;
  size_t n = 1024;
  while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;  // UTF-8 start
  reason.resize(n);
  return reason;
}

// A refusal before the policy engine (node/authn, the Vitale proof, a reused request id).
struct Refusal {
  int http_status = 400;
  std::string rule;
  std::string reason;
};

// What can be said about a request that was refused: from the authenticated request when
// there is one, else from whatever decodes (nothing is trusted, it only fills the trace).
trace::TraceEntry RefusalEntry(ByteView body,
                               const authn::PeerInfo& peer,
                               const std::unique_ptr<authn::TerminalRegistry>& registry,
                               const protocol::Request* known) {
  trace::TraceEntry e;
  e.action = "unknown";
  e.mode = "normal";
  std::optional<protocol::OpenedRequest> opened;
  if (known == nullptr) {
    auto o = protocol::OpenRequest(body);
    if (o.ok()) opened = std::move(o).value();
  }
  const protocol::Request* r = known != nullptr ? known : opened ? &opened->request : nullptr;
  if (r != nullptr) {
    e.request_id = HexEncode(r->request_id);
    e.actor_id_nat = r->actor.idnat;
    e.patient_ins = r->patient.ins;
    e.action = std::string(protocol::ActionName(r->action));
    e.mode = std::string(protocol::ModeName(r->mode));
    e.terminal_id = r->terminal_id;
  }
  // The terminal as enrolled, when the client certificate is known, beats any claim.
  if (!peer.client_cert_der.empty()) {
    if (const auto* t = registry->FindByFingerprint(crypto::Sha256(peer.client_cert_der))) {
      e.terminal_id = t->id;
    }
  }
  if (e.terminal_id.size() > trace::kMaxFieldLength) e.terminal_id.clear();
  return e;
}

// The stored answer's bytes and status, opened if sealed.
Result<server::HttpResponse> StoredAnswer(NodeContext& ctx,
                                          const store::RequestRecord& record,
                                          const protocol::Request& r) {
  const Bytes& s = record.response;
  if (s.size() < 3) return DataLoss("stored answer too short");
  const int status = (s[1] << 8) | s[2];
  Bytes answer(s.begin() + 3, s.end());
  if (s[0] == kPlain) return Cbor(status, std::move(answer));
  if (s[0] != kSealed) return DataLoss("stored answer: unknown tag");
  CARNET_ASSIGN_OR_RETURN(auto patient, ctx.store().GetPatient(r.patient.ins));
  CARNET_ASSIGN_OR_RETURN(auto key, store::UnwrapPatientKey(ctx.kek(), patient.wrapped_key));
  CARNET_ASSIGN_OR_RETURN(
      auto plain,
      store::OpenDocument(key, {r.patient.ins, "request:" + record.request_id, 0}, answer));
  return Cbor(status, Bytes(plain.view().begin(), plain.view().end()));
}

server::HttpResponse Unavailable(const Status& s) {
  protocol::Response resp;
  resp.body = protocol::Error{protocol::ErrorCode::kUnavailable, Bounded(s.message()), {}, {}};
  auto encoded = protocol::EncodeResponse(resp);
  if (!encoded.ok()) return server::HttpResponse::Text(503, "store unavailable");
  return Cbor(503, std::move(encoded).value());
}

// Traces the refusal in a transaction of its own and answers it. Nothing else is stored.
server::HttpResponse Refuse(NodeContext& ctx,
                            const Refusal& refusal,
                            trace::TraceEntry entry,
                            const std::optional<Bytes>& request_id) {
  entry.time = ctx.clock().Now();
  entry.decision = trace::Decision::kDeny;
  entry.rule_id = refusal.rule;
  uint64_t index = 0;
  Status s = ctx.store().Transact([&](store::Transaction& txn) -> Status {
    CARNET_ASSIGN_OR_RETURN(index, ctx.trace_log().Append(txn, entry));
    return Status();
  });
  if (!s.ok()) return Unavailable(s);
  protocol::Response resp;
  if (request_id && request_id->size() == protocol::kRequestIdSize) resp.request_id = request_id;
  auto code = protocol::ErrorCodeFromHttpStatus(refusal.http_status);
  protocol::Error error{code.ok() ? *code : protocol::ErrorCode::kMalformed,
                        Bounded(refusal.rule + ": " + refusal.reason),
                        {},
                        index};
  if (error.code == protocol::ErrorCode::kDenied) error.rule = refusal.rule;
  resp.body = std::move(error);
  auto encoded = protocol::EncodeResponse(resp);
  if (!encoded.ok()) return server::HttpResponse::Text(500, encoded.status().message());
  return Cbor(protocol::ResponseHttpStatus(resp), std::move(encoded).value());
}

// Same terminal and request id seen before: the first answer, or a 409 for other content.
std::optional<server::HttpResponse> Replay(NodeContext& ctx,
                                           const authn::AuthenticatedRequest& auth,
                                           const authn::PeerInfo& peer,
                                           ByteView body) {
  const protocol::Request& r = auth.request;
  auto found = ctx.store().FindRequest(HexEncode(r.request_id), auth.terminal_id);
  if (!found.ok()) return Unavailable(found.status());
  if (!found->has_value()) return std::nullopt;
  const store::RequestRecord& record = **found;
  if (!crypto::ConstantTimeEqual(record.content_hash, auth.content_hash)) {
    Refusal refusal{409, kRuleRequestIdReused,
                    "this request id was already used by this terminal for another request"};
    return Refuse(ctx, refusal, RefusalEntry(body, peer, ctx.authn()->registry, &r), r.request_id);
  }
  auto answer = StoredAnswer(ctx, record, r);
  if (!answer.ok()) return Unavailable(answer.status());
  return std::move(answer).value();
}

// Actions that rewrite what they read (the settings JSON, a document's flags): two of them
// on one dossier at once could lose one change, so they are serialized per dossier from the
// snapshot to the commit. The others run concurrently (their commits share group fsyncs):
// reads change nothing, and a write that collides (same document id or version) fails on
// the store's uniqueness and is answered 409.
bool ReadsModifiesWrites(protocol::Action a) {
  using protocol::Action;
  switch (a) {
    case Action::kStatus:
    case Action::kList:
    case Action::kRead:
    case Action::kTraces:
    case Action::kDeposit:
    case Action::kReplace:
    case Action::kAddOwnDocument:
    case Action::kDelete:
    case Action::kArchive:
      return false;
    default:
      return true;
  }
}

// A decision about to be stored: everything the transaction needs.
struct Decided {
  const authn::AuthenticatedRequest& auth;
  const Snapshot& snap;
  const Plan& plan;
  policy::Decision decision;
  std::string rule;
  std::optional<protocol::ResponseBody> read_body;
  UnixMillis now = 0;
};

policy::Decision DecideOn(NodeContext& ctx, const Plan& plan) {
  if (!plan.deny_rule) return ctx.engine().Decide(plan.request);
  policy::Decision decision;
  decision.allow = false;
  decision.reason = plan.deny_reason;
  return decision;
}

trace::TraceEntry EntryOf(const Decided& d) {
  const protocol::Request& r = d.auth.request;
  trace::TraceEntry e{d.now,
                      d.auth.terminal_id,
                      HexEncode(r.request_id),
                      r.actor.idnat,
                      r.patient.ins,
                      std::string(protocol::ActionName(r.action)),
                      d.plan.document_id,
                      std::string(protocol::ModeName(r.mode)),
                      d.decision.allow ? trace::Decision::kAllow : trace::Decision::kDeny,
                      d.rule};
  if (e.document_id.size() > trace::kMaxFieldLength) e.document_id.clear();
  return e;
}

protocol::Response ResponseOf(const Decided& d, const internal::Change& change, uint64_t index) {
  protocol::Response resp;
  resp.request_id = d.auth.request.request_id;
  if (!d.decision.allow) {
    protocol::Error error{d.plan.deny_code, Bounded(d.rule + ": " + d.decision.reason), {}, index};
    if (error.code == protocol::ErrorCode::kDenied) error.rule = d.rule;
    resp.body = std::move(error);
  } else if (d.read_body) {
    resp.body = *d.read_body;
  } else {
    resp.body = protocol::Ack{change.document_id, change.version, index};
  }
  return resp;
}

// The request record's answer: plain, or sealed with the patient key when it holds dossier
// data (see the tags above).
Result<Bytes> StoredForm(NodeContext& ctx, const Decided& d, ByteView encoded, int status) {
  const bool seal = d.read_body.has_value() && d.snap.exists;
  Bytes stored = {seal ? kSealed : kPlain, static_cast<uint8_t>(status >> 8),
                  static_cast<uint8_t>(status & 0xFF)};
  if (!seal) {
    stored.insert(stored.end(), encoded.begin(), encoded.end());
    return stored;
  }
  const protocol::Request& r = d.auth.request;
  CARNET_ASSIGN_OR_RETURN(auto key, store::UnwrapPatientKey(ctx.kek(), d.snap.patient.wrapped_key));
  CARNET_ASSIGN_OR_RETURN(
      Bytes sealed,
      store::SealDocument(key, {r.patient.ins, "request:" + HexEncode(r.request_id), 0}, encoded,
                          ctx.rng()));
  stored.insert(stored.end(), sealed.begin(), sealed.end());
  return stored;
}

Status StoreNotifications(store::Transaction& txn,
                          const Decided& d,
                          const internal::Change& change,
                          uint64_t index) {
  for (auto& n : internal::Notifications(d.auth, d.plan, d.decision, change, d.now)) {
    if (n.kind == store::NotificationKind::kFirstAccess) {
      // Once per professional and patient, whatever the engine asks on each access.
      CARNET_ASSIGN_OR_RETURN(bool seen, txn.HasNotification(n.kind, n.ins, n.actor_id_nat));
      if (seen) continue;
    }
    n.trace_index = index;
    CARNET_TRY(txn.PutNotification(n).status());
  }
  return Status();
}

// The transaction's body: change, trace entry, request record, notifications.
Status Commit(NodeContext& ctx,
              store::Transaction& txn,
              const Decided& d,
              server::HttpResponse* answer) {
  const protocol::Request& r = d.auth.request;
  internal::Change change;
  if (d.decision.allow) {
    CARNET_ASSIGN_OR_RETURN(
        change, internal::ApplyChange(ctx, txn, d.auth, d.snap, d.plan, d.decision, d.now));
  }
  CARNET_ASSIGN_OR_RETURN(uint64_t index, ctx.trace_log().Append(txn, EntryOf(d)));
  const protocol::Response resp = ResponseOf(d, change, index);
  CARNET_ASSIGN_OR_RETURN(Bytes encoded, protocol::EncodeResponse(resp));
  const int status = protocol::ResponseHttpStatus(resp);
  CARNET_ASSIGN_OR_RETURN(Bytes stored, StoredForm(ctx, d, encoded, status));
  CARNET_TRY(txn.PutRequest({HexEncode(r.request_id), d.auth.terminal_id,
                             Bytes(d.auth.content_hash.begin(), d.auth.content_hash.end()),
                             std::move(stored), d.now}));
  if (d.decision.allow) CARNET_TRY(StoreNotifications(txn, d, change, index));
  *answer = Cbor(status, std::move(encoded));
  return Status();
}

// Steps 2..8: decide on the dossier snapshot, then store everything in one transaction.
server::HttpResponse Decide(NodeContext& ctx,
                            const authn::AuthenticatedRequest& auth,
                            const authn::PeerInfo& peer,
                            ByteView body) {
  const protocol::Request& r = auth.request;
  std::unique_lock<std::mutex> lock(DossierLock(r.patient.ins), std::defer_lock);
  if (ReadsModifiesWrites(r.action)) lock.lock();
  if (auto replay = Replay(ctx, auth, peer, body)) return std::move(*replay);
  const UnixMillis now = ctx.clock().Now();
  auto snap = internal::LoadSnapshot(ctx.store(), r.patient.ins);
  if (!snap.ok()) return Unavailable(snap.status());
  const Plan plan = internal::MakePlan(auth, *snap, now);
  Decided d{auth, *snap, plan, DecideOn(ctx, plan), "", std::nullopt, now};
  d.rule = plan.deny_rule ? *plan.deny_rule : std::string(policy::RuleId(d.decision.rule));
  if (d.decision.allow && internal::IsReadAction(r.action)) {
    auto result = internal::ReadResult(ctx, auth, *snap, plan, d.decision);
    if (!result.ok()) return Unavailable(result.status());
    d.read_body = std::move(result).value();
  }
  server::HttpResponse answer;
  Status s = ctx.store().Transact(
      [&](store::Transaction& txn) -> Status { return Commit(ctx, txn, d, &answer); });
  if (s.ok()) return answer;
  if (s.code() == StatusCode::kAlreadyExists) {
    // A concurrent request with the same id committed first (another node thread): its
    // answer, or a 409 when its content differs.
    if (auto replay = Replay(ctx, auth, peer, body)) return std::move(*replay);
    // Or the same document id / version written concurrently: a version conflict.
    Refusal refusal{409, "STORE_CONFLICT", s.message()};
    return Refuse(ctx, refusal, RefusalEntry(body, peer, ctx.authn()->registry, &r), r.request_id);
  }
  return Unavailable(s);
}

}  // namespace

server::HttpResponse RequestService::Handle(ByteView body, const authn::PeerInfo& peer) {
  const UnixMillis now = ctx_.clock().Now();
  const auto current = ctx_.authn();
  authn::AuthResult auth = current->authenticator->Authenticate(body, peer, now);
  if (!auth.ok()) {
    const authn::Rejection& rej = auth.rejection();
    Refusal refusal{rej.http_status, rej.rule_id, rej.reason};
    trace::TraceEntry entry = RefusalEntry(body, peer, current->registry, nullptr);
    std::optional<Bytes> request_id;
    if (entry.request_id.size() == 2 * protocol::kRequestIdSize) {
      request_id = HexDecode(entry.request_id).value_or(Bytes{});
    }
    return Refuse(ctx_, refusal, std::move(entry), request_id);
  }
  const authn::AuthenticatedRequest request = std::move(auth).take();
  const protocol::Request& r = request.request;
  if (r.patient.vitale) {
    // The card's holder (the insured's NIR) must be the patient: see README "Vitale proof".
    Status proof = FailedPrecondition("this node has no Vitale CA configured (trust.vitale_ca)");
    if (ctx_.vitale_trust()) {
      auto holder = crypto::VerifyPresenceProof(r.patient.vitale->cvc, r.patient.vitale->signature,
                                                r.request_id, *ctx_.vitale_trust(), now);
      proof = holder.ok() ? (*holder == r.patient.ins
                                 ? Status()
                                 : Unauthenticated("the Vitale card is not the patient's"))
                          : holder.status();
    }
    if (!proof.ok()) {
      Refusal refusal{401, kRuleVitaleProofInvalid, proof.message()};
      return Refuse(ctx_, refusal, RefusalEntry(body, peer, current->registry, &r), r.request_id);
    }
  }
  return Decide(ctx_, request, peer, body);
}

}  // namespace carnet::node::service
