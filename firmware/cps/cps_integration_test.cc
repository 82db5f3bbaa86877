// CpsCard on real parts: PcscCardReader → PCSC-lite → pcscd → vpcd → carnet-cardsim (CPS3),
// with the test PKI of `carnet-crypto pki test-hierarchy`. Run through
// tests/integration/pcsc_harness.sh (CTest: fw_cps_integration); without it every test returns
// early. Prints the APDU counts and wall times reported in README.md.
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "crypto/cose/sign1.h"
#include "crypto/x509/trust_store.h"
#include "firmware/cps/cps_card.h"
#include "hal/base/json.h"
#include "hal/card/pcsc_card_reader.h"
#include "tests/integration/sim_process.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::cps {
namespace {
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

const char kSlot0[] = "Virtual PCD 00 00";
bool HaveHarness() {
  return std::getenv("CARNET_PCSC_HARNESS") != nullptr && std::getenv("CARNET_TEST_PKI") != nullptr;
}
std::string Pki() { return std::getenv("CARNET_TEST_PKI"); }
crypto::SecretBytes Secret(const char* s) {
  return crypto::SecretBytes(ByteView(reinterpret_cast<const uint8_t*>(s), std::strlen(s)));
}

// The RPPS of the professional with `role` in the PKI's index.json.
std::string RppsOf(const std::string& role) {
  std::ifstream in(Pki() + "/index.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto index = json::Parse(ss.str());
  if (!index.ok() || index->Find("professionals") == nullptr) return "";
  for (const auto& p : index->Find("professionals")->as_array()) {
    const json::Value* r = p.Find("role");
    if (r != nullptr && r->as_string() == role) return p.Find("rpps")->as_string();
  }
  return "";
}

bool WaitCard(hal::CardReader& r, bool present, milliseconds limit) {
  std::vector<hal::ReaderState> known;
  const auto until = SteadyClock::now() + limit;
  while (SteadyClock::now() < until) {
    if (!r.WaitForChange(known, milliseconds(500)).ok()) return false;
    for (const auto& s : known) {
      if (s.name == kSlot0 && s.card_present == present) return true;
    }
  }
  return false;
}

crypto::TrustStore IgcTrust() {
  crypto::TrustStore t;
  CHECK(t.AddRootPemFile(Pki() + "/igc/root.crt.pem").ok());
  auto inter = crypto::Certificate::FromPemFile(Pki() + "/igc/intermediate.crt.pem");
  CHECK(inter.ok() && !inter->empty());
  CHECK(t.AddIntermediate((*inter)[0]).ok());
  CHECK(t.AddCrlPemOrDerFile(Pki() + "/igc/crl.der").ok());
  CHECK(t.AddCrlPemOrDerFile(Pki() + "/igc/root-crl.der").ok());
  return t;
}

Bytes IntermediateDer() {
  return crypto::Certificate::FromPemFile(Pki() + "/igc/intermediate.crt.pem").value()[0].der();
}

// Runs `carnet-crypto cose verify --x5chain-root <IGC root>` on `message`; its exit code.
int CliVerify(ByteView message, const std::string& name) {
  const char* bin = std::getenv("CARNET_CRYPTO_BIN");
  if (bin == nullptr) return -1;
  const std::string path = std::string(std::getenv("CARNET_HARNESS_DIR")) + "/" + name;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(message.data()), static_cast<long>(message.size()));
  const std::string cmd = std::string(bin) + " cose verify --x5chain-root " + Pki() +
                          "/igc/root.crt.pem " + path + " >/dev/null 2>&1";
  return WEXITSTATUS(std::system(cmd.c_str()));
}

double MsSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}
}  // namespace

