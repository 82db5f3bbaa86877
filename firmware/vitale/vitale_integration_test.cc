// VitaleCard on real parts: PcscCardReader -> pcscd -> vpcd -> carnet-cardsim --profile vitale.
// Run through tests/integration/pcsc_harness.sh (ctest: fw_vitale_integration); without the
// harness every test exits early. Prints the APDU count and time of read + authenticate.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "firmware/vitale/vitale_card.h"
#include "hal/base/json.h"
#include "hal/card/pcsc_card_reader.h"
#include "tests/integration/sim_process.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::vitale {
namespace {
using hal::PcscCardReader;
using hal::ReaderState;
using itest::SimProcess;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

const char kSlot1[] = "Virtual PCD 00 01";
bool HaveHarness() { return std::getenv("CARNET_PCSC_HARNESS") != nullptr; }
std::string Pki() {
  const char* p = std::getenv("CARNET_TEST_PKI");
  return p ? p : "";
}
std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
json::Value Index() { return json::Parse(Slurp(Pki() + "/index.json")).value(); }
VitaleTrust TrustFromIndex() {
  const json::Value index = Index();
  const json::Value* v = index.Find("vitale");
  auto key = crypto::PublicKey::FromPem(Slurp(Pki() + "/" + v->Find("ca_public_key")->as_string()));
  return VitaleTrust{std::move(key).value(), v->Find("car")->as_string()};
}
bool WaitCard(hal::CardReader& r, const std::string& name, bool present) {
  std::vector<ReaderState> known;
  const auto until = SteadyClock::now() + milliseconds(8000);
  while (SteadyClock::now() < until) {
    if (!r.WaitForChange(known, milliseconds(500)).ok()) return false;
    for (const auto& s : known) {
      if (s.name == name && s.card_present == present) return true;
    }
  }
  return false;
}
long Ms(SteadyClock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<milliseconds>(SteadyClock::now() - since).count());
}
UnixMillis Now() { return SystemClock::Instance().Now(); }
}  // namespace

TEST_GROUP(VitalePcsc) {
  std::unique_ptr<PcscCardReader> reader;
  std::unique_ptr<SimProcess> sim;
  void setup() override {
    if (!HaveHarness() || Pki().empty()) return;
    reader = PcscCardReader::Create().value();
  }
  void teardown() override {
    if (!reader) return;
    reader->Disconnect();
    sim.reset();
    CHECK_TRUE(WaitCard(*reader, kSlot1, false));
  }
  void Start(const char* patient) {
    sim = SimProcess::Start(
              {"--profile", "vitale", "--slot", "1", "--pki", Pki(), "--patient", patient})
              .value();
    CHECK_TRUE(WaitCard(*reader, kSlot1, true));
    auto info = reader->Connect(kSlot1, hal::ShareMode::kShared);
    CHECK_TRUE_TEXT(info.ok(), info.status().ToString().c_str());
  }
};

#define REQUIRE_HARNESS()                \
  if (!HaveHarness() || Pki().empty()) { \
    TEST_EXIT;                           \
  }

TEST(VitalePcsc, ReadsVerifiesAuthenticatesAndProves) {
  REQUIRE_HARNESS();
  Start("0");
  VitaleCard card(*reader);
  reader->ResetStats();
  const auto t0 = SteadyClock::now();
  Status s = card.Read();
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  const long read_ms = Ms(t0);
  const uint64_t read_apdus = reader->stats().apdus;
  const VitaleTrust trust = TrustFromIndex();
  s = card.VerifyCertificate(trust, Now());
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  s = card.Authenticate(SystemRandom::Instance());
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  std::printf(
      "\n  Vitale read: %llu APDUs, %ld ms; read + verify + authenticate: %llu APDUs, %ld ms",
      static_cast<unsigned long long>(read_apdus), read_ms,
      static_cast<unsigned long long>(reader->stats().apdus), Ms(t0));

  const auto& ids = card.contents().identities;
  LONGS_EQUAL(2, ids.size());
  STRCMP_EQUAL("284037511502730", ids[0].nir.c_str());
  STRCMP_EQUAL("BERNARD", ids[0].surname.c_str());
  STRCMP_EQUAL("CAMILLE", ids[0].given_name.c_str());
  STRCMP_EQUAL("19840312", ids[0].birth_date.c_str());
  STRCMP_EQUAL("116097511523106", ids[1].nir.c_str());
  STRCMP_EQUAL("LUCAS", ids[1].given_name.c_str());

  const Bytes id = SystemRandom::Instance().Generate(kRequestIdSize).value();
  const auto t1 = SteadyClock::now();
  auto proof = card.PresenceProof(id);
  CHECK_TRUE_TEXT(proof.ok(), proof.status().ToString().c_str());
  std::printf("\n  Vitale presence proof: %ld ms", Ms(t1));
  auto holder = VerifyPresenceProof(proof->cvc, proof->signature, id, trust, Now());
  CHECK_TRUE_TEXT(holder.ok(), holder.status().ToString().c_str());
  STRCMP_EQUAL("284037511502730", holder->c_str());
}

TEST(VitalePcsc, CorsicanPatient) {
  REQUIRE_HARNESS();
  Start("157112A00401283");
  VitaleCard card(*reader);
  CHECK_TRUE(card.Read().ok());
  STRCMP_EQUAL("157112A00401283", card.contents().identities[0].nir.c_str());
  STRCMP_EQUAL("PETIT", card.contents().identities[0].surname.c_str());
  CHECK_TRUE(card.VerifyCertificate(TrustFromIndex(), Now()).ok());
  CHECK_TRUE(card.Authenticate(SystemRandom::Instance()).ok());
}

TEST(VitalePcsc, RefusesACertificateFromAnotherCa) {
  REQUIRE_HARNESS();
  Start("0");
  VitaleCard card(*reader);
  CHECK_TRUE(card.Read().ok());
  // The trace-log key is a P-256 key that never signed a Vitale certificate.
  const json::Value index = Index();
  auto other = crypto::PublicKey::FromPem(
      Slurp(Pki() + "/" + index.Find("trace_log")->Find("public_key")->as_string()));
  VitaleTrust trust{std::move(other).value(), TrustFromIndex().car};
  LONGS_EQUAL(static_cast<int>(StatusCode::kUnauthenticated),
              static_cast<int>(card.VerifyCertificate(trust, Now()).code()));
}

TEST(VitalePcsc, ResetCardEndsTheAuthentication) {
  REQUIRE_HARNESS();
  Start("0");
  VitaleCard card(*reader);
  CHECK_TRUE(card.Read().ok());
  CHECK_TRUE(card.VerifyCertificate(TrustFromIndex(), Now()).ok());
  CHECK_TRUE(card.Authenticate(SystemRandom::Instance()).ok());
  CHECK_TRUE(reader->ResetCard().ok());
  CHECK_FALSE(card.authenticated());
  CHECK_TRUE(card.Authenticate(SystemRandom::Instance()).ok());
}

}  // namespace carnet::fw::vitale
