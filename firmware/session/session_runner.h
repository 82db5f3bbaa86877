#pragma once
// SessionRunner: performs the actions the Session asks for on the real objects — the CPS
// (firmware/cps), the Vitale (firmware/vitale), the request builder — and feeds back what
// happened as the next event, until the session is quiet. What only the caller can do (ask
// for the PIN, choose the beneficiary, reach the node, write the outbox, save the session
// state, show a message) goes through hooks, so the runner runs the same against pcscd and
// against FakeCardReaders with the card simulator's engines (session_runner_test.cc).
//
// Card errors become session events in one place (CardEvent): removal → *Removed, a lost
// card state (reset) → kProfessionalReset, anything else → kFailed with the message.
//
// Secrets: the runner never sees a PIN (the hook verifies it on the card) and never caches
// one: a later process resumes only if the card itself still says its PIN is verified
// (CpsCard::PinStatus). The patient's data and any signed request are dropped on the wipe
// actions.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/x509/trust_store.h"
#include "firmware/cps/cps_card.h"
#include "firmware/session/request_builder.h"
#include "firmware/session/session.h"
#include "firmware/vitale/vitale_card.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/card/card_reader.h"

namespace carnet::fw::session {

struct Delivery {
  int http_status = 0;
  Bytes body;  // the node's CBOR response
};

struct RunnerHooks {
  // Has the PIN typed (pad, console, stdin) and verified by `card`. Called only when the card
  // does not already hold a verified PIN. Absent: "log in first".
  std::function<Result<cps::PinResult>(cps::CpsCard& card)> ask_pin;
  // The rank (0 = the insured) of the identity treated.
  std::function<Result<int>(const std::vector<vitale::VitaleIdentity>& identities)> choose;
  // An error Status: the node did not answer (unreachable, timeout, TLS).
  std::function<Result<Delivery>(ByteView request_id, ByteView cose)> send;
  std::function<Status(ByteView request_id, ByteView cose, const std::string& description)> enqueue;
  std::function<Status(UnixMillis last_activity)> persist;
  std::function<Status()> clear_persisted;
  std::function<void(const std::string& message, bool error)> report;
};

struct RunnerConfig {
  std::string terminal_id;
  std::string ins_oid = std::string(protocol::kOidInsNir);
  const crypto::TrustStore* igc = nullptr;         // required: the CPS chain check
  const vitale::VitaleTrust* vitale_ca = nullptr;  // required: the Vitale check
  bool require_crl = true;                         // as the node does
};

struct ActionRequest {
  protocol::Action action = protocol::Action::kStatus;
  protocol::Mode mode = protocol::Mode::kNormal;
  std::optional<std::string> justification;
  protocol::Arguments args;
};

class SessionRunner {
 public:
  SessionRunner(
      Session& session, RunnerConfig config, RunnerHooks hooks, const Clock& clock, Random& rng);

  // Card events. The reader must be connected to the card and outlive the runner.
  void ProfessionalInserted(hal::CardReader& reader);
  void PatientInserted(hal::CardReader& reader);
  void ProfessionalRemoved();
  void PatientRemoved();
  void Tick();
  // kActionRequested; the outcome is in delivery() / queued() / error().
  void Request(ActionRequest request);

  // The first error reported while handling the last call (empty: none).
  const std::string& error() const { return error_; }
  const std::optional<Delivery>& delivery() const { return delivery_; }
  bool queued() const { return queued_; }
  const std::optional<cps::HolderIdentity>& professional() const { return identity_; }
  // The chosen identity, once the session is ready; null before.
  const vitale::VitaleIdentity* patient() const;
  const std::vector<vitale::VitaleIdentity>* patient_identities() const;
  // The last request signed (its id, for the report), until the next wipe.
  const std::optional<protocol::Request>& last_request() const { return request_; }

 private:
  void Feed(Event event);
  std::optional<Event> Perform(const Action& action);
  std::optional<Event> CheckProfessional();
  std::optional<Event> AskPin();
  std::optional<Event> AuthenticateProfessional();
  std::optional<Event> CheckPatient();
  std::optional<Event> AskBeneficiary();
  std::optional<Event> SignRequest(SigningKey key);
  std::optional<Event> Send();
  std::optional<Event> Enqueue();
  Event Make(EventKind kind) const;
  Event CardEvent(const Status& s, bool professional) const;
  void WipePatient();

  Session& session_;
  RunnerConfig config_;
  RunnerHooks hooks_;
  const Clock& clock_;
  Random& rng_;
  hal::CardReader* pro_reader_ = nullptr;
  hal::CardReader* patient_reader_ = nullptr;
  std::optional<cps::CpsCard> cps_;
  std::optional<cps::HolderIdentity> identity_;
  std::optional<vitale::VitaleCard> vitale_;
  std::optional<ActionRequest> pending_;
  std::optional<protocol::Request> request_;
  Bytes signed_;
  std::optional<Delivery> delivery_;
  bool queued_ = false;
  std::string error_;
};

}  // namespace carnet::fw::session