TEST_GROUP(CpsPcsc) {
  std::unique_ptr<hal::PcscCardReader> reader;
  std::unique_ptr<itest::SimProcess> sim;
  std::unique_ptr<CpsCard> card;
  void setup() override {
    if (!HaveHarness()) return;
    hal::PcscOptions o;
    o.transmit_deadline = milliseconds(8000);
    reader = hal::PcscCardReader::Create(o).value();
  }
  void teardown() override {
    if (!HaveHarness()) return;
    card.reset();
    reader->Disconnect();
    sim.reset();
    CHECK_TRUE(WaitCard(*reader, false, milliseconds(5000)));
  }
  void Start(const std::string& role) {
    const std::string rpps = RppsOf(role);
    CHECK_FALSE(rpps.empty());
    sim = itest::SimProcess::Start(
              {"--profile", "cps3", "--slot", "0", "--pki", Pki(), "--professional", rpps})
              .value();
    CHECK_TRUE(WaitCard(*reader, true, milliseconds(8000)));
    auto info = reader->Connect(kSlot0, hal::ShareMode::kShared);
    CHECK_TRUE_TEXT(info.ok(), info.status().ToString().c_str());
    CHECK(DetectCardType(info->atr) == CardType::kCps3);
    card = std::make_unique<CpsCard>(*reader);
  }
  void Verify(const char* pin = "1234") {
    auto r = card->VerifyPin(Secret(pin));
    CHECK_TRUE_TEXT(r.ok(), r.status().ToString().c_str());
    CHECK(r->outcome == PinOutcome::kOk);
  }
};

TEST(CpsPcsc, IdentityAndChainOfTheGp) {
  if (!HaveHarness()) return;
  Start("general-practitioner");
  auto id = card->ReadIdentity();
  CHECK_TRUE_TEXT(id.ok(), id.status().ToString().c_str());
  STRCMP_EQUAL(("8" + RppsOf("general-practitioner")).c_str(), id->id_nat.c_str());
  auto check =
      CheckCertificates(*id, IgcTrust(), SystemClock::Instance().Now(), /*require_crl=*/true);
  CHECK_TRUE_TEXT(check.ok(), check.overall.reason.c_str());
}

TEST(CpsPcsc, RevokedProfessional) {
  if (!HaveHarness()) return;
  Start("revoked-physician");
  auto id = card->ReadIdentity();
  CHECK_TRUE_TEXT(id.ok(), id.status().ToString().c_str());
  auto check = CheckCertificates(*id, IgcTrust(), SystemClock::Instance().Now(), true);
  CHECK_TEXT(check.overall.verdict == CertVerdict::kRevoked, check.overall.reason.c_str());
  std::printf("\n  revoked card: %s\n", check.overall.reason.c_str());
}

TEST(CpsPcsc, WrongPinThreeTimesThenPuk) {
  if (!HaveHarness()) return;
  Start("general-practitioner");
  for (int left = 2; left >= 0; --left) {
    auto r = card->VerifyPin(Secret("9999"));
    CHECK_TRUE_TEXT(r.ok(), r.status().ToString().c_str());
    LONGS_EQUAL(left, r->tries_left);
  }
  CHECK(card->PinStatus()->blocked);
  CHECK(card->VerifyPin(Secret("1234"))->outcome == PinOutcome::kBlocked);
  auto u = card->Unblock(Secret("12345678"), Secret("2468"));
  CHECK_TRUE_TEXT(u.ok(), u.status().ToString().c_str());
  CHECK(u->outcome == PinOutcome::kOk);
  LONGS_EQUAL(3, card->PinStatus()->tries_left);
  Verify("2468");
}

