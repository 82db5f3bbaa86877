// The card stack on real parts: PcscCardReader → PCSC-lite → pcscd → vpcd → carnet-cardsim.
// Run through pcsc_harness.sh (which provides pcscd); without it every test exits early.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "crypto/core/hash.h"
#include "crypto/core/pk.h"
#include "hal/base/json.h"
#include "hal/card/pcsc_card_reader.h"
#include "tests/integration/sim_process.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::itest {
namespace {
using hal::CommandApdu;
using hal::PcscCardReader;
using hal::ReaderState;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

const char kSlot0[] = "Virtual PCD 00 00";
const char kSlot1[] = "Virtual PCD 00 01";
Bytes H(const char* hex) { return HexDecode(hex).value(); }
bool HaveHarness() { return std::getenv("CARNET_PCSC_HARNESS") != nullptr; }
std::string Pki() {
  const char* p = std::getenv("CARNET_TEST_PKI");
  return p ? p : "";
}
// A file of professional #0 in the test PKI's index.json.
std::string ProfessionalFile(const char* field) {
  std::ifstream in(Pki() + "/index.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto index = json::Parse(ss.str());
  if (!index.ok()) return "";
  const json::Value* pros = index->Find("professionals");
  if (pros == nullptr || pros->as_array().empty()) return "";
  const json::Value* v = pros->as_array()[0].Find(field);
  return v ? Pki() + "/" + v->as_string() : "";
}
// A file of patient #0 in the test PKI's index.json.
std::string PatientFile(const char* field) {
  std::ifstream in(Pki() + "/index.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto index = json::Parse(ss.str());
  if (!index.ok()) return "";
  const json::Value* v = index->Find("vitale");
  const json::Value* pats = v ? v->Find("patients") : nullptr;
  if (pats == nullptr || pats->as_array().empty()) return "";
  const json::Value* f = pats->as_array()[0].Find(field);
  return f ? Pki() + "/" + f->as_string() : "";
}
long Ms(Clock::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<milliseconds>(Clock::now() - since).count());
}

// Waits until `reader` shows (or no longer shows) a card; fails after `limit`.
bool WaitCard(hal::CardReader& r, const std::string& name, bool present, milliseconds limit) {
  std::vector<ReaderState> known;
  const auto until = Clock::now() + limit;
  while (Clock::now() < until) {
    auto changed = r.WaitForChange(known, milliseconds(500));
    if (!changed.ok()) return false;
    for (const auto& s : known) {
      if (s.name == name && s.card_present == present) return true;
    }
  }
  return false;
}

std::unique_ptr<SimProcess> StartCps(int slot, bool with_pki = true) {
  std::vector<std::string> args = {"--profile", "cps3", "--slot", std::to_string(slot)};
  if (with_pki && !Pki().empty()) {
    args.insert(args.end(), {"--pki", Pki(), "--professional", "0"});
  }
  return SimProcess::Start(args).value();
}

hal::ResponseApdu Tx(hal::CardReader& r, const char* hex) {
  auto resp = r.Transmit(CommandApdu::Parse(H(hex)).value());
  CHECK_TRUE_TEXT(resp.ok(), (std::string(hex) + ": " + resp.status().ToString()).c_str());
  return std::move(resp).value();
}
}  // namespace

TEST_GROUP(Pcsc) {
  std::unique_ptr<PcscCardReader> reader;
  std::unique_ptr<SimProcess> sim;
  std::unique_ptr<SimProcess> vitale;
  void setup() override {
    if (!HaveHarness()) return;
    hal::PcscOptions o;
    o.transmit_deadline = milliseconds(1500);
    reader = PcscCardReader::Create(o).value();
  }
  void teardown() override {
    if (!HaveHarness()) return;
    reader->Disconnect();
    sim.reset();
    vitale.reset();
    // pcscd notices a vanished vpcd card at its next poll: wait for it, so the next test
    // cannot connect to the card of this one.
    CHECK_TRUE(WaitCard(*reader, kSlot0, false, milliseconds(5000)));
    CHECK_TRUE(WaitCard(*reader, kSlot1, false, milliseconds(5000)));
  }
  // Starts a CPS3 on slot 0 and connects to it.
  void ConnectCps() {
    sim = StartCps(0);
    CHECK_TRUE(WaitCard(*reader, kSlot0, true, milliseconds(8000)));
    auto info = reader->Connect(kSlot0, hal::ShareMode::kShared);
    CHECK_TRUE_TEXT(info.ok(), info.status().ToString().c_str());
  }
};

#define REQUIRE_HARNESS() \
  if (!HaveHarness()) {   \
    TEST_EXIT;            \
  }

TEST(Pcsc, ListsBothVirtualReaders) {
  REQUIRE_HARNESS();
  auto names = reader->ListReaders().value();
  LONGS_EQUAL(2, names.size());
  STRCMP_EQUAL(kSlot0, names[0].c_str());
  STRCMP_EQUAL(kSlot1, names[1].c_str());
}

TEST(Pcsc, InsertAndRemoveEventsWithoutPolling) {
  REQUIRE_HARNESS();
  auto t0 = Clock::now();
  sim = StartCps(0, false);
  CHECK_TRUE(WaitCard(*reader, kSlot0, true, milliseconds(8000)));
  std::printf("\n  insert seen after %ld ms", Ms(t0));
  t0 = Clock::now();
  CHECK_TRUE(sim->Command("REMOVE").ok());
  CHECK_TRUE(WaitCard(*reader, kSlot0, false, milliseconds(8000)));
  std::printf(", removal after %ld ms", Ms(t0));
  CHECK_TRUE(sim->Command("REINSERT").ok());
  CHECK_TRUE(WaitCard(*reader, kSlot0, true, milliseconds(8000)));
  // Nothing changes now: the wait must time out, not spin.
  std::vector<ReaderState> known;
  CHECK_TRUE(reader->WaitForChange(known, milliseconds(0)).value());
  t0 = Clock::now();
  CHECK_FALSE(reader->WaitForChange(known, milliseconds(600)).value());
  CHECK_TRUE(Ms(t0) >= 550);
}

TEST(Pcsc, AtrAndT0GetResponsePath) {
  REQUIRE_HARNESS();
  sim = StartCps(0, false);
  CHECK_TRUE(WaitCard(*reader, kSlot0, true, milliseconds(8000)));
  auto info = reader->Connect(kSlot0, hal::ShareMode::kExclusive).value();
  CHECK(H("3bac00402a001225006480000310009000") == info.atr);
  CHECK(info.protocol == hal::Protocol::kT0);
  reader->ResetStats();
  auto fcp = reader->Transmit(CommandApdu::MakeDataLe(0, 0xA4, 0x09, 0x04, H("3f00d003"), 256));
  CHECK_TRUE(fcp.ok() && fcp->ok());
  LONGS_EQUAL(0x62, fcp->data[0]);
  LONGS_EQUAL(1, reader->stats().get_responses);
  auto sn = reader->Transmit(CommandApdu::MakeLe(0, 0xB0, 0, 0, 256)).value();
  LONGS_EQUAL(12, sn.data.size());
  LONGS_EQUAL(1, reader->stats().le_retries);
  LONGS_EQUAL(4, reader->stats().apdus);
}

TEST(Pcsc, PinWrongBlockedAndPukUnblock) {
  REQUIRE_HARNESS();
  ConnectCps();
  LONGS_EQUAL(0x63C3, Tx(*reader, "00200001").sw);
  LONGS_EQUAL(0x63C2, Tx(*reader, "002000010430303030").sw);
  LONGS_EQUAL(0x63C1, Tx(*reader, "002000010430303030").sw);
  LONGS_EQUAL(0x63C0, Tx(*reader, "002000010430303030").sw);
  LONGS_EQUAL(0x6983, Tx(*reader, "002000010431323334").sw);
  auto counters = Tx(*reader, "00cb3fff0a4d087006bf810102a080");
  CHECK(H("7016bf810112a0109a01039b0100a1088c06f3000013ff00") == counters.data);
  LONGS_EQUAL(0x9000, Tx(*reader, "002c00010c313233343536373835363738").sw);
  reader->ResetStats();
  auto t0 = Clock::now();
  LONGS_EQUAL(0x9000, Tx(*reader, "002000010435363738").sw);
  std::printf("\n  PIN verify: %llu APDU, %ld ms",
              static_cast<unsigned long long>(reader->stats().apdus), Ms(t0));
}

TEST(Pcsc, AuthenticationAndNonRepudiationSignatures) {
  REQUIRE_HARNESS();
  if (Pki().empty()) TEST_EXIT;  // needs keys from carnet-crypto pki test-hierarchy
  ConnectCps();
  LONGS_EQUAL(0x9000, Tx(*reader, "002000010431323334").sw);
  // AUT: MSE SET AT + INTERNAL AUTHENTICATE over a SHA-256 DigestInfo.
  const std::string request = "carnet request to sign";
  reader->ResetStats();
  auto t0 = Clock::now();
  LONGS_EQUAL(0x9000, Tx(*reader, "002241a406840182800102").sw);
  Bytes di = crypto::Sha256DigestInfo(crypto::Sha256(AsBytes(request)));
  auto aut = reader->Transmit(CommandApdu::MakeDataLe(0, 0x88, 0, 0, di, 256)).value();
  std::printf("\n  AUT signature: %llu APDU, %ld ms",
              static_cast<unsigned long long>(reader->stats().apdus), Ms(t0));
  LONGS_EQUAL(256, aut.data.size());
  // SIG: MSE SET HT + DST, PSO HASH (partial state + tail), PSO CDS.
  const std::string doc(1000, 'd');
  auto partial = crypto::Sha256PartialBlocks(AsBytes(doc));
  Bytes hash_data = {0x90, 40};
  Append(hash_data, partial.state);
  AppendU64Be(hash_data, partial.bytes_hashed * 8);
  const ByteView tail = AsBytes(doc).subspan(partial.bytes_hashed);
  hash_data.push_back(0x80);
  hash_data.push_back(static_cast<uint8_t>(tail.size()));
  Append(hash_data, tail);
  reader->ResetStats();
  t0 = Clock::now();
  LONGS_EQUAL(0x9000, Tx(*reader, "002241aa03800140").sw);
  LONGS_EQUAL(0x9000, Tx(*reader, "002241b606840181800142").sw);
  LONGS_EQUAL(0x9000,
              reader->Transmit(CommandApdu::MakeData(0, 0x2A, 0x90, 0xA0, hash_data)).value().sw);
  auto sig = reader->Transmit(CommandApdu::MakeLe(0, 0x2A, 0x9E, 0x9A, 256)).value();
  std::printf("\n  SIG signature: %llu APDU, %ld ms",
              static_cast<unsigned long long>(reader->stats().apdus), Ms(t0));
  LONGS_EQUAL(256, sig.data.size());
  // Both verify with the public keys of the certified key pairs.
  auto aut_pub = crypto::PrivateKey::FromPemFile(ProfessionalFile("aut_key")).value().public_key();
  auto sig_pub = crypto::PrivateKey::FromPemFile(ProfessionalFile("sig_key")).value().public_key();
  CHECK_TRUE(aut_pub.Verify(crypto::SignatureScheme::kRs256, AsBytes(request), aut.data).ok());
  CHECK_TRUE(sig_pub.Verify(crypto::SignatureScheme::kRs256, AsBytes(doc), sig.data).ok());
  CHECK_FALSE(sig_pub.Verify(crypto::SignatureScheme::kRs256, AsBytes(request), sig.data).ok());
}

TEST(Pcsc, StalledSimulatorHitsTheWatchdog) {
  REQUIRE_HARNESS();
  ConnectCps();
  CHECK_TRUE(sim->Command("STALL 4000").ok());
  auto t0 = Clock::now();
  auto r = reader->Transmit(CommandApdu::MakeLe(0, 0x84, 0, 0, 8));
  const long waited = Ms(t0);
  std::printf("\n  stalled transmit returned after %ld ms: %s", waited,
              r.status().ToString().c_str());
  CHECK(r.status().code() == StatusCode::kDeadlineExceeded);
  CHECK_TRUE(waited < 3000);
  // Once the card answers again, a new connection works.
  std::this_thread::sleep_for(milliseconds(3000));
  CHECK_TRUE(reader->Connect(kSlot0, hal::ShareMode::kShared).ok());
  LONGS_EQUAL(0x9000, Tx(*reader, "0084000008").sw);
}

TEST(Pcsc, MalformedAnswerIsAClearError) {
  REQUIRE_HARNESS();
  ConnectCps();
  CHECK_TRUE(sim->Command("MALFORMED").ok());
  auto r = reader->Transmit(CommandApdu::MakeLe(0, 0x84, 0, 0, 8));
  CHECK_FALSE(r.ok());
  std::printf("\n  malformed answer: %s", r.status().ToString().c_str());
  LONGS_EQUAL(0x9000, Tx(*reader, "0084000008").sw);
}

TEST(Pcsc, RemovedCardEndsTheSession) {
  REQUIRE_HARNESS();
  ConnectCps();
  LONGS_EQUAL(0x9000, Tx(*reader, "002000010431323334").sw);
  CHECK_TRUE(sim->Command("REMOVE").ok());
  CHECK_TRUE(WaitCard(*reader, kSlot0, false, milliseconds(8000)));
  auto r = reader->Transmit(CommandApdu::MakeLe(0, 0x84, 0, 0, 8));
  CHECK_TRUE_TEXT(hal::IsCardRemoved(r.status()), r.status().ToString().c_str());
}

TEST(Pcsc, CardResetByAnotherClientReportsStateLost) {
  REQUIRE_HARNESS();
  ConnectCps();
  LONGS_EQUAL(0x9000, Tx(*reader, "002000010431323334").sw);
  const uint64_t session = reader->card_session();
  auto other = PcscCardReader::Create().value();
  CHECK_TRUE(other->Connect(kSlot0, hal::ShareMode::kShared).ok());
  CHECK_TRUE(other->ResetCard().ok());
  auto r = reader->Transmit(CommandApdu::MakeLe(0, 0x84, 0, 0, 8));
  CHECK_TRUE_TEXT(hal::IsCardStateLost(r.status()), r.status().ToString().c_str());
  CHECK_TRUE(reader->card_session() > session);
  // The handle was reconnected; the card forgot the PIN.
  LONGS_EQUAL(0x63C3, Tx(*reader, "00200001").sw);
}

TEST(Pcsc, TwoCardsInTwoSlots) {
  REQUIRE_HARNESS();
  sim = StartCps(0, false);
  vitale = SimProcess::Start({"--profile", "vitale", "--slot", "1"}).value();
  CHECK_TRUE(WaitCard(*reader, kSlot0, true, milliseconds(8000)));
  CHECK_TRUE(WaitCard(*reader, kSlot1, true, milliseconds(8000)));
  auto second = PcscCardReader::Create().value();
  auto cps = reader->Connect(kSlot0, hal::ShareMode::kExclusive).value();
  auto vit = second->Connect(kSlot1, hal::ShareMode::kExclusive).value();
  CHECK(H("3bac00402a001225006480000310009000") == cps.atr);
  CHECK(H("3b751300004709ea9000") == vit.atr);
  LONGS_EQUAL(0x9000, Tx(*second, "00a4040c0bd250000002564954414c45").sw);
  LONGS_EQUAL(0x9000, Tx(*reader, "00a4090c043f000001").sw);
}

TEST(Pcsc, VitaleProvesItHoldsTheCertifiedKey) {
  REQUIRE_HARNESS();
  if (Pki().empty()) TEST_EXIT;
  vitale = SimProcess::Start({"--profile", "vitale", "--slot", "1", "--pki", Pki()}).value();
  CHECK_TRUE(WaitCard(*reader, kSlot1, true, milliseconds(8000)));
  CHECK_TRUE(reader->Connect(kSlot1, hal::ShareMode::kExclusive).ok());
  LONGS_EQUAL(0x9000, Tx(*reader, "00a4040c0bd250000002564954414c45").sw);
  LONGS_EQUAL(0x9000, Tx(*reader, "00a4020c022010").sw);
  auto cvc = reader->Transmit(CommandApdu::MakeLe(0, 0xB0, 0, 0, 256)).value();
  CHECK_TRUE(cvc.ok());
  LONGS_EQUAL(0x7F, cvc.data[0]);
  LONGS_EQUAL(0x21, cvc.data[1]);
  const Bytes challenge = H("00112233445566778899aabbccddeeff");
  reader->ResetStats();
  auto t0 = Clock::now();
  auto sig = reader->Transmit(CommandApdu::MakeDataLe(0, 0x88, 0, 0, challenge, 256)).value();
  std::printf("\n  Vitale authentication: %llu APDU, %ld ms",
              static_cast<unsigned long long>(reader->stats().apdus), Ms(t0));
  LONGS_EQUAL(64, sig.data.size());
  std::ifstream in(PatientFile("card_public_key"));
  std::stringstream pem;
  pem << in.rdbuf();
  auto pub = crypto::PublicKey::FromPem(pem.str()).value();
  CHECK_TRUE(pub.Verify(crypto::SignatureScheme::kEs256, challenge, sig.data).ok());
}

}  // namespace carnet::itest
