#include "firmware/session/session_runner.h"

#include <deque>
#include <utility>

#include "crypto/core/secret.h"

namespace carnet::fw::session {
namespace {

// Steps one event may cause at most: the longest chain is insert → check → PIN → authenticate
// → persist; a loop here would be a bug in Session, not a reason to hang the desk.
constexpr int kMaxSteps = 64;

// CpsCard reports a reset it saw as kFailedPrecondition "card was reset: verify the PIN again".
// Card clients keep the hal's kUnavailable for a removed card (cps_card.h, vitale_card.h) but
// may wrap the message, so the code alone decides.
bool IsRemoved(const Status& s) {
  return hal::IsCardRemoved(s) || s.code() == StatusCode::kUnavailable;
}

bool IsResetError(const Status& s) {
  return hal::IsCardStateLost(s) || (s.code() == StatusCode::kFailedPrecondition &&
                                     s.message().find("card was reset") != std::string::npos);
}

}  // namespace

SessionRunner::SessionRunner(
    Session& session, RunnerConfig config, RunnerHooks hooks, const Clock& clock, Random& rng)
    : session_(session),
      config_(std::move(config)),
      hooks_(std::move(hooks)),
      clock_(clock),
      rng_(rng) {}

Event SessionRunner::Make(EventKind kind) const {
  Event e;
  e.kind = kind;
  e.now = clock_.Now();
  return e;
}

// The one place where card errors become session events.
Event SessionRunner::CardEvent(const Status& s, bool professional) const {
  if (IsRemoved(s)) {
    return Make(professional ? EventKind::kProfessionalRemoved : EventKind::kPatientRemoved);
  }
  if (professional && IsResetError(s)) return Make(EventKind::kProfessionalReset);
  Event e = Make(EventKind::kFailed);
  e.ok = false;
  e.message = s.message();
  return e;
}

void SessionRunner::ProfessionalInserted(hal::CardReader& reader) {
  pro_reader_ = &reader;
  Feed(Make(EventKind::kProfessionalInserted));
}

void SessionRunner::PatientInserted(hal::CardReader& reader) {
  patient_reader_ = &reader;
  Feed(Make(EventKind::kPatientInserted));
}

void SessionRunner::ProfessionalRemoved() { Feed(Make(EventKind::kProfessionalRemoved)); }
void SessionRunner::PatientRemoved() { Feed(Make(EventKind::kPatientRemoved)); }
void SessionRunner::Tick() { Feed(Make(EventKind::kTick)); }

void SessionRunner::Request(ActionRequest request) {
  Event e = Make(EventKind::kActionRequested);
  e.action = request.action;
  e.mode = request.mode;
  pending_ = std::move(request);
  delivery_.reset();
  queued_ = false;
  Feed(e);
}

const std::vector<vitale::VitaleIdentity>* SessionRunner::patient_identities() const {
  return vitale_ ? &vitale_->contents().identities : nullptr;
}

const vitale::VitaleIdentity* SessionRunner::patient() const {
  const int rank = session_.beneficiary_rank();
  const auto* ids = patient_identities();
  if (ids == nullptr || rank < 0 || static_cast<size_t>(rank) >= ids->size()) return nullptr;
  return &(*ids)[static_cast<size_t>(rank)];
}

void SessionRunner::Feed(Event event) {
  error_.clear();
  std::deque<Action> todo;
  for (Action& a : session_.Handle(event)) todo.push_back(std::move(a));
  for (int steps = 0; !todo.empty() && steps < kMaxSteps; ++steps) {
    const Action action = std::move(todo.front());
    todo.pop_front();
    if (std::optional<Event> next = Perform(action)) {
      for (Action& a : session_.Handle(*next)) todo.push_back(std::move(a));
    }
  }
}

std::optional<Event> SessionRunner::Perform(const Action& a) {
  switch (a.kind) {
    case ActionKind::kCheckProfessional:
      return CheckProfessional();
    case ActionKind::kAskPin:
      return AskPin();
    case ActionKind::kAuthenticateProfessional:
      return AuthenticateProfessional();
    case ActionKind::kCheckPatient:
      return CheckPatient();
    case ActionKind::kAskBeneficiary:
      return AskBeneficiary();
    case ActionKind::kSignRequest:
      return SignRequest(a.key);
    case ActionKind::kSend:
      return Send();
    case ActionKind::kEnqueue:
      return Enqueue();
    case ActionKind::kLockCard:
      // The card itself must forget the PIN: a warm reset (hal: SCardReconnect RESET_CARD).
      if (pro_reader_ != nullptr) pro_reader_->ResetCard().IgnoreError();
      if (cps_) cps_->ForgetPin();
      return std::nullopt;
    case ActionKind::kWipeProfessional:
      WipePatient();
      cps_.reset();
      identity_.reset();
      return std::nullopt;
    case ActionKind::kWipePatient:
      WipePatient();
      return std::nullopt;
    case ActionKind::kPersist:
      if (hooks_.persist) hooks_.persist(session_.last_activity()).IgnoreError();
      return std::nullopt;
    case ActionKind::kClearPersisted:
      if (hooks_.clear_persisted) hooks_.clear_persisted().IgnoreError();
      return std::nullopt;
    case ActionKind::kReport:
      if (a.error && error_.empty()) error_ = a.message;
      if (hooks_.report) hooks_.report(a.message, a.error);
      return std::nullopt;
  }
  return std::nullopt;
}

void SessionRunner::WipePatient() {
  vitale_.reset();
  pending_.reset();
  request_.reset();
  crypto::Zeroize(signed_);
  signed_.clear();
}

std::optional<Event> SessionRunner::CheckProfessional() {
  if (pro_reader_ == nullptr) return CardEvent(Unavailable("no CPS card"), true);
  cps_.emplace(*pro_reader_);
  auto id = cps_->ReadIdentity();
  if (!id.ok()) return CardEvent(id.status(), true);
  Event e = Make(EventKind::kProfessionalChecked);
  if (config_.igc == nullptr) {
    e.ok = false;
    e.message = "no IGC-Santé trust is configured (pki_index or trust_root)";
    return e;
  }
  const cps::CertificatesCheck check =
      cps::CheckCertificates(*id, *config_.igc, e.now, config_.require_crl);
  e.ok = check.ok();
  if (!e.ok) {
    e.message = "certificates " + std::string(cps::CertVerdictName(check.overall.verdict)) + " (" +
                check.overall.reason + ")";
  }
  identity_ = std::move(id).value();
  return e;
}

std::optional<Event> SessionRunner::AskPin() {
  if (!cps_) return CardEvent(Unavailable("no CPS card"), true);
  auto st = cps_->PinStatus();
  if (!st.ok()) return CardEvent(st.status(), true);
  Event e = Make(EventKind::kPinResult);
  if (st->verified) return e;  // the card kept its PIN state (same power cycle)
  if (st->blocked) {
    e.pin = PinOutcome::kBlocked;
    return e;
  }
  if (!hooks_.ask_pin) {
    return CardEvent(FailedPrecondition("the CPS PIN is not verified: log in first "
                                        "(carnet-terminal login)"),
                     true);
  }
  auto r = hooks_.ask_pin(*cps_);
  if (!r.ok()) return CardEvent(r.status(), true);
  e.pin = r->outcome == cps::PinOutcome::kOk      ? PinOutcome::kOk
          : r->outcome == cps::PinOutcome::kWrong ? PinOutcome::kWrong
                                                  : PinOutcome::kBlocked;
  e.tries_left = r->tries_left;
  return e;
}

std::optional<Event> SessionRunner::AuthenticateProfessional() {
  if (!cps_) return CardEvent(Unavailable("no CPS card"), true);
  const Status s = cps_->AuthenticateCard(rng_);
  if (IsRemoved(s) || IsResetError(s)) return CardEvent(s, true);
  Event e = Make(EventKind::kProfessionalAuthenticated);
  e.ok = s.ok();
  e.message = s.message();
  return e;
}

std::optional<Event> SessionRunner::CheckPatient() {
  if (patient_reader_ == nullptr) return CardEvent(Unavailable("no Vitale card"), false);
  vitale_.emplace(*patient_reader_);
  Status s = vitale_->Read();
  if (IsRemoved(s)) return CardEvent(s, false);
  Event e = Make(EventKind::kPatientChecked);
  if (s.ok() && config_.vitale_ca == nullptr) {
    s = FailedPrecondition("no Vitale CA is configured (pki_index or vitale_ca)");
  }
  if (s.ok()) s = vitale_->VerifyCertificate(*config_.vitale_ca, e.now);
  if (s.ok()) s = vitale_->Authenticate(rng_);
  if (IsRemoved(s)) return CardEvent(s, false);
  e.ok = s.ok();
  e.message = s.message();
  e.beneficiaries = s.ok() ? static_cast<int>(vitale_->contents().identities.size()) : 0;
  return e;
}

std::optional<Event> SessionRunner::AskBeneficiary() {
  Event e = Make(EventKind::kBeneficiaryChosen);
  e.rank = -1;
  if (hooks_.choose && vitale_) {
    auto r = hooks_.choose(vitale_->contents().identities);
    if (!r.ok()) return CardEvent(r.status(), false);
    e.rank = *r;
  }
  return e;
}

std::optional<Event> SessionRunner::SignRequest(SigningKey key) {
  const vitale::VitaleIdentity* who = patient();
  if (!pending_ || !identity_ || !cps_ || !vitale_ || who == nullptr) {
    return CardEvent(FailedPrecondition("nothing to sign"), true);
  }
  RequestInputs in;
  in.terminal_id = config_.terminal_id;
  in.professional = {identity_->id_nat, identity_->profession, identity_->specialty};
  in.patient_nir = who->nir;
  in.ins_oid = config_.ins_oid;
  in.action = pending_->action;
  in.mode = pending_->mode;
  in.justification = pending_->justification;
  in.args = pending_->args;
  in.now = clock_.Now();
  auto built = BuildRequest(in, rng_);
  if (!built.ok()) return CardEvent(built.status(), true);
  bool patient_gone = false;
  ProofFn proof = [&](ByteView id) -> Result<PresenceProof> {
    auto p = vitale_->PresenceProof(id);
    if (!p.ok()) {
      patient_gone = IsRemoved(p.status());
      return p.status();
    }
    return PresenceProof{std::move(p->cvc), std::move(p->signature)};
  };
  const bool sig = key == SigningKey::kSig;
  auto cose = ProveAndSign(*built, proof, sig ? cps_->SigSigner() : cps_->AutSigner(),
                           sig ? identity_->sig_certificate_der : identity_->aut_certificate_der);
  if (!cose.ok()) return CardEvent(cose.status(), !patient_gone);
  request_ = std::move(built).value();
  signed_ = std::move(cose).value();
  return Make(EventKind::kRequestSigned);
}

std::optional<Event> SessionRunner::Send() {
  Event e = Make(EventKind::kNodeUnreachable);
  if (!hooks_.send || !request_) {
    e.message = "no node is configured";
    return e;
  }
  auto r = hooks_.send(request_->request_id, signed_);
  if (!r.ok()) {
    e.message = r.status().message();
    return e;
  }
  delivery_ = std::move(r).value();
  return Make(EventKind::kDelivered);
}

std::optional<Event> SessionRunner::Enqueue() {
  Status s = (hooks_.enqueue && request_) ? hooks_.enqueue(request_->request_id, signed_,
                                                           protocol::DescribeRequest(*request_))
                                          : FailedPrecondition("no outbox is configured");
  if (!s.ok()) {
    Event e = Make(EventKind::kFailed);
    e.ok = false;
    e.message = "the node is unreachable and the outbox refused the request: " + s.message();
    return e;
  }
  queued_ = true;
  return Make(EventKind::kQueued);
}

}  // namespace carnet::fw::session