TEST(CpsPcsc, CoseSignaturesVerifiedByTheCliWithFigures) {
  if (!HaveHarness()) return;
  Start("general-practitioner");
  auto id = card->ReadIdentity();
  CHECK_TRUE(id.ok());
  const Bytes payload(600, 0x5A);
  const int kRounds = 5;
  double ms[3] = {0, 0, 0};
  uint64_t apdus[3] = {0, 0, 0};
  for (int i = 0; i < kRounds; ++i) {
    card->ForgetPin();
    reader->ResetStats();
    auto t0 = SteadyClock::now();
    Verify();
    ms[0] += MsSince(t0);
    apdus[0] += reader->stats().apdus;
    reader->ResetStats();
    t0 = SteadyClock::now();
    CHECK_TRUE(card->SignAut(payload).ok());
    ms[1] += MsSince(t0);
    apdus[1] += reader->stats().apdus;
    reader->ResetStats();
    t0 = SteadyClock::now();
    CHECK_TRUE(card->SignSig(payload).ok());
    ms[2] += MsSince(t0);
    apdus[2] += reader->stats().apdus;
  }
  const char* names[3] = {"PIN verify", "AUT signature", "SIG signature"};
  for (int k = 0; k < 3; ++k) {
    std::printf("\n  %-14s %2.0f APDUs  %6.1f ms (mean of %d, through pcscd)", names[k],
                static_cast<double>(apdus[k]) / kRounds, ms[k] / kRounds, kRounds);
  }
  std::printf("\n");
  for (int which = 0; which < 2; ++which) {
    const Bytes& leaf = which == 0 ? id->aut_certificate_der : id->sig_certificate_der;
    auto msg =
        crypto::cose::SignWith(which == 0 ? card->AutSigner() : card->SigSigner(),
                               crypto::SignatureScheme::kRs256, payload, {leaf, IntermediateDer()});
    CHECK_TRUE_TEXT(msg.ok(), msg.status().ToString().c_str());
    LONGS_EQUAL(0, CliVerify(*msg, which == 0 ? "aut.cose" : "sig.cose"));
    Bytes tampered = *msg;
    tampered[tampered.size() - 1] ^= 0x01;
    CHECK(CliVerify(tampered, "bad.cose") != 0);
  }
}

TEST(CpsPcsc, CardRemovedDuringASignature) {
  if (!HaveHarness()) return;
  Start("general-practitioner");
  Verify();
  CHECK_TRUE(sim->Command("STALL 2000").ok());
  Result<Bytes> result = Internal("not run");
  std::thread signer([&] { result = card->SignSig(Bytes(100, 1)); });
  std::this_thread::sleep_for(milliseconds(400));
  CHECK_TRUE(sim->Command("REMOVE").ok());
  signer.join();
  CHECK_FALSE(result.ok());
  CHECK_TEXT(result.status().code() == StatusCode::kUnavailable,
             result.status().ToString().c_str());
  CHECK_FALSE(card->pin_verified());
  std::printf("\n  removal: %s\n", result.status().ToString().c_str());
}

TEST(CpsPcsc, CardResetMeansVerifyAgain) {
  if (!HaveHarness()) return;
  Start("general-practitioner");
  Verify();
  CHECK_TRUE(card->SignAut(Bytes(10, 2)).ok());
  // A brown-out pcscd does not see: the card forgot the PIN.
  CHECK_TRUE(sim->Command("RESET").ok());
  auto r = card->SignSig(Bytes(10, 2));
  CHECK_FALSE(r.ok());
  CHECK_TEXT(r.status().code() == StatusCode::kFailedPrecondition, r.status().ToString().c_str());
  CHECK(r.status().message().find("card was reset: verify the PIN again") != std::string::npos);
  Verify();
  CHECK_TRUE(card->SignSig(Bytes(10, 2)).ok());
  // A reset pcscd reports (another client resets the card).
  auto other = hal::PcscCardReader::Create().value();
  CHECK_TRUE(other->Connect(kSlot0, hal::ShareMode::kShared).ok());
  CHECK_TRUE(other->ResetCard().ok());
  other->Disconnect();
  r = card->SignAut(Bytes(10, 2));
  CHECK_FALSE(r.ok());
  CHECK_TEXT(r.status().code() == StatusCode::kFailedPrecondition, r.status().ToString().c_str());
  Verify();
  CHECK_TRUE(card->SignAut(Bytes(10, 2)).ok());
}

}  // namespace carnet::fw::cps
