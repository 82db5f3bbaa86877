// VitaleCard against the card simulator's APDU engine (tests/cardsim, the same code that
// answers through pcscd in the integration test) behind a FakeCardReader. Malformed files are
// injected by substituting the content of one EF in the READ BINARY answer.
#include "firmware/vitale/vitale_card.h"

#include <cstdio>
#include <map>

#include "crypto/x509/cvc.h"
#include "firmware/vitale/presence_proof.h"
#include "hal/base/tlv.h"
#include "hal/card/fake_card_reader.h"
#include "tests/cardsim/vitale_card.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::vitale {
namespace {

using crypto::PrivateKey;
constexpr UnixMillis kMid2026 = 1782864000000;  // 2026-07-01T00:00:00Z
constexpr UnixMillis kYear2040 = 2208988800000;
constexpr char kCar[] = "FRVITALETESTCA01";
constexpr char kInsured[] = "284037511502730";
constexpr char kChild[] = "116097511523106";
constexpr char kReader[] = "Fake Reader 0";

Bytes H(const char* hex) { return HexDecode(hex).value(); }
int Code(const Status& s) { return static_cast<int>(s.code()); }
int Code(StatusCode c) { return static_cast<int>(c); }

PrivateKey Copy(const PrivateKey& k) { return PrivateKey::FromPem(k.ToPem().value()).value(); }

Bytes MakeCvc(const PrivateKey& ca,
              const PrivateKey& card,
              const std::string& chr,
              Random& rng,
              const char* car = kCar) {
  Bytes spki = card.public_key().ToDer();
  crypto::CvcFields f;
  f.car = car;
  f.public_point.assign(spki.end() - 65, spki.end());  // last 65 bytes of a P-256 SPKI
  f.chr = chr;
  f.effective = {2025, 1, 1};
  f.expiry = {2035, 1, 1};
  return crypto::EncodeCvc(f, ca, rng).value();
}

}  // namespace

TEST_GROUP(VitaleCard) {
  FakeRandom rng{7};
  PrivateKey ca = PrivateKey::GenerateEcP256(rng).value();
  PrivateKey card_key = PrivateKey::GenerateEcP256(rng).value();
  cardsim::VitaleConfig config;
  std::unique_ptr<cardsim::VitaleCard> sim;
  hal::FakeCardReader reader;
  std::map<uint16_t, Bytes> substitute;  // EF id -> content served instead of the real one
  uint16_t selected = 0;

  void setup() override {
    cardsim::Beneficiary insured;
    insured.nir = kInsured;
    insured.last_name = "BERNARD";
    insured.first_name = "CAMILLE";
    insured.birth_date = "19840312";
    cardsim::Beneficiary child;
    child.nir = kChild;
    child.last_name = "BERNARD";
    child.first_name = "LUCAS";
    child.birth_date = "20160905";
    child.quality = "06";
    config.beneficiaries = {insured, child};
    config.card_key = Copy(card_key);
    config.cvc = MakeCvc(ca, card_key, kInsured, rng);
  }
  // Builds the simulated card from `config` and connects the reader to it.
  void Insert() {
    sim = std::make_unique<cardsim::VitaleCard>(std::move(config), rng);
    reader.AddReader(kReader);
    reader.InsertCard(kReader, sim->Atr());
    CHECK(reader.Connect(kReader, hal::ShareMode::kShared).ok());
    reader.SetHandler([this](ByteView c) { return Answer(c); });
  }
  Bytes Answer(ByteView c) {
    if (c.size() == 7 && c[1] == 0xA4 && c[2] == 0x02) selected = ReadU16Be(c.subspan(5));
    auto it = substitute.find(selected);
    if (c.size() == 5 && c[1] == 0xB0 && it != substitute.end()) {
      Bytes r = it->second;
      Append(r, H("9000"));
      return r;
    }
    return sim->Process(c);
  }
  VitaleTrust Trust() { return VitaleTrust{ca.public_key(), kCar}; }
  Bytes RequestId() { return rng.Generate(kRequestIdSize).value(); }
};

