#include "tests/cardsim/vitale_card.h"

#include "hal/base/tlv.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::cardsim {
namespace {
Bytes H(const char* hex) { return HexDecode(hex).value(); }
}  // namespace

TEST_GROUP(VitaleCard) {
  FakeRandom rng{5};
  crypto::PrivateKey key = crypto::PrivateKey::GenerateEcP256(rng).value();
  std::unique_ptr<VitaleCard> card;
  void setup() override {
    VitaleConfig c;
    c.card_key = crypto::PrivateKey::FromPem(key.ToPem().value()).value();
    c.cvc = H("7f2103010203");
    Beneficiary child;
    child.nir = "269054958815780";
    child.first_name = "BOB";
    child.birth_date = "20150101";
    child.quality = "06";
    c.beneficiaries.push_back(child);
    card = std::make_unique<VitaleCard>(std::move(c), rng);
  }
  Bytes Send(const char* hex) { return card->Process(H(hex)); }
  Bytes ReadAll(const char* select) {
    CHECK(H("9000") == Send(select));
    Bytes r = Send("00b0000000");
    if (r.size() == 2 && r[0] == 0x6C) r = card->Process(Bytes{0, 0xB0, 0, 0, r[1]});
    return Bytes(r.begin(), r.end() - 2);
  }
};

TEST(VitaleCard, AtrAndUnknownCommands) {
  CHECK(H("3b751300004709ea9000") == card->Atr());
  CHECK(H("6d00") == Send("00200001"));
}

TEST(VitaleCard, ReadsInsuredIdentity) {
  CHECK(H("9000") == Send("00a4040c0bd250000002564954414c45"));
  Bytes map = ReadAll("00a4020c022001");
  auto e0 = ParseSingleTlv(map).value();
  LONGS_EQUAL(0xE0, e0.tag);
  LONGS_EQUAL(4, ParseTlvList(e0.value).value().size());
  Bytes insured = ReadAll("00a4020c022004");
  auto t65 = ParseSingleTlv(insured).value();
  ByteView nir = FindTlvValue(t65.value, 0x93).value();
  STRCMP_EQUAL("269054958815780", ToString(nir).c_str());
  Bytes child = ReadAll("00a4020c022005");
  ByteView first = FindTlvValue(ParseSingleTlv(child).value().value, 0x81).value();
  STRCMP_EQUAL("BOB", ToString(first).c_str());
  CHECK(H("7f2103010203") == ReadAll("00a4020c022010"));
}

TEST(VitaleCard, InternalAuthenticateSignsTheChallenge) {
  Bytes challenge = H("0102030405060708");
  Bytes cmd = H("0088000008010203040506070800");
  CHECK(H("6140") == card->Process(cmd));
  Bytes sig = Send("00c0000040");
  LONGS_EQUAL(66, sig.size());
  sig.resize(64);
  CHECK(key.public_key().Verify(crypto::SignatureScheme::kEs256, challenge, sig).ok());
  CHECK(H("6700") == Send("00880000020102"));
}

}  // namespace carnet::cardsim
