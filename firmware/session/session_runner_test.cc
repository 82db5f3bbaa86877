// The runner with both cards simulated: the card simulator's CPS3 and Vitale engines
// (tests/cardsim, the code that answers through pcscd in the integration tests) behind two
// FakeCardReaders, the small test PKI's general practitioner, a fake clock.
#include "firmware/session/session_runner.h"

#include <memory>

#include "crypto/cose/sign1.h"
#include "crypto/x509/certificate.h"
#include "crypto/x509/cvc.h"
#include "firmware/cps/cps_test_util.h"
#include "tests/cardsim/vitale_card.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::session {
namespace {

using crypto::testing::kMid2026;
constexpr char kCar[] = "FRVITALETESTCA01";
constexpr char kInsured[] = "284037511502730";
constexpr char kChild[] = "116097511523106";
constexpr char kVitaleReader[] = "Fake reader 1";

crypto::PrivateKey Copy(const crypto::PrivateKey& k) {
  return crypto::PrivateKey::FromPem(k.ToPem().value()).value();
}

struct VitaleBench {
  FakeRandom rng{11};
  crypto::PrivateKey ca = crypto::PrivateKey::GenerateEcP256(rng).value();
  crypto::PrivateKey card_key = crypto::PrivateKey::GenerateEcP256(rng).value();
  std::unique_ptr<cardsim::VitaleCard> sim;
  hal::FakeCardReader reader;

  explicit VitaleBench(int identities) {
    cardsim::VitaleConfig config;
    cardsim::Beneficiary insured;
    insured.nir = kInsured;
    insured.last_name = "BERNARD";
    insured.first_name = "CAMILLE";
    insured.birth_date = "19840312";
    config.beneficiaries = {insured};
    if (identities > 1) {
      cardsim::Beneficiary child;
      child.nir = kChild;
      child.last_name = "BERNARD";
      child.first_name = "LUCAS";
      child.birth_date = "20160905";
      child.quality = "06";
      config.beneficiaries.push_back(child);
    }
    Bytes spki = card_key.public_key().ToDer();
    crypto::CvcFields f;
    f.car = kCar;
    f.public_point.assign(spki.end() - 65, spki.end());
    f.chr = kInsured;
    f.effective = {2025, 1, 1};
    f.expiry = {2035, 1, 1};
    config.cvc = crypto::EncodeCvc(f, ca, rng).value();
    config.card_key = Copy(card_key);
    sim = std::make_unique<cardsim::VitaleCard>(std::move(config), rng);
    reader.AddReader(kVitaleReader);
    reader.InsertCard(kVitaleReader, sim->Atr());
    reader.SetHandler([this](ByteView c) { return sim->Process(c); });
    reader.Connect(kVitaleReader, hal::ShareMode::kShared).status().IgnoreError();
  }
  vitale::VitaleTrust Trust() const { return vitale::VitaleTrust{ca.public_key(), kCar}; }
};

}  // namespace