TEST(VitaleCard, ReadsInsuredAndBeneficiaries) {
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  const VitaleContents& c = card.contents();
  STRCMP_EQUAL("20240101", c.card_valid_from.c_str());
  LONGS_EQUAL(2, c.identities.size());
  LONGS_EQUAL(0, c.identities[0].rank);
  STRCMP_EQUAL(kInsured, c.identities[0].nir.c_str());
  STRCMP_EQUAL("BERNARD", c.identities[0].surname.c_str());
  STRCMP_EQUAL("CAMILLE", c.identities[0].given_name.c_str());
  STRCMP_EQUAL("19840312", c.identities[0].birth_date.c_str());
  STRCMP_EQUAL("FRA", c.identities[0].nationality.c_str());
  STRCMP_EQUAL("00", c.identities[0].quality.c_str());
  LONGS_EQUAL(1, c.identities[1].rank);
  STRCMP_EQUAL(kChild, c.identities[1].nir.c_str());
  STRCMP_EQUAL("LUCAS", c.identities[1].given_name.c_str());
  STRCMP_EQUAL("06", c.identities[1].quality.c_str());
  CHECK(crypto::DecodeCvc(c.cvc).ok());
}

TEST(VitaleCard, VerifiesAuthenticatesAndProvesPresence) {
  Insert();
  VitaleCard card(reader);
  reader.ResetStats();
  CHECK(card.Read().ok());
  const uint64_t read_apdus = reader.stats().apdus;
  CHECK(card.VerifyCertificate(Trust(), kMid2026).ok());
  CHECK(card.Authenticate(rng).ok());
  CHECK(card.authenticated());
  std::printf("\n  Vitale read: %llu APDUs, read + authenticate: %llu APDUs",
              static_cast<unsigned long long>(read_apdus),
              static_cast<unsigned long long>(reader.stats().apdus));
  const Bytes id = RequestId();
  auto proof = card.PresenceProof(id);
  CHECK(proof.ok());
  LONGS_EQUAL(64, proof->signature.size());
  CHECK(proof->cvc == card.contents().cvc);
  auto holder = VerifyPresenceProof(proof->cvc, proof->signature, id, Trust(), kMid2026);
  CHECK(holder.ok());
  STRCMP_EQUAL(kInsured, holder->c_str());
}

TEST(VitaleCard, RejectsInsuredWithBadNirKey) {
  config.beneficiaries[0].nir = "284037511502731";
  Insert();
  VitaleCard card(reader);
  LONGS_EQUAL(Code(StatusCode::kInvalidArgument), Code(card.Read()));
  CHECK(card.contents().identities.empty());  // nothing half-read is left behind
}

TEST(VitaleCard, RejectsBeneficiaryWithBadNirKey) {
  config.beneficiaries[1].nir = "116097511523107";
  Insert();
  VitaleCard card(reader);
  LONGS_EQUAL(Code(StatusCode::kInvalidArgument), Code(card.Read()));
}

TEST(VitaleCard, RejectsCertificateNotUnderTheCa) {
  PrivateKey impostor = PrivateKey::GenerateEcP256(rng).value();
  config.cvc = MakeCvc(impostor, card_key, kInsured, rng);  // same CAR, another CA key
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  LONGS_EQUAL(Code(StatusCode::kUnauthenticated), Code(card.VerifyCertificate(Trust(), kMid2026)));
  LONGS_EQUAL(Code(StatusCode::kFailedPrecondition), Code(card.Authenticate(rng)));
}

TEST(VitaleCard, RejectsCertificateOfAnotherCaReference) {
  config.cvc = MakeCvc(ca, card_key, kInsured, rng, "FRVITALETESTCA02");
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  LONGS_EQUAL(Code(StatusCode::kUnauthenticated), Code(card.VerifyCertificate(Trust(), kMid2026)));
}

TEST(VitaleCard, RejectsExpiredCertificate) {
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  LONGS_EQUAL(Code(StatusCode::kUnauthenticated), Code(card.VerifyCertificate(Trust(), kYear2040)));
}

