// CpsCard against the simulator's CPS3 engine (tests/cardsim) behind a FakeCardReader: the
// same APDUs as through pcscd, plus injected faults (reset, removal, malformed answers).
#include "crypto/cose/sign1.h"
#include "firmware/cps/cps_test_util.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::cps {
namespace {
using crypto::testing::Gp;
using hal::FakeCardReader;
using testing::Secret;
using testing::SimBench;

Bytes Msg(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 7 + 1);
  return b;
}
const crypto::Certificate& AutCert() { return Gp().aut->cert; }
const crypto::Certificate& SigCert() { return Gp().sig->cert; }
}  // namespace

TEST_GROUP(CpsCard) {
  std::unique_ptr<SimBench> bench;
  std::unique_ptr<CpsCard> card;
  void setup() override {
    bench = std::make_unique<SimBench>(testing::ConfigFor(Gp()));
    card = std::make_unique<CpsCard>(bench->reader);
  }
  void Verify() {
    auto r = card->VerifyPin(Secret("1234"));
    CHECK_OK(r);
    CHECK(r->outcome == PinOutcome::kOk);
  }
};

TEST(CpsCard, ReadsIdentityAndCertificates) {
  auto id = card->ReadIdentity();
  CHECK_OK(id);
  STRCMP_EQUAL("992138450", id->card_number.c_str());
  STRCMP_EQUAL(Gp().IdNat().c_str(), id->id_nat.c_str());
  STRCMP_EQUAL(Gp().surname.c_str(), id->surname.c_str());
  STRCMP_EQUAL(Gp().given_name.c_str(), id->given_name.c_str());
  STRCMP_EQUAL(Gp().profession.c_str(), id->profession.c_str());
  STRCMP_EQUAL(Gp().specialty.c_str(), id->specialty.c_str());
  CHECK(AutCert().der() == id->aut_certificate_der);
  CHECK(SigCert().der() == id->sig_certificate_der);
}

TEST(CpsCard, SituationsNeedThePin) {
  CHECK_FAILS_WITH(card->ReadSituations(), StatusCode::kFailedPrecondition, "verify the PIN first");
  Verify();
  auto s = card->ReadSituations();
  CHECK_OK(s);
  LONGS_EQUAL(1, s->size());
  STRCMP_EQUAL("L", (*s)[0].mode.c_str());
}

TEST(CpsCard, WrongPinThreeTimesBlocksThenPukUnblocks) {
  auto st = card->PinStatus();
  CHECK_OK(st);
  LONGS_EQUAL(3, st->tries_left);
  for (int left = 2; left >= 0; --left) {
    auto r = card->VerifyPin(Secret("0000"));
    CHECK_OK(r);
    LONGS_EQUAL(left, r->tries_left);
    CHECK(r->outcome == (left == 0 ? PinOutcome::kBlocked : PinOutcome::kWrong));
  }
  auto blocked = card->VerifyPin(Secret("1234"));  // even the right PIN
  CHECK(blocked->outcome == PinOutcome::kBlocked);
  CHECK(card->PinStatus()->blocked);
  auto bad_puk = card->Unblock(Secret("00000000"), Secret("4321"));
  CHECK_OK(bad_puk);
  CHECK(bad_puk->outcome == PinOutcome::kWrong);
  LONGS_EQUAL(9, bad_puk->tries_left);
  auto ok = card->Unblock(Secret("12345678"), Secret("4321"));
  CHECK_OK(ok);
  CHECK(ok->outcome == PinOutcome::kOk);
  LONGS_EQUAL(3, card->PinStatus()->tries_left);
  CHECK(card->VerifyPin(Secret("4321"))->outcome == PinOutcome::kOk);
  CHECK(card->PinStatus()->verified);
  CHECK(card->pin_verified());
}

TEST(CpsCard, BadPinFormatCostsNoTryAndSendsNothing) {
  const size_t before = bench->reader.sent().size();
  CHECK_FAILS_WITH(card->VerifyPin(Secret("123")), StatusCode::kInvalidArgument, "4 digits");
  CHECK_FAILS_WITH(card->VerifyPin(Secret("12a4")), StatusCode::kInvalidArgument, "digits");
  CHECK_FAILS_WITH(card->Unblock(Secret("1234567"), Secret("1234")), StatusCode::kInvalidArgument,
                   "PUK");
  LONGS_EQUAL(before, bench->reader.sent().size());
  LONGS_EQUAL(3, bench->sim->pin_tries_left());
}

TEST(CpsCard, SigningBeforeThePinSendsNothing) {
  const size_t before = bench->reader.sent().size();
  CHECK_FAILS_WITH(card->SignAut(Msg(10)), StatusCode::kFailedPrecondition, "verify the PIN first");
  CHECK_FAILS_WITH(card->SignSig(Msg(10)), StatusCode::kFailedPrecondition, "verify the PIN first");
  LONGS_EQUAL(before, bench->reader.sent().size());
}