TEST_GROUP(SessionRunner) {
  FakeClock clock{kMid2026};
  FakeRandom rng{3};
  cps::testing::SimBench cps{cps::testing::ConfigFor(crypto::testing::Gp())};
  std::unique_ptr<VitaleBench> vit;
  crypto::TrustStore igc = cps::testing::IgcTrust();
  vitale::VitaleTrust vtrust{crypto::PrivateKey::GenerateEcP256(rng).value().public_key(), kCar};
  Session session;
  std::unique_ptr<SessionRunner> runner;
  const char* pin = "1234";
  int pins_asked = 0;
  bool node_up = true;
  Bytes sent;
  std::vector<Bytes> queued;
  int persisted = 0;
  int cleared = 0;

  void Make(int identities = 1, int choose = 0) {
    vit = std::make_unique<VitaleBench>(identities);
    vtrust = vit->Trust();
    RunnerHooks h;
    h.ask_pin = [this](cps::CpsCard& card) {
      ++pins_asked;
      return card.VerifyPin(cps::testing::Secret(pin));
    };
    h.choose = [choose](const std::vector<vitale::VitaleIdentity>&) -> Result<int> {
      return choose;
    };
    h.send = [this](ByteView, ByteView cose) -> Result<Delivery> {
      if (!node_up) return Unavailable("connection refused");
      sent.assign(cose.begin(), cose.end());
      return Delivery{200, {}};
    };
    h.enqueue = [this](ByteView, ByteView cose, const std::string&) {
      queued.emplace_back(cose.begin(), cose.end());
      return Status();
    };
    h.persist = [this](UnixMillis) {
      ++persisted;
      return Status();
    };
    h.clear_persisted = [this]() {
      ++cleared;
      return Status();
    };
    RunnerConfig c;
    c.terminal_id = "TERM-0001";
    c.igc = &igc;
    c.vitale_ca = &vtrust;
    runner = std::make_unique<SessionRunner>(session, c, h, clock, rng);
  }
  void LogIn() {
    runner->ProfessionalInserted(cps.reader);
    runner->PatientInserted(vit->reader);
  }
  ActionRequest List() {
    ActionRequest r;
    r.action = protocol::Action::kList;
    r.args = protocol::ListFilter{};
    return r;
  }
  ActionRequest Deposit() {
    ActionRequest r;
    r.action = protocol::Action::kDeposit;
    DepositChoice c;
    c.type_code = "11488-4";
    c.title = "Compte rendu";
    r.args = MakeDepositArgs(c, Bytes{'%', 'P', 'D', 'F'}, rng).value();
    return r;
  }
  // Verifies `cose` with the GP's certificate for `key`, returns its payload.
  protocol::Request Opened(const Bytes& cose, SigningKey key) {
    auto opened = protocol::OpenRequest(cose);
    CHECK_OK(opened);
    const auto& gp = crypto::testing::Gp();
    const auto& cert = key == SigningKey::kSig ? gp.sig->cert : gp.aut->cert;
    CHECK_OK(crypto::cose::Verify(opened->sign1, cert.public_key()));
    CHECK(opened->sign1.x5chain.front() == cert.der());
    return opened->request;
  }
};

TEST(SessionRunner, LoginThenReadSignedWithAutAndPresenceProof) {
  Make();
  LogIn();
  STRCMP_EQUAL("", runner->error().c_str());
  CHECK(session.state() == State::kReady);
  LONGS_EQUAL(1, pins_asked);
  LONGS_EQUAL(1, persisted);
  runner->Request(List());
  STRCMP_EQUAL("", runner->error().c_str());
  CHECK(runner->delivery().has_value());
  protocol::Request r = Opened(sent, SigningKey::kAut);
  STRCMP_EQUAL("TERM-0001", r.terminal_id.c_str());
  STRCMP_EQUAL(crypto::testing::Gp().IdNat().c_str(), r.actor.idnat.c_str());
  STRCMP_EQUAL(kInsured, r.patient.ins.c_str());
  CHECK(r.patient.vitale.has_value());
  auto nir = vitale::VerifyPresenceProof(r.patient.vitale->cvc, r.patient.vitale->signature,
                                         r.request_id, vtrust, kMid2026);
  CHECK_OK(nir);
  STRCMP_EQUAL(kInsured, nir->c_str());
  CHECK_EQUAL(kMid2026, r.issued_at);
}

TEST(SessionRunner, DepositSignedWithSigAndQueuedWhenNodeDown) {
  Make();
  LogIn();
  node_up = false;
  runner->Request(Deposit());
  STRCMP_EQUAL("", runner->error().c_str());
  CHECK(runner->queued());
  LONGS_EQUAL(1, queued.size());
  protocol::Request r = Opened(queued[0], SigningKey::kSig);
  CHECK(r.action == protocol::Action::kDeposit);
}

TEST(SessionRunner, ReadWhenNodeDownIsAnErrorNotQueued) {
  Make();
  LogIn();
  node_up = false;
  runner->Request(List());
  CHECK(runner->error().find("not queued") != std::string::npos);
  LONGS_EQUAL(0, queued.size());
}

TEST(SessionRunner, SecondProcessResumesFromTheCardsPinState) {
  Make();
  LogIn();
  // A later command: new Session and runner objects, same powered card.
  Session later;
  later.Resume(kMid2026);
  RunnerConfig c;
  c.terminal_id = "TERM-0001";
  c.igc = &igc;
  c.vitale_ca = &vtrust;
  RunnerHooks h;  // no PIN hook: it must not be needed
  h.send = [this](ByteView, ByteView cose) -> Result<Delivery> {
    sent.assign(cose.begin(), cose.end());
    return Delivery{200, {}};
  };
  SessionRunner second(later, c, h, clock, rng);
  second.ProfessionalInserted(cps.reader);
  second.PatientInserted(vit->reader);
  STRCMP_EQUAL("", second.error().c_str());
  second.Request(List());
  STRCMP_EQUAL("", second.error().c_str());
  Opened(sent, SigningKey::kAut);
}