TEST(VitaleCard, RejectsCertificateOfAnotherInsured) {
  // A genuine certificate for JEAN PETIT next to CAMILLE BERNARD's identity file.
  config.cvc = MakeCvc(ca, card_key, "157112A00401283", rng);
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  LONGS_EQUAL(Code(StatusCode::kUnauthenticated), Code(card.VerifyCertificate(Trust(), kMid2026)));
}

TEST(VitaleCard, RejectsCardWithoutTheCertifiedKey) {
  // A clone: the public files and certificate of the genuine card, another private key.
  config.card_key = PrivateKey::GenerateEcP256(rng).value();
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  CHECK(card.VerifyCertificate(Trust(), kMid2026).ok());
  LONGS_EQUAL(Code(StatusCode::kUnauthenticated), Code(card.Authenticate(rng)));
  CHECK(!card.authenticated());
  LONGS_EQUAL(Code(StatusCode::kFailedPrecondition),
              Code(card.PresenceProof(RequestId()).status()));
}

TEST(VitaleCard, RejectsCardWithoutCertificate) {
  config.cvc.clear();
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  LONGS_EQUAL(Code(StatusCode::kUnauthenticated), Code(card.VerifyCertificate(Trust(), kMid2026)));
}

TEST(VitaleCard, RejectsMalformedCertificate) {
  Insert();
  substitute[0x2010] = H("7f2103010203");
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  LONGS_EQUAL(Code(StatusCode::kUnauthenticated), Code(card.VerifyCertificate(Trust(), kMid2026)));
}

TEST(VitaleCard, AuthenticateNeedsAVerifiedCertificate) {
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  LONGS_EQUAL(Code(StatusCode::kFailedPrecondition), Code(card.Authenticate(rng)));
}

TEST(VitaleCard, CardResetEndsTheAuthentication) {
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  CHECK(card.VerifyCertificate(Trust(), kMid2026).ok());
  CHECK(card.Authenticate(rng).ok());
  CHECK(reader.ResetCard().ok());
  CHECK(!card.authenticated());
  LONGS_EQUAL(Code(StatusCode::kFailedPrecondition),
              Code(card.PresenceProof(RequestId()).status()));
  CHECK(card.Authenticate(rng).ok());
  CHECK(card.PresenceProof(RequestId()).ok());
}

TEST(VitaleCard, PresenceProofNeedsA16ByteRequestId) {
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  CHECK(card.VerifyCertificate(Trust(), kMid2026).ok());
  CHECK(card.Authenticate(rng).ok());
  LONGS_EQUAL(Code(StatusCode::kInvalidArgument),
              Code(card.PresenceProof(rng.Generate(32).value()).status()));
}

TEST(VitaleCard, NotAVitaleCard) {
  reader.AddReader(kReader);
  reader.InsertCard(kReader, H("3b751300004709ea9000"));
  CHECK(reader.Connect(kReader, hal::ShareMode::kShared).ok());
  reader.SetHandler([](ByteView) { return H("6a82"); });
  VitaleCard card(reader);
  LONGS_EQUAL(Code(StatusCode::kNotFound), Code(card.Read()));
}

TEST(VitaleCard, CardErrorDuringReadIsDataLoss) {
  Insert();
  reader.SetHandler([this](ByteView c) {
    if (c.size() == 5 && c[1] == 0xB0 && selected == 0x2004) return H("6f00");
    return Answer(c);
  });
  VitaleCard card(reader);
  LONGS_EQUAL(Code(StatusCode::kDataLoss), Code(card.Read()));
}