TEST(CpsCard, AutSignatureVerifiesWithTheAutCertificate) {
  Verify();
  const Bytes m = Msg(1000);
  auto sig = card->SignAut(m);
  CHECK_OK(sig);
  LONGS_EQUAL(256, sig->size());
  CHECK_OK(AutCert().public_key().Verify(crypto::SignatureScheme::kRs256, m, *sig));
  CHECK(!SigCert().public_key().Verify(crypto::SignatureScheme::kRs256, m, *sig).ok());
}

TEST(CpsCard, SigSignatureAtEveryBlockBoundary) {
  Verify();
  for (size_t n : {0, 1, 55, 63, 64, 65, 127, 128, 129, 1000}) {
    const Bytes m = Msg(n);
    auto sig = card->SignSig(m);
    CHECK_OK(sig);
    CHECK_OK(SigCert().public_key().Verify(crypto::SignatureScheme::kRs256, m, *sig));
  }
}

TEST(CpsCard, SignatureCheckedWithTheCachedCertificate) {
  // The card signs with the AUT key where the SIG key should be: once the SIG certificate is
  // known, the bad signature is caught before it leaves the terminal.
  cardsim::Cps3Config c = testing::ConfigFor(Gp());
  c.sig_key = testing::CopyKey(Gp().aut->key);
  bench = std::make_unique<SimBench>(std::move(c));
  card = std::make_unique<CpsCard>(bench->reader);
  CHECK_OK(card->ReadIdentity());
  Verify();
  CHECK_FAILS_WITH(card->SignSig(Msg(40)), StatusCode::kUnauthenticated, "does not verify");
}

TEST(CpsCard, AuthenticateCard) {
  FakeRandom rng(9);
  CHECK_FAILS_WITH(card->AuthenticateCard(rng), StatusCode::kFailedPrecondition, "PIN");
  Verify();
  CHECK_OK(card->AuthenticateCard(rng));
  // A card whose AUT key is not the certified one fails.
  cardsim::Cps3Config c = testing::ConfigFor(Gp());
  c.aut_key = testing::CopyKey(Gp().sig->key);
  bench = std::make_unique<SimBench>(std::move(c));
  card = std::make_unique<CpsCard>(bench->reader);
  Verify();
  CHECK_FAILS_WITH(card->AuthenticateCard(rng), StatusCode::kUnauthenticated, "does not verify");
}

TEST(CpsCard, CoseSignWithBothKeys) {
  Verify();
  const Bytes payload = Msg(300);
  const crypto::TrustStore trust = testing::IgcTrust();
  const Bytes inter = crypto::testing::SmallPki().igc_intermediate->cert.der();
  struct Case {
    crypto::cose::ExternalSignFn fn;
    const crypto::Certificate* cert;
    crypto::Purpose purpose;
  };
  for (const Case& k :
       {Case{card->AutSigner(), &AutCert(), crypto::Purpose::kCardAuthentication},
        Case{card->SigSigner(), &SigCert(), crypto::Purpose::kCardNonRepudiation}}) {
    auto msg = crypto::cose::SignWith(k.fn, crypto::SignatureScheme::kRs256, payload,
                                      {k.cert->der(), inter});
    CHECK_OK(msg);
    auto decoded = crypto::cose::Decode(*msg);
    CHECK_OK(decoded);
    CHECK_OK(
        crypto::cose::VerifyWithTrustStore(*decoded, trust, k.purpose, crypto::testing::kMid2026));
  }
}

TEST(CpsCard, ResetSeenByTheReaderDuringASignature) {
  Verify();
  bench->sim->Reset();
  bench->reader.InjectFault(FakeCardReader::Fault::kReset);
  CHECK_FAILS_WITH(card->SignSig(Msg(70)), StatusCode::kFailedPrecondition,
                   "card was reset: verify the PIN again");
  CHECK(!card->pin_verified());
  // Still refused, without touching the card, until the PIN is presented again.
  const size_t before = bench->reader.sent().size();
  CHECK_FAILS_WITH(card->SignAut(Msg(5)), StatusCode::kFailedPrecondition, "card was reset");
  LONGS_EQUAL(before, bench->reader.sent().size());
  Verify();
  CHECK_OK(card->SignSig(Msg(70)));
}

TEST(CpsCard, ResetByThisTerminalBetweenSignatures) {
  Verify();
  CHECK_OK(card->SignAut(Msg(5)));
  CHECK_OK(bench->reader.ResetCard());  // new card session
  CHECK_FAILS_WITH(card->SignAut(Msg(5)), StatusCode::kFailedPrecondition, "card was reset");
}

