// The session state machine alone: events in, actions out, no card and no clock.
#include "firmware/session/session.h"

#include <string>

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::session {
namespace {

using PA = protocol::Action;

constexpr UnixMillis kT0 = 1782864000000;  // 2026-07-01T00:00:00Z
constexpr UnixMillis kMinute = 60 * 1000;

Event E(EventKind kind, UnixMillis now = kT0) {
  Event e;
  e.kind = kind;
  e.now = now;
  return e;
}

bool Has(const std::vector<Action>& actions, ActionKind kind) {
  for (const auto& a : actions) {
    if (a.kind == kind) return true;
  }
  return false;
}

// The first error message, or "".
std::string ErrorOf(const std::vector<Action>& actions) {
  for (const auto& a : actions) {
    if (a.kind == ActionKind::kReport && a.error) return a.message;
  }
  return "";
}

bool Contains(const std::string& s, const char* needle) {
  return s.find(needle) != std::string::npos;
}

// Drives a session to `ready` with a one-identity Vitale.
void ToReady(Session& s, UnixMillis now = kT0) {
  CHECK(Has(s.Handle(E(EventKind::kProfessionalInserted, now)), ActionKind::kCheckProfessional));
  CHECK(Has(s.Handle(E(EventKind::kProfessionalChecked, now)), ActionKind::kAskPin));
  CHECK(Has(s.Handle(E(EventKind::kPinResult, now)), ActionKind::kAuthenticateProfessional));
  CHECK(Has(s.Handle(E(EventKind::kProfessionalAuthenticated, now)), ActionKind::kPersist));
  CHECK(Has(s.Handle(E(EventKind::kPatientInserted, now)), ActionKind::kCheckPatient));
  s.Handle(E(EventKind::kPatientChecked, now));
  CHECK(s.state() == State::kReady);
}

Event Ask(PA action, UnixMillis now = kT0) {
  Event e = E(EventKind::kActionRequested, now);
  e.action = action;
  return e;
}

}  // namespace

TEST_GROUP(Session){};

TEST(Session, FullPathReadUsesAutAndIsSent) {
  Session s;
  ToReady(s);
  auto a = s.Handle(Ask(PA::kList));
  LONGS_EQUAL(1, a.size());
  CHECK(a[0].kind == ActionKind::kSignRequest);
  CHECK(a[0].key == SigningKey::kAut);
  CHECK(Has(s.Handle(E(EventKind::kRequestSigned)), ActionKind::kSend));
  CHECK(s.state() == State::kSending);
  CHECK(Has(s.Handle(E(EventKind::kDelivered)), ActionKind::kPersist));
  CHECK(s.state() == State::kReady);
}

TEST(Session, DepositUsesSigAndIsQueuedWhenTheNodeIsDown) {
  Session s;
  ToReady(s);
  auto a = s.Handle(Ask(PA::kDeposit));
  CHECK(a[0].key == SigningKey::kSig);
  s.Handle(E(EventKind::kRequestSigned));
  Event down = E(EventKind::kNodeUnreachable);
  down.message = "connection refused";
  CHECK(Has(s.Handle(down), ActionKind::kEnqueue));
  auto q = s.Handle(E(EventKind::kQueued));
  CHECK(ErrorOf(q).empty());
  CHECK(s.state() == State::kReady);
}

TEST(Session, ReadIsNeverQueued) {
  Session s;
  ToReady(s);
  s.Handle(Ask(PA::kRead));
  s.Handle(E(EventKind::kRequestSigned));
  auto a = s.Handle(E(EventKind::kNodeUnreachable));
  CHECK_FALSE(Has(a, ActionKind::kEnqueue));
  CHECK(Contains(ErrorOf(a), "not queued"));
  CHECK(s.state() == State::kReady);
}

TEST(Session, KeyChoicePerAction) {
  CHECK(KeyFor(PA::kDeposit) == SigningKey::kSig);
  CHECK(KeyFor(PA::kReplace) == SigningKey::kSig);
  CHECK(KeyFor(PA::kAddOwnDocument) == SigningKey::kSig);
  CHECK(KeyFor(PA::kOpen) == SigningKey::kAut);
  CHECK(KeyFor(PA::kRecordConsent) == SigningKey::kAut);
  CHECK_FALSE(MayQueue(PA::kList));
  CHECK(MayQueue(PA::kDeposit));
}

TEST(Session, ActionWithoutPatientSaysInsertVitale) {
  Session s;
  s.Handle(E(EventKind::kProfessionalInserted));
  s.Handle(E(EventKind::kProfessionalChecked));
  s.Handle(E(EventKind::kPinResult));
  s.Handle(E(EventKind::kProfessionalAuthenticated));
  auto a = s.Handle(Ask(PA::kList));
  STRCMP_EQUAL("insert the patient's Vitale card", ErrorOf(a).c_str());
  CHECK(s.state() == State::kNoPatient);
}

TEST(Session, ActionWithoutProfessionalSaysInsertCps) {
  Session s;
  STRCMP_EQUAL("insert the professional's CPS card", ErrorOf(s.Handle(Ask(PA::kList))).c_str());
}

TEST(Session, UntrustedProfessionalIsRefusedAndWiped) {
  Session s;
  s.Handle(E(EventKind::kProfessionalInserted));
  Event bad = E(EventKind::kProfessionalChecked);
  bad.ok = false;
  bad.message = "certificates revoked";
  auto a = s.Handle(bad);
  CHECK(Has(a, ActionKind::kWipeProfessional));
  CHECK(Contains(ErrorOf(a), "certificates revoked"));
  CHECK(s.state() == State::kNoProfessional);
}

TEST(Session, WrongPinThenBlockedNamesThePuk) {
  Session s;
  s.Handle(E(EventKind::kProfessionalInserted));
  s.Handle(E(EventKind::kProfessionalChecked));
  Event wrong = E(EventKind::kPinResult);
  wrong.pin = PinOutcome::kWrong;
  wrong.tries_left = 2;
  STRCMP_EQUAL("wrong PIN: 2 tries left", ErrorOf(s.Handle(wrong)).c_str());
  CHECK(s.state() == State::kAwaitingPin);
  Event blocked = E(EventKind::kPinResult);
  blocked.pin = PinOutcome::kBlocked;
  auto a = s.Handle(blocked);
  CHECK(Contains(ErrorOf(a), "PIN blocked: unblock with the PUK"));
  CHECK(s.state() == State::kPinBlocked);
  // Nothing but removal leaves the blocked state.
  CHECK(Contains(ErrorOf(s.Handle(E(EventKind::kPinResult))), "PUK"));
  s.Handle(E(EventKind::kProfessionalRemoved));
  CHECK(s.state() == State::kNoProfessional);
}

TEST(Session, ProfessionalRemovalEndsAndWipesEverything) {
  Session s;
  ToReady(s);
  s.Handle(Ask(PA::kDeposit));
  auto a = s.Handle(E(EventKind::kProfessionalRemoved));
  CHECK(Has(a, ActionKind::kWipeProfessional));
  CHECK(Has(a, ActionKind::kClearPersisted));
  CHECK(s.state() == State::kNoProfessional);
  CHECK_FALSE(s.pending_action().has_value());
  CHECK_EQUAL(-1, s.beneficiary_rank());
}

TEST(Session, PatientRemovalSuspendsAndKeepsTheProfessional) {
  Session s;
  ToReady(s);
  s.Handle(Ask(PA::kList));
  auto a = s.Handle(E(EventKind::kPatientRemoved));
  CHECK(Has(a, ActionKind::kWipePatient));
  CHECK_FALSE(Has(a, ActionKind::kWipeProfessional));
  CHECK(s.state() == State::kNoPatient);
  CHECK_FALSE(s.pending_action().has_value());
  // A late "signed" for the abandoned request does nothing but say what to do.
  CHECK(Contains(ErrorOf(s.Handle(E(EventKind::kRequestSigned))), "Vitale"));
}

TEST(Session, CardResetAsksForThePinAgain) {
  Session s;
  ToReady(s);
  auto a = s.Handle(E(EventKind::kProfessionalReset));
  CHECK(Has(a, ActionKind::kAskPin));
  CHECK(Has(a, ActionKind::kWipePatient));
  CHECK(s.state() == State::kAwaitingPin);
  CHECK(Contains(ErrorOf(s.Handle(Ask(PA::kList))), "PIN is not verified"));
}

TEST(Session, IdleTimeoutLocksAndResetsTheCard) {
  Session s(SessionOptions{std::chrono::minutes(5)});
  ToReady(s);
  CHECK(s.Handle(E(EventKind::kTick, kT0 + 5 * kMinute)).empty());  // exactly 5 min: not yet
  auto a = s.Handle(E(EventKind::kTick, kT0 + 5 * kMinute + 1));
  CHECK(Has(a, ActionKind::kLockCard));
  CHECK(Has(a, ActionKind::kClearPersisted));
  CHECK(Contains(ErrorOf(a), "session locked after 5 min"));
  CHECK(s.state() == State::kLocked);
  CHECK(Contains(ErrorOf(s.Handle(Ask(PA::kList, kT0 + 6 * kMinute))), "locked"));
  // The PIN unlocks.
  CHECK(Has(s.Handle(E(EventKind::kPinResult, kT0 + 6 * kMinute)),
            ActionKind::kAuthenticateProfessional));
}

TEST(Session, ActivityPushesTheIdleDeadline) {
  Session s(SessionOptions{std::chrono::minutes(5)});
  ToReady(s);
  s.Handle(Ask(PA::kList, kT0 + 4 * kMinute));
  s.Handle(E(EventKind::kRequestSigned, kT0 + 4 * kMinute));
  s.Handle(E(EventKind::kDelivered, kT0 + 4 * kMinute));
  CHECK(s.Handle(E(EventKind::kTick, kT0 + 8 * kMinute)).empty());
  CHECK(s.state() == State::kReady);
}

TEST(Session, ResumedSessionLocksWhenStale) {
  Session s(SessionOptions{std::chrono::minutes(5)});
  s.Resume(kT0);
  auto a = s.Handle(E(EventKind::kProfessionalInserted, kT0 + 10 * kMinute));
  CHECK(Has(a, ActionKind::kLockCard));
  CHECK(s.state() == State::kLocked);
}

TEST(Session, ResumedSessionGoesOnWhenFresh) {
  Session s(SessionOptions{std::chrono::minutes(5)});
  s.Resume(kT0);
  CHECK(Has(s.Handle(E(EventKind::kProfessionalInserted, kT0 + kMinute)),
            ActionKind::kCheckProfessional));
}

TEST(Session, BeneficiaryMustBeOnTheCard) {
  Session s;
  s.Handle(E(EventKind::kProfessionalInserted));
  s.Handle(E(EventKind::kProfessionalChecked));
  s.Handle(E(EventKind::kPinResult));
  s.Handle(E(EventKind::kProfessionalAuthenticated));
  s.Handle(E(EventKind::kPatientInserted));
  Event two = E(EventKind::kPatientChecked);
  two.beneficiaries = 2;
  CHECK(Has(s.Handle(two), ActionKind::kAskBeneficiary));
  CHECK(Contains(ErrorOf(s.Handle(Ask(PA::kList))), "choose the beneficiary"));
  Event bad = E(EventKind::kBeneficiaryChosen);
  bad.rank = 2;
  CHECK(Contains(ErrorOf(s.Handle(bad)), "no beneficiary 2"));
  Event child = E(EventKind::kBeneficiaryChosen);
  child.rank = 1;
  s.Handle(child);
  CHECK(s.state() == State::kReady);
  LONGS_EQUAL(1, s.beneficiary_rank());
}

TEST(Session, RefusedPatientCardIsWiped) {
  Session s;
  s.Handle(E(EventKind::kProfessionalInserted));
  s.Handle(E(EventKind::kProfessionalChecked));
  s.Handle(E(EventKind::kPinResult));
  s.Handle(E(EventKind::kProfessionalAuthenticated));
  s.Handle(E(EventKind::kPatientInserted));
  Event bad = E(EventKind::kPatientChecked);
  bad.ok = false;
  bad.message = "CVC not signed by the Vitale CA";
  auto a = s.Handle(bad);
  CHECK(Has(a, ActionKind::kWipePatient));
  CHECK(Contains(ErrorOf(a), "patient card refused"));
  CHECK(s.state() == State::kNoPatient);
}

TEST(Session, FailedCardAuthenticationEndsTheLogin) {
  Session s;
  s.Handle(E(EventKind::kProfessionalInserted));
  s.Handle(E(EventKind::kProfessionalChecked));
  s.Handle(E(EventKind::kPinResult));
  Event bad = E(EventKind::kProfessionalAuthenticated);
  bad.ok = false;
  bad.message = "signature does not verify";
  auto a = s.Handle(bad);
  CHECK(Has(a, ActionKind::kWipeProfessional));
  CHECK(s.state() == State::kNoProfessional);
}

TEST(Session, StateNamesAreDistinct) {
  STRCMP_EQUAL("ready", std::string(StateName(State::kReady)).c_str());
  STRCMP_EQUAL("pin_blocked", std::string(StateName(State::kPinBlocked)).c_str());
}

}  // namespace carnet::fw::session