TEST(SessionRunner, CardResetNeedsThePinAgain) {
  Make();
  LogIn();
  CHECK_OK(cps.reader.ResetCard());  // another client reset the card: PIN state gone
  cps.sim->Reset();
  Session later;
  RunnerConfig c;
  c.igc = &igc;
  c.vitale_ca = &vtrust;
  SessionRunner second(later, c, RunnerHooks{}, clock, rng);
  second.ProfessionalInserted(cps.reader);
  CHECK(second.error().find("log in first") != std::string::npos);
  CHECK(later.state() == State::kAwaitingPin);
}

TEST(SessionRunner, ResetDuringSessionAsksThePinAgain) {
  Make();
  LogIn();
  cps.reader.InjectFault(hal::FakeCardReader::Fault::kReset);
  cps.sim->Reset();
  runner->Request(List());
  CHECK(runner->error().find("reset") != std::string::npos);
  LONGS_EQUAL(2, pins_asked);  // asked again at once
  CHECK(session.state() == State::kNoPatient);
}

TEST(SessionRunner, IdleTimeoutLocksAndResetsTheCard) {
  Make();
  LogIn();
  const int resets = cps.reader.resets();
  clock.Advance(std::chrono::minutes(6));
  runner->Tick();
  CHECK(runner->error().find("session locked") != std::string::npos);
  LONGS_EQUAL(resets + 1, cps.reader.resets());
  CHECK(cleared >= 1);
  CHECK(session.state() == State::kLocked);
  runner->Request(List());
  CHECK(runner->error().find("locked") != std::string::npos);
  CHECK(sent.empty());
}

TEST(SessionRunner, WrongPinReportsTriesLeft) {
  pin = "0000";
  Make();
  runner->ProfessionalInserted(cps.reader);
  STRCMP_EQUAL("wrong PIN: 2 tries left", runner->error().c_str());
  CHECK(session.state() == State::kAwaitingPin);
}

TEST(SessionRunner, RevokedProfessionalIsRefused) {
  cps::testing::SimBench revoked{cps::testing::ConfigFor(crypto::testing::RevokedPhysician())};
  Make();
  runner->ProfessionalInserted(revoked.reader);
  CHECK(runner->error().find("revoked") != std::string::npos);
  LONGS_EQUAL(0, pins_asked);
  CHECK(session.state() == State::kNoProfessional);
}

TEST(SessionRunner, VitaleUnderAnotherCaIsRefused) {
  Make();
  vtrust = vitale::VitaleTrust{crypto::PrivateKey::GenerateEcP256(rng).value().public_key(), kCar};
  LogIn();
  CHECK(runner->error().find("patient card refused") != std::string::npos);
  CHECK(session.state() == State::kNoPatient);
}

TEST(SessionRunner, BeneficiaryChosenIsThePatient) {
  Make(2, 1);
  LogIn();
  CHECK(session.state() == State::kReady);
  STRCMP_EQUAL(kChild, runner->patient()->nir.c_str());
  runner->Request(List());
  STRCMP_EQUAL(kChild, Opened(sent, SigningKey::kAut).patient.ins.c_str());
}

TEST(SessionRunner, VitaleRemovedBeforeSigningSignsNothing) {
  Make();
  LogIn();
  vit->reader.InjectFault(hal::FakeCardReader::Fault::kRemoved);
  runner->Request(List());
  CHECK(sent.empty());
  CHECK(session.state() == State::kNoPatient);
  CHECK(runner->patient() == nullptr);
}

TEST(SessionRunner, CpsRemovedEndsTheSession) {
  Make();
  LogIn();
  cps.reader.InjectFault(hal::FakeCardReader::Fault::kRemoved);
  runner->Request(Deposit());
  CHECK(sent.empty());
  CHECK(queued.empty());
  CHECK(session.state() == State::kNoProfessional);
  CHECK_FALSE(runner->professional().has_value());
}

}  // namespace carnet::fw::session
