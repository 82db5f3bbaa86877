#include "tests/cardsim/cps3_card.h"

#include "crypto/core/hash.h"
#include "hal/base/tlv.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::cardsim {
namespace {
Bytes H(const char* hex) { return HexDecode(hex).value(); }

struct Keys {
  crypto::PrivateKey aut;
  crypto::PrivateKey sig;
};
// RSA-2048 key generation is slow: once per process.
Keys& TestKeys() {
  static FakeRandom rng(7);
  static Keys keys{crypto::PrivateKey::GenerateRsa(rng).value(),
                   crypto::PrivateKey::GenerateRsa(rng).value()};
  return keys;
}
}  // namespace

TEST_GROUP(Cps3Card) {
  FakeRandom rng{3};
  std::unique_ptr<Cps3Card> card;
  void setup() override {
    Cps3Config c;
    c.aut_key = crypto::PrivateKey::FromPem(TestKeys().aut.ToPem().value()).value();
    c.sig_key = crypto::PrivateKey::FromPem(TestKeys().sig.ToPem().value()).value();
    c.aut_cert = H("3003020101");
    c.sig_cert = H("3003020102");
    card = std::make_unique<Cps3Card>(std::move(c), rng);
  }
  Bytes Send(const char* hex) { return card->Process(H(hex)); }
  // Sends, and follows 61xx with GET RESPONSE like a T=0 terminal.
  Bytes Exchange(const char* hex) {
    Bytes r = Send(hex);
    Bytes data;
    while (r.size() == 2 && r[0] == 0x61) {
      Bytes get = {0x00, 0xC0, 0x00, 0x00, r[1]};
      r = card->Process(get);
      data.insert(data.end(), r.begin(), r.end() - 2);
      r.erase(r.begin(), r.end() - 2);
    }
    data.insert(data.end(), r.begin(), r.end());
    return data;
  }
};

TEST(Cps3Card, AtrIsByteExact) { CHECK(H("3bac00402a001225006480000310009000") == card->Atr()); }

TEST(Cps3Card, DetectSequenceFromTheTrace) {
  // cards.md §1.6 a) — Cryptolib's detection sequence.
  Bytes fcp = Exchange("00a40904043f00d003");
  CHECK(fcp.size() > 2);
  CHECK(H("9000") == Bytes(fcp.end() - 2, fcp.end()));
  LONGS_EQUAL(0x62, fcp[0]);
  Bytes sn = Send("00b000000c");
  CHECK(H("5a0a8025000001992138450f9000") == sn);
  CHECK(H("6a82") == Send("00a40904043f00d010"));
  CHECK(H("9000") == Send("00a4090c043f000001"));
  CHECK(H("9000") == Send("00a4090c023f00"));
}

TEST(Cps3Card, T0WrongLeGets6C) {
  CHECK(H("9000") == Send("00a4090c043f00d003"));
  CHECK(H("6c0c") == Send("00b0000000"));
  CHECK(H("6b00") == Send("00b0000c01"));
}

TEST(Cps3Card, GetResponseInPiecesAndWrongLe) {
  Bytes r = Send("00a40904043f00d003");
  LONGS_EQUAL(0x61, r[0]);
  const uint8_t total = r[1];
  Bytes want = {0x6C, total};
  CHECK(want == card->Process(Bytes{0x00, 0xC0, 0x00, 0x00, 0xFF}));
  Bytes part = card->Process(Bytes{0x00, 0xC0, 0x00, 0x00, 0x05});
  LONGS_EQUAL(7, part.size());
  LONGS_EQUAL(0x61, part[5]);
  LONGS_EQUAL(total - 5, part[6]);
}

TEST(Cps3Card, SelectRulesOfTheCpx) {
  CHECK(H("6a86") == Send("00a404000de828bd080f8025000001ff0010"));
  CHECK(H("9000") == Send("00a4040c0de828bd080f8025000001ff0010"));
  CHECK(H("6a86") == Send("00a40200025031"));
  Bytes odf = Exchange("00a40204025031");
  CHECK(H("9000") == Bytes(odf.end() - 2, odf.end()));
}

TEST(Cps3Card, AlwaysAnswersBadCommands) {
  CHECK(H("6700") == Send("00a4"));
  CHECK(H("6700") == Send("00a4090c053f00"));
  CHECK(H("6e00") == Send("80a4000c"));
  CHECK(H("6d00") == Send("00fe0000"));
  CHECK(H("6985") == Send("00c0000010"));
}