// Each malformed file is refused with kDataLoss.
TEST(VitaleCard, RejectsMalformedFiles) {
  Insert();
  const std::pair<uint16_t, const char*> cases[] = {
      {0x2001, "e0"},                                      // truncated
      {0x2001, "e1026100"},                                // wrong template
      {0x2001, "e004a0058000"},                            // inner length overruns
      {0x2001, "e011a00f800841535355524520208203200400"},  // FID of 3 bytes
      {0x2001, "e002a000"},                                // empty entry
      {0x2004, "65"},                                      // truncated
      {0x2004, "660480024142"},                            // wrong template
      {0x2004,
       "6503800142"
       "9000"},                                          // trailing bytes
      {0x2004, "6514800142"},                            // length past the end
      {0x2004, "658103800142"},                          // overlong length form
      {0x2004, "651080014281014382083139383430333132"},  // no NIR
      {0x2002, "66038001"},                              // truncated value
      {0x2002, "66068004323032347f"},                    // element without length
  };

  for (const auto& [fid, hex] : cases) {
    substitute.clear();
    substitute[fid] = H(hex);
    VitaleCard card(reader);
    const Status s = card.Read();
    if (s.code() != StatusCode::kDataLoss) {
      FAIL((std::string("accepted or wrong code for ") + hex + ": " + s.ToString()).c_str());
    }
  }
}

// The parsers on their own, one test per rejection reason.
TEST(VitaleCard, ParseIdentityRejections) {
  auto id = [&](const std::vector<std::pair<uint32_t, std::string>>& fields) {
    Bytes v;
    for (const auto& [tag, text] : fields) AppendTlv(v, tag, ToBytes(text));
    return EncodeTlv(0x65, v);
  };
  const std::vector<std::pair<uint32_t, std::string>> good = {
      {0x90, "FRA"}, {0x93, kInsured}, {0x80, "BERNARD"}, {0x81, "CAMILLE"}, {0x82, "19840312"}};
  CHECK(ParseIdentity(id(good), 0).ok());
  auto with = [&](uint32_t tag, std::string value) {
    auto f = good;
    for (auto& [t, v] : f) {
      if (t == tag) v = std::move(value);
    }
    return id(f);
  };
  LONGS_EQUAL(Code(StatusCode::kInvalidArgument),
              Code(ParseIdentity(with(0x93, "284037511502731"), 0).status()));
  LONGS_EQUAL(Code(StatusCode::kInvalidArgument),
              Code(ParseIdentity(with(0x93, "28403751150273"), 0).status()));
  LONGS_EQUAL(Code(StatusCode::kDataLoss),
              Code(ParseIdentity(with(0x93, "2840375115027300"), 0).status()));
  LONGS_EQUAL(Code(StatusCode::kDataLoss), Code(ParseIdentity(with(0x82, "1984031"), 0).status()));
  LONGS_EQUAL(Code(StatusCode::kDataLoss), Code(ParseIdentity(with(0x82, "1984O312"), 0).status()));
  LONGS_EQUAL(Code(StatusCode::kDataLoss), Code(ParseIdentity(with(0x80, ""), 0).status()));
  LONGS_EQUAL(Code(StatusCode::kDataLoss),
              Code(ParseIdentity(with(0x80, std::string(65, 'A')), 0).status()));
  LONGS_EQUAL(Code(StatusCode::kDataLoss),
              Code(ParseIdentity(with(0x81, "CAM\nILLE"), 0).status()));
  LONGS_EQUAL(Code(StatusCode::kDataLoss), Code(ParseIdentity(with(0x90, "FRAN"), 0).status()));
  auto dup = good;
  dup.push_back({0x80, "OTHER"});
  LONGS_EQUAL(Code(StatusCode::kDataLoss), Code(ParseIdentity(id(dup), 0).status()));
  auto missing = good;
  missing.erase(missing.begin() + 1);
  LONGS_EQUAL(Code(StatusCode::kDataLoss), Code(ParseIdentity(id(missing), 0).status()));
}