TEST(CpsCard, SilentResetShowsAs6982) {
  // A brown-out pcscd did not see: the card answers 6982 to a key operation after our VERIFY.
  Verify();
  bench->sim->Reset();
  CHECK_FAILS_WITH(card->SignAut(Msg(5)), StatusCode::kFailedPrecondition,
                   "card was reset: verify the PIN again");
  CHECK(!card->pin_verified());
}

TEST(CpsCard, RemovedDuringASignature) {
  Verify();
  bench->tamper = [this](ByteView cmd, Bytes answer) {
    if (cmd.size() > 3 && cmd[1] == 0x2A && cmd[2] == 0x90) {  // after PSO HASH
      bench->reader.InjectFault(FakeCardReader::Fault::kRemoved);
    }
    return answer;
  };
  auto sig = card->SignSig(Msg(100));
  CHECK_FAILS_WITH(sig, StatusCode::kUnavailable, "card removed");
  CHECK(!card->pin_verified());
  CHECK(!bench->reader.in_transaction());
}

TEST(CpsCard, EmptyAnswerMidSignatureIsARemoval) {
  // What vpcd gives when the card is pulled during PSO CDS (seen through pcscd).
  Verify();
  bench->tamper = [](ByteView cmd, Bytes answer) {
    if (cmd.size() > 2 && cmd[1] == 0x2A && cmd[2] == 0x9E) return Bytes{};
    return answer;
  };
  CHECK_FAILS_WITH(card->SignSig(Msg(100)), StatusCode::kUnavailable, "card answered 0 bytes");
  CHECK(!card->pin_verified());
}

TEST(CpsCard, MalformedAnswers) {
  Verify();
  // A 1-byte answer (not an R-APDU).
  bench->reader.InjectFault(FakeCardReader::Fault::kMalformed);
  CHECK_FAILS_WITH(card->SignAut(Msg(5)), StatusCode::kDataLoss, "not a response APDU");
  // A short signature.
  bench->tamper = [](ByteView cmd, Bytes answer) {
    if (cmd.size() > 1 && cmd[1] == 0xC0) return Bytes{0x01, 0x02, 0x90, 0x00};
    return answer;
  };
  CHECK_FAILS_WITH(card->SignAut(Msg(5)), StatusCode::kDataLoss, "not a 2048-bit signature");
  CHECK_FAILS_WITH(card->SignSig(Msg(5)), StatusCode::kDataLoss, "not a 2048-bit signature");
  // READ BINARY answering more than asked, and an FCP without a size.
  bench->tamper = [](ByteView cmd, Bytes answer) {
    if (cmd.size() > 1 && cmd[1] == 0xB0) {
      Bytes big(300, 0x30);
      big.push_back(0x90);
      big.push_back(0x00);
      return big;
    }
    return answer;
  };
  CHECK_FAILS_WITH(card->ReadIdentity(), StatusCode::kDataLoss, "READ BINARY returned");
  bench->tamper = [](ByteView cmd, Bytes answer) {
    if (cmd.size() > 1 && cmd[1] == 0xC0) return Bytes{0x62, 0x03, 0x82, 0x01, 0x01, 0x90, 0x00};
    return answer;
  };
  CHECK_FAILS_WITH(card->ReadIdentity(), StatusCode::kDataLoss, "no usable file size");
  // Holder data that are not TLV.
  bench->tamper = [](ByteView cmd, Bytes answer) {
    if (cmd.size() > 1 && cmd[1] == 0xB0 && answer.size() > 20) {
      Bytes junk(answer.size() - 2, 0xFF);
      junk.push_back(0x90);
      junk.push_back(0x00);
      return junk;
    }
    return answer;
  };
  CHECK_FAILS_WITH(card->ReadAutCertificate(), StatusCode::kDataLoss, "not one DER SEQUENCE");
}

TEST(CpsCard, StatusWordsFromTheCard) {
  bench->tamper = [](ByteView cmd, Bytes answer) {
    if (cmd.size() > 1 && cmd[1] == 0xA4) return Bytes{0x6A, 0x82};
    return answer;
  };
  CHECK_FAILS_WITH(card->ReadIdentity(), StatusCode::kNotFound, "file not found");
  bench->tamper = [](ByteView cmd, Bytes answer) {
    if (cmd.size() > 1 && cmd[1] == 0x20) return Bytes{0x6F, 0x00};
    return answer;
  };
  CHECK_FAILS_WITH(card->VerifyPin(Secret("1234")), StatusCode::kInternal, "6F00");
  CHECK_FAILS_WITH(card->PinStatus(), StatusCode::kInternal, "PIN status");
}

}  // namespace carnet::fw::cps