TEST(Cps3Card, PinTriesBlockAndPukUnblock) {
  CHECK(H("63c3") == Send("00200001"));
  CHECK(H("63c2") == Send("002000010430303030"));
  CHECK(H("63c1") == Send("002000010430303030"));
  CHECK(H("63c0") == Send("002000010430303030"));
  CHECK(H("6983") == Send("002000010431323334"));
  LONGS_EQUAL(0, card->pin_tries_left());
  CHECK(H("63c9") == Send("002c00010c"
                          "3030303030303030"
                          "35363738"));
  CHECK(H("9000") == Send("002c00010c"
                          "3132333435363738"
                          "35363738"));
  CHECK(H("63c2") == Send("002000010431323334"));
  CHECK(H("9000") == Send("002000010435363738"));
  CHECK(H("9000") == Send("00200001"));
}

TEST(Cps3Card, PinCountersThroughGetData) {
  // Same bytes as the real card's answer (cards.md §1.5).
  Bytes r = Exchange("00cb3fff0a4d087006bf810102a080");
  CHECK(H("7016bf810112a0109a01039b0103a1088c06f3000013ff009000") == r);
  Send("002000010430303030");
  r = Exchange("00cb3fff0a4d087006bf810102a080");
  LONGS_EQUAL(0x9B, r[11]);
  LONGS_EQUAL(0x02, r[13]);
  CHECK(H("6a88") == Send("00cb3fff0a4d087006bffb05027b80"));
}

TEST(Cps3Card, InternalAuthenticateNeedsThePin) {
  CHECK(H("9000") == Send("002241a406840182800102"));
  Bytes digest_info = crypto::Sha256DigestInfo(crypto::Sha256(AsBytes("challenge")));
  Bytes cmd = H("0088000033");
  Append(cmd, digest_info);
  CHECK(H("6982") == card->Process(cmd));
  CHECK(H("9000") == Send("002000010431323334"));
  Bytes r = card->Process(cmd);
  CHECK(H("6100") == r);
  Bytes sig = card->Process(H("00c0000000"));
  LONGS_EQUAL(258, sig.size());
  sig.resize(256);
  CHECK(
      TestKeys()
          .aut.public_key()
          .VerifyDigest(crypto::SignatureScheme::kRs256, crypto::Sha256(AsBytes("challenge")), sig)
          .ok());
}

TEST(Cps3Card, PsoHashWithPartialStateThenCds) {
  std::string message(150, 'x');
  auto partial = crypto::Sha256PartialBlocks(AsBytes(message));
  LONGS_EQUAL(128, partial.bytes_hashed);
  Bytes data = {0x90, 40};
  Append(data, partial.state);
  AppendU64Be(data, partial.bytes_hashed * 8);
  data.push_back(0x80);
  data.push_back(22);
  Append(data, AsBytes(message).subspan(128));
  Bytes hash_cmd = {0x00, 0x2A, 0x90, 0xA0, static_cast<uint8_t>(data.size())};
  Append(hash_cmd, data);
  CHECK(H("9000") == Send("002000010431323334"));
  CHECK(H("9000") == Send("002241aa03800140"));
  CHECK(H("9000") == Send("002241b606840181800142"));
  CHECK(H("6985") == Send("002a9e9a00"));
  CHECK(H("9000") == card->Process(hash_cmd));
  Bytes sig = Exchange("002a9e9a00");
  LONGS_EQUAL(258, sig.size());
  sig.resize(256);
  CHECK(TestKeys()
            .sig.public_key()
            .Verify(crypto::SignatureScheme::kRs256, AsBytes(message), sig)
            .ok());
  CHECK(H("6985") == Send("002a9e9a00"));  // the hash was consumed
}

TEST(Cps3Card, ResetLosesPinAndSecurityEnvironment) {
  CHECK(H("9000") == Send("002000010431323334"));
  CHECK(H("9000") == Send("002241a406840182800102"));
  card->Reset();
  CHECK(H("63c3") == Send("00200001"));
  CHECK(H("9000") == Send("002000010431323334"));
  CHECK(H("6985") == Send("0088000004aabbccdd"));
}

TEST(Cps3Card, SituationNeedsPinButIdentityDoesNot) {
  CHECK(H("9000") == Send("00a4090c043f000001"));
  CHECK(H("9000") == Send("00a4020c02d110"));
  Bytes r = Send("00b0000000");
  LONGS_EQUAL(0x6C, r[0]);
  CHECK(H("9000") == Send("00a4020c02d120"));
  CHECK(H("6982") == Send("00b0000010"));
}

}  // namespace carnet::cardsim
