#pragma once
// Session: the terminal's session state machine (DESIGN.md §1 "session state machine"), pure:
// events in, actions out. No card, clock, network or file is touched here; the runner
// (session_runner.h) performs each action and feeds back what happened as the next event.
//
//   no professional ─CPS inserted→ checking professional ─identity+chain ok→ awaiting PIN
//   ─PIN ok→ authenticating professional ─card authenticated→ no patient ─Vitale inserted→
//   checking patient ─identity, NIR key and card ok→ choosing beneficiary ─chosen→ ready
//   ─action→ signing (AUT key for reads, SIG key for deposits) ─signed→ sending
//   ─answer→ ready │ ─node unreachable→ queued in the outbox (deposits only) → ready
//
// Security decisions, each in one place (Handle):
//   - CPS removed: the session ends; secrets (PIN state, patient data, request in progress)
//     are wiped and the persisted session state is cleared.
//   - Vitale removed: the patient part is wiped (suspended): the professional stays logged in.
//   - CPS reset (its PIN state is gone): back to awaiting PIN; nothing cached stands in for it.
//   - Idle longer than the timeout while authenticated: locked; the runner resets the CPS so
//     the card itself forgets the PIN; only a new PIN unlocks.
//   - PIN blocked: nothing but removal leaves that state; the message names the PUK.
//   - An action is refused outside `ready` with a message saying what to do.
//   - A read (anything but a deposit) is never queued: it needs the node's answer now.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/protocol/request.h"
#include "hal/base/clock.h"

namespace carnet::fw::session {

enum class State {
  kNoProfessional,
  kCheckingProfessional,
  kAwaitingPin,
  kAuthenticatingProfessional,
  kNoPatient,
  kCheckingPatient,
  kChoosingBeneficiary,
  kReady,
  kSigning,
  kSending,
  kLocked,
  kPinBlocked,
};
std::string_view StateName(State state);  // "no_professional", "awaiting_pin", ...

enum class EventKind {
  kProfessionalInserted,
  kProfessionalChecked,  // ok: identity read, AUT+SIG chains to IGC-Santé, not revoked
  kPinResult,            // pin: outcome (ok also when the card says it is already verified)
  kProfessionalAuthenticated,
  kProfessionalRemoved,
  kProfessionalReset,  // the CPS lost its PIN state (reset, power cycle)
  kPatientInserted,
  kPatientChecked,  // ok: identities read, NIR keys, CVC under the Vitale CA, card authenticated
  kPatientRemoved,
  kBeneficiaryChosen,  // rank
  kActionRequested,    // action, mode
  kRequestSigned,
  kDelivered,        // the node answered (any answer: the caller reports it)
  kNodeUnreachable,  // no answer from the node
  kQueued,           // the outbox acknowledged (durable)
  kFailed,           // the last action failed (card or local error); message says why
  kTick,             // time passes (idle timeout)
};

enum class PinOutcome { kOk, kWrong, kBlocked };

struct Event {
  EventKind kind = EventKind::kTick;
  UnixMillis now = 0;
  bool ok = true;       // kProfessionalChecked, kProfessionalAuthenticated, kPatientChecked
  std::string message;  // why not ok / what failed
  PinOutcome pin = PinOutcome::kOk;
  int tries_left = -1;    // kPinResult wrong
  int beneficiaries = 1;  // kPatientChecked: identities on the card (insured first)
  int rank = 0;           // kBeneficiaryChosen
  protocol::Action action = protocol::Action::kStatus;  // kActionRequested
  protocol::Mode mode = protocol::Mode::kNormal;        // kActionRequested
};

enum class ActionKind {
  kCheckProfessional,         // read the CPS identity and check its chain
  kAskPin,                    // PIN pad / console / stdin, then VERIFY
  kAuthenticateProfessional,  // challenge–response with the AUT key
  kCheckPatient,              // read the Vitale, check NIR keys, CVC, authenticate the card
  kAskBeneficiary,            // which identity of the card is treated
  kSignRequest,               // build the request and sign it on the CPS with `key`
  kSend,                      // send to the node
  kEnqueue,                   // durable outbox (deposits only)
  kLockCard,                  // reset the CPS so it forgets the PIN (idle lock)
  kWipeProfessional,          // forget everything about the professional and the patient
  kWipePatient,               // forget the patient, the beneficiary and any request
  kPersist,                   // save the non-secret session state (last activity)
  kClearPersisted,            // delete the saved session state
  kReport,                    // tell the user `message` (error: what to do)
};

enum class SigningKey { kAut, kSig };

struct Action {
  ActionKind kind = ActionKind::kReport;
  SigningKey key = SigningKey::kAut;  // kSignRequest
  std::string message;                // kReport
  bool error = false;                 // kReport: the user must act
};

// Deposit, replace and add_own_document commit the author: the SIG (non-repudiation) key.
// Everything else is signed with the AUT key (node/authn checks the same split).
SigningKey KeyFor(protocol::Action action);
// Only deposits may wait in the outbox: a read's answer is needed now.
bool MayQueue(protocol::Action action);

struct SessionOptions {
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(5);
};

class Session {
 public:
  explicit Session(SessionOptions options = {}) : options_(options) {}

  // Restores a professional session saved by an earlier command (kPersist): the next events
  // (CPS inserted, checked, PIN already verified on the card) resume it, and any event past
  // the idle timeout since `last_activity` locks it first.
  void Resume(UnixMillis last_activity);

  std::vector<Action> Handle(const Event& event);

  State state() const { return state_; }
  UnixMillis last_activity() const { return last_activity_; }
  int beneficiary_rank() const { return rank_; }
  std::optional<protocol::Action> pending_action() const { return pending_; }
  protocol::Mode pending_mode() const { return mode_; }
  bool authenticated() const;

 private:
  std::vector<Action> OnProfessional(const Event& e);
  std::vector<Action> OnPatient(const Event& e);
  std::vector<Action> OnRequest(const Event& e);
  std::vector<Action> EndSession(std::string message);
  std::vector<Action> Lock();
  std::vector<Action> Unexpected() const;
  void Touch(UnixMillis now);

  SessionOptions options_;
  State state_ = State::kNoProfessional;
  UnixMillis last_activity_ = 0;
  bool resumed_ = false;
  int beneficiaries_ = 0;
  int rank_ = -1;
  std::optional<protocol::Action> pending_;
  protocol::Mode mode_ = protocol::Mode::kNormal;
};

}  // namespace carnet::fw::session
