#include "firmware/session/session.h"

#include <utility>

namespace carnet::fw::session {
namespace {

Action Do(ActionKind kind) { return Action{kind, SigningKey::kAut, "", false}; }
Action Tell(std::string message) {
  return Action{ActionKind::kReport, SigningKey::kAut, std::move(message), false};
}
Action Error(std::string message) {
  return Action{ActionKind::kReport, SigningKey::kAut, std::move(message), true};
}

constexpr char kInsertCps[] = "insert the professional's CPS card";
constexpr char kInsertVitale[] = "insert the patient's Vitale card";
constexpr char kBlocked[] = "PIN blocked: unblock with the PUK (carnet-terminal unblock)";

}  // namespace

std::string_view StateName(State state) {
  switch (state) {
    case State::kNoProfessional:
      return "no_professional";
    case State::kCheckingProfessional:
      return "checking_professional";
    case State::kAwaitingPin:
      return "awaiting_pin";
    case State::kAuthenticatingProfessional:
      return "authenticating_professional";
    case State::kNoPatient:
      return "no_patient";
    case State::kCheckingPatient:
      return "checking_patient";
    case State::kChoosingBeneficiary:
      return "choosing_beneficiary";
    case State::kReady:
      return "ready";
    case State::kSigning:
      return "signing";
    case State::kSending:
      return "sending";
    case State::kLocked:
      return "locked";
    case State::kPinBlocked:
      return "pin_blocked";
  }
  return "unknown";
}

SigningKey KeyFor(protocol::Action action) {
  switch (action) {
    case protocol::Action::kDeposit:
    case protocol::Action::kReplace:
    case protocol::Action::kAddOwnDocument:
      return SigningKey::kSig;
    default:
      return SigningKey::kAut;
  }
}

bool MayQueue(protocol::Action action) { return KeyFor(action) == SigningKey::kSig; }

bool Session::authenticated() const {
  switch (state_) {
    case State::kNoPatient:
    case State::kCheckingPatient:
    case State::kChoosingBeneficiary:
    case State::kReady:
    case State::kSigning:
    case State::kSending:
      return true;
    default:
      return false;
  }
}

void Session::Resume(UnixMillis last_activity) {
  last_activity_ = last_activity;
  resumed_ = true;
}

void Session::Touch(UnixMillis now) {
  if (now > last_activity_) last_activity_ = now;
}

std::vector<Action> Session::Handle(const Event& e) {
  // Removal of the professional's card ends everything, whatever the state.
  if (e.kind == EventKind::kProfessionalRemoved) {
    return EndSession("the professional's CPS card was removed: session ended; " +
                      std::string(kInsertCps));
  }
  // Idle lock before anything else: a late event must not act on a stale session. A session
  // resumed from disk counts too (the command that follows a long pause).
  const bool live = authenticated() || resumed_;
  if (live && e.now - last_activity_ > options_.idle_timeout.count()) return Lock();
  if (e.kind == EventKind::kTick) return {};
  if (state_ == State::kPinBlocked) return {Error(kBlocked)};
  if (e.kind == EventKind::kProfessionalReset &&
      (authenticated() || state_ == State::kAuthenticatingProfessional)) {
    // The card forgot its verified PIN: no cached state may stand in for it.
    state_ = State::kAwaitingPin;
    pending_.reset();
    rank_ = -1;
    return {Do(ActionKind::kWipePatient),
            Error("the CPS card was reset: enter the PIN again (carnet-terminal login)"),
            Do(ActionKind::kAskPin)};
  }
  if (e.kind == EventKind::kPatientRemoved) {
    if (!authenticated() || state_ == State::kNoPatient) return {};
    state_ = State::kNoPatient;
    pending_.reset();
    rank_ = -1;
    return {Do(ActionKind::kWipePatient),
            Tell("the patient's Vitale card was removed: session suspended; " +
                 std::string(kInsertVitale) + " to continue")};
  }
  switch (state_) {
    case State::kNoProfessional:
    case State::kCheckingProfessional:
    case State::kAwaitingPin:
    case State::kAuthenticatingProfessional:
    case State::kLocked:
      return OnProfessional(e);
    case State::kNoPatient:
    case State::kCheckingPatient:
    case State::kChoosingBeneficiary:
      return OnPatient(e);
    default:
      return OnRequest(e);
  }
}

std::vector<Action> Session::OnProfessional(const Event& e) {
  if (state_ == State::kNoProfessional && e.kind == EventKind::kProfessionalInserted) {
    state_ = State::kCheckingProfessional;
    return {Do(ActionKind::kCheckProfessional)};
  }
  if (state_ == State::kCheckingProfessional &&
      (e.kind == EventKind::kProfessionalChecked || e.kind == EventKind::kFailed)) {
    if (e.kind == EventKind::kFailed || !e.ok) {
      state_ = State::kNoProfessional;
      return {Do(ActionKind::kWipeProfessional),
              Error("professional card refused: " + e.message + "; insert a valid CPS card")};
    }
    state_ = State::kAwaitingPin;
    return {Do(ActionKind::kAskPin)};
  }
  const bool pin_state = state_ == State::kAwaitingPin || state_ == State::kLocked;
  if (pin_state && e.kind == EventKind::kPinResult) {
    if (e.pin == PinOutcome::kOk) {
      state_ = State::kAuthenticatingProfessional;
      return {Do(ActionKind::kAuthenticateProfessional)};
    }
    if (e.pin == PinOutcome::kBlocked) {
      state_ = State::kPinBlocked;
      resumed_ = false;
      return {Do(ActionKind::kWipeProfessional), Do(ActionKind::kClearPersisted), Error(kBlocked)};
    }
    return {Error("wrong PIN: " + std::to_string(e.tries_left) +
                  (e.tries_left == 1 ? " try left" : " tries left"))};
  }
  if (pin_state && e.kind == EventKind::kFailed) return {Error(e.message)};
  if (state_ == State::kAuthenticatingProfessional &&
      (e.kind == EventKind::kProfessionalAuthenticated || e.kind == EventKind::kFailed)) {
    if (e.kind == EventKind::kFailed || !e.ok) {
      state_ = State::kNoProfessional;
      resumed_ = false;
      return {Do(ActionKind::kWipeProfessional), Do(ActionKind::kClearPersisted),
              Error("the CPS card failed its authentication: " + e.message)};
    }
    state_ = State::kNoPatient;
    resumed_ = false;
    Touch(e.now);
    return {Do(ActionKind::kPersist)};
  }
  return Unexpected();
}

std::vector<Action> Session::OnPatient(const Event& e) {
  if (state_ == State::kNoPatient && e.kind == EventKind::kPatientInserted) {
    state_ = State::kCheckingPatient;
    return {Do(ActionKind::kCheckPatient)};
  }
  if (state_ == State::kCheckingPatient &&
      (e.kind == EventKind::kPatientChecked || e.kind == EventKind::kFailed)) {
    if (e.kind == EventKind::kFailed || !e.ok || e.beneficiaries < 1) {
      state_ = State::kNoPatient;
      return {Do(ActionKind::kWipePatient),
              Error("patient card refused: " + e.message + "; insert a valid Vitale card")};
    }
    beneficiaries_ = e.beneficiaries;
    Touch(e.now);
    if (beneficiaries_ == 1) {
      rank_ = 0;
      state_ = State::kReady;
      return {};
    }
    state_ = State::kChoosingBeneficiary;
    return {Do(ActionKind::kAskBeneficiary)};
  }
  if (state_ == State::kChoosingBeneficiary && e.kind == EventKind::kBeneficiaryChosen) {
    if (e.rank < 0 || e.rank >= beneficiaries_) {
      return {Error("no beneficiary " + std::to_string(e.rank) +
                    " on this Vitale card: choose 0 to " + std::to_string(beneficiaries_ - 1))};
    }
    rank_ = e.rank;
    state_ = State::kReady;
    Touch(e.now);
    return {};
  }
  return Unexpected();
}

std::vector<Action> Session::OnRequest(const Event& e) {
  if (state_ == State::kReady && e.kind == EventKind::kActionRequested) {
    pending_ = e.action;
    mode_ = e.mode;
    state_ = State::kSigning;
    Touch(e.now);
    return {Action{ActionKind::kSignRequest, KeyFor(e.action), "", false}};
  }
  if (state_ == State::kSigning && e.kind == EventKind::kRequestSigned) {
    state_ = State::kSending;
    return {Do(ActionKind::kSend)};
  }
  if (state_ == State::kSending && e.kind == EventKind::kNodeUnreachable && pending_ &&
      MayQueue(*pending_)) {
    return {Do(ActionKind::kEnqueue)};
  }
  const bool done = e.kind == EventKind::kDelivered || e.kind == EventKind::kQueued;
  if (state_ == State::kSending && done) {
    state_ = State::kReady;
    pending_.reset();
    Touch(e.now);
    if (e.kind == EventKind::kQueued) {
      return {Tell("the node is unreachable: the request is queued in the outbox and will be "
                   "sent by 'carnet-terminal outbox flush'"),
              Do(ActionKind::kPersist)};
    }
    return {Do(ActionKind::kPersist)};
  }
  const bool failed = e.kind == EventKind::kFailed || e.kind == EventKind::kNodeUnreachable;
  if ((state_ == State::kSigning || state_ == State::kSending) && failed) {
    const bool unreachable = e.kind == EventKind::kNodeUnreachable;
    state_ = State::kReady;
    pending_.reset();
    return {Error(unreachable ? "the node is unreachable (" + e.message +
                                    "): this action needs the node's answer and is not "
                                    "queued; try again when the node is back"
                              : e.message)};
  }
  return Unexpected();
}

std::vector<Action> Session::EndSession(std::string message) {
  state_ = State::kNoProfessional;
  resumed_ = false;
  pending_.reset();
  rank_ = -1;
  beneficiaries_ = 0;
  return {Do(ActionKind::kWipeProfessional), Do(ActionKind::kClearPersisted),
          Tell(std::move(message))};
}

std::vector<Action> Session::Lock() {
  state_ = State::kLocked;
  resumed_ = false;
  pending_.reset();
  rank_ = -1;
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(options_.idle_timeout);
  return {Do(ActionKind::kLockCard), Do(ActionKind::kWipePatient), Do(ActionKind::kClearPersisted),
          Error("session locked after " + std::to_string(minutes.count()) +
                " min without activity: enter the PIN again (carnet-terminal login)")};
}

std::vector<Action> Session::Unexpected() const {
  switch (state_) {
    case State::kNoProfessional:
      return {Error(kInsertCps)};
    case State::kAwaitingPin:
      return {Error("the CPS PIN is not verified: log in first (carnet-terminal login)")};
    case State::kLocked:
      return {Error("session locked: enter the PIN again (carnet-terminal login)")};
    case State::kNoPatient:
      return {Error(kInsertVitale)};
    case State::kChoosingBeneficiary:
      return {Error("choose the beneficiary on the patient's Vitale card (--beneficiary RANK)")};
    case State::kSigning:
    case State::kSending:
      return {Error("a request is in progress: wait for its answer")};
    default:
      return {Error("wait for the card check to finish")};
  }
}

}  // namespace carnet::fw::session