TEST(VitaleCard, ParsePointerMapRejections) {
  auto good = ParsePointerMap(H("e010a00e8008415353555245202082022004"));
  CHECK(good.ok());
  LONGS_EQUAL(1, good->size());
  STRCMP_EQUAL("ASSURE  ", (*good)[0].name.c_str());
  LONGS_EQUAL(0x2004, (*good)[0].fid);
  CHECK(!ParsePointerMap(H("e010a00a8008415353555245202082022004")).ok());          // entry length
  CHECK(!ParsePointerMap(H("e013a011800841535355524520208202200483010000")).ok());  // trailing
  CHECK(!ParsePointerMap(H("e013a0118008415353555245202082022004830100")).ok());    // extra field
  CHECK(!ParsePointerMap(H("e010a10e8008415353555245202082022004")).ok());          // entry tag
  CHECK(!ParsePointerMap(H("e010a00e8008415353555245002082022004")).ok());          // non-printable
  CHECK(!ParsePointerMap(H("e00fa00d80074153535552452082022004")).ok());            // 7-char name
  // More entries than kMaxPointers.
  Bytes many;
  for (size_t i = 0; i <= kMaxPointers; ++i) Append(many, H("a00e8008415353555245202082022004"));
  CHECK(!ParsePointerMap(EncodeTlv(0xE0, many)).ok());
}

TEST(VitaleCard, VerifyPresenceProofRejections) {
  Insert();
  VitaleCard card(reader);
  CHECK(card.Read().ok());
  CHECK(card.VerifyCertificate(Trust(), kMid2026).ok());
  CHECK(card.Authenticate(rng).ok());
  const Bytes id = RequestId();
  auto proof = card.PresenceProof(id).value();
  CHECK(VerifyPresenceProof(proof.cvc, proof.signature, id, Trust(), kMid2026).ok());
  // Another request id: the proof does not transfer.
  Bytes other = id;
  other[0] ^= 1;
  LONGS_EQUAL(
      Code(StatusCode::kUnauthenticated),
      Code(VerifyPresenceProof(proof.cvc, proof.signature, other, Trust(), kMid2026).status()));
  // A flipped signature bit.
  Bytes sig = proof.signature;
  sig[10] ^= 0x40;
  LONGS_EQUAL(Code(StatusCode::kUnauthenticated),
              Code(VerifyPresenceProof(proof.cvc, sig, id, Trust(), kMid2026).status()));
  // A tampered certificate (a byte of the public key), another CA, another CAR, expired.
  Bytes cvc = proof.cvc;
  cvc[40] ^= 1;
  CHECK(!VerifyPresenceProof(cvc, proof.signature, id, Trust(), kMid2026).ok());
  PrivateKey other_ca = PrivateKey::GenerateEcP256(rng).value();
  CHECK(!VerifyPresenceProof(proof.cvc, proof.signature, id,
                             VitaleTrust{other_ca.public_key(), kCar}, kMid2026)
             .ok());
  CHECK(!VerifyPresenceProof(proof.cvc, proof.signature, id,
                             VitaleTrust{ca.public_key(), "FRVITALEOTHER"}, kMid2026)
             .ok());
  CHECK(!VerifyPresenceProof(proof.cvc, proof.signature, id, Trust(), kYear2040).ok());
  // Request id of the wrong size; garbage certificate; empty signature.
  LONGS_EQUAL(
      Code(StatusCode::kInvalidArgument),
      Code(VerifyPresenceProof(proof.cvc, proof.signature, ByteView(id).first(8), Trust(), kMid2026)
               .status()));
  CHECK(!VerifyPresenceProof(H("7f2100"), proof.signature, id, Trust(), kMid2026).ok());
  CHECK(!VerifyPresenceProof(proof.cvc, Bytes{}, id, Trust(), kMid2026).ok());
}

TEST(VitaleCard, VerifyPresenceProofRejectsACertificateWhoseHolderIsNotANir) {
  PrivateKey key = PrivateKey::GenerateEcP256(rng).value();
  const Bytes cvc = MakeCvc(ca, key, "NOT-A-NIR", rng);
  const Bytes id = RequestId();
  const Bytes sig = key.Sign(crypto::SignatureScheme::kEs256, id, rng).value();
  LONGS_EQUAL(Code(StatusCode::kInvalidArgument),
              Code(VerifyPresenceProof(cvc, sig, id, Trust(), kMid2026).status()));
}

}  // namespace carnet::fw::vitale
