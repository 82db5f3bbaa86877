#include "crypto/x509/cvc.h"

#include <initializer_list>

#include "crypto/x509/x509_test_support.h"

namespace carnet::crypto {
namespace {

using testing::k2024;
using testing::k2036;
using testing::kMid2026;
using testing::SmallPki;

// BER-TLV with the shortest definite length, as the encoder writes it.
Bytes T(uint16_t tag, ByteView value) {
  Bytes out;
  if (tag > 0xFF) out.push_back(static_cast<uint8_t>(tag >> 8));
  out.push_back(static_cast<uint8_t>(tag));
  if (value.size() >= 0x100) {
    out.insert(out.end(), {0x82, uint8_t(value.size() >> 8), uint8_t(value.size())});
  } else if (value.size() >= 0x80) {
    out.insert(out.end(), {0x81, uint8_t(value.size())});
  } else {
    out.push_back(static_cast<uint8_t>(value.size()));
  }
  Append(out, value);
  return out;
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) Append(out, p);
  return out;
}

// The body elements of the first test patient's CVC, rebuilt piece by piece so that each
// test can break exactly one thing.
struct Parts {
  Bytes profile = T(0x5F29, Bytes{0x00});
  Bytes car = T(0x42, ToBytes(kVitaleTestCar));
  Bytes key;
  Bytes chr;
  Bytes effective = T(0x5F25, Bytes{2, 5, 0, 1, 0, 1});
  Bytes expiry = T(0x5F24, Bytes{3, 5, 0, 1, 0, 1});
  Bytes signature;
  Parts() {
    auto cvc = DecodeCvc(SmallPki().patients[0].cvc);
    CHECK_OK(cvc);
    key = T(0x7F49, T(0x86, cvc->fields.public_point));
    chr = T(0x5F20, ToBytes(cvc->fields.chr));
    signature = T(0x5F37, cvc->signature);
  }
  Bytes Body() const { return T(0x7F4E, Cat({profile, car, key, chr, effective, expiry})); }
  Bytes Encode() const { return T(0x7F21, Cat({Body(), signature})); }
};

void CheckRejected(const Bytes& encoded, const char* reason) {
  CHECK_FAILS_WITH(DecodeCvc(encoded), StatusCode::kInvalidArgument, reason);
}

TEST_GROUP(Cvc){};

TEST(Cvc, DecodeAndVerifyTheTestPatientsCard) {
  const TestPatient& patient = SmallPki().patients[0];
  CHECK(Parts().Encode() == patient.cvc);  // the layout documented in cvc.h, byte for byte
  auto cvc = DecodeCvc(patient.cvc);
  CHECK_OK(cvc);
  STRCMP_EQUAL("284037511502730", cvc->fields.chr.c_str());
  STRCMP_EQUAL("FRVITALETESTCA01", cvc->fields.car.c_str());
  CHECK((cvc->fields.effective == CvDate{2025, 1, 1}));
  CHECK((cvc->fields.expiry == CvDate{2035, 1, 1}));
  const PublicKey ca = SmallPki().vitale_ca_key->public_key();
  CHECK_OK(VerifyCvc(*cvc, ca, kVitaleTestCar, kMid2026));
  auto card_key = CvcPublicKey(*cvc);
  CHECK_OK(card_key);
  CHECK(card_key->ToDer() == patient.card_key->public_key().ToDer());
}

TEST(Cvc, EncodeDecodeRoundTrip) {
  FakeRandom rng(31);
  auto card = PrivateKey::GenerateEcP256(rng);
  CHECK_OK(card);
  Bytes spki = card->public_key().ToDer();
  CvcFields f;
  f.car = "FRVITALETESTCA01";
  f.public_point.assign(spki.end() - 65, spki.end());
  f.chr = "157112A00401283";
  f.effective = {2024, 2, 29};
  f.expiry = {2029, 12, 31};
  auto encoded = EncodeCvc(f, *SmallPki().vitale_ca_key, rng);
  CHECK_OK(encoded);
  auto decoded = DecodeCvc(*encoded);
  CHECK_OK(decoded);
  CHECK(decoded->fields.public_point == f.public_point);
  CHECK((decoded->fields.effective == f.effective));
  CHECK_OK(VerifyCvc(*decoded, SmallPki().vitale_ca_key->public_key(), f.car, kMid2026));
  f.chr = "";
  CHECK_FAILS_WITH(EncodeCvc(f, *SmallPki().vitale_ca_key, rng), StatusCode::kInvalidArgument,
                   "CHR");
}

TEST(Cvc, VerificationFailures) {
  auto cvc = DecodeCvc(SmallPki().patients[0].cvc);
  CHECK_OK(cvc);
  const PublicKey ca = SmallPki().vitale_ca_key->public_key();
  CHECK_FAILS_WITH(
      VerifyCvc(*cvc, SmallPki().trace_log_key->public_key(), kVitaleTestCar, kMid2026),
      StatusCode::kUnauthenticated, "signature");
  CHECK_FAILS_WITH(VerifyCvc(*cvc, ca, "FRVITALETESTCA02", kMid2026), StatusCode::kUnauthenticated,
                   "expected");
  CHECK_FAILS_WITH(VerifyCvc(*cvc, ca, kVitaleTestCar, k2036), StatusCode::kUnauthenticated,
                   "expired");
  CHECK_FAILS_WITH(VerifyCvc(*cvc, ca, kVitaleTestCar, k2024), StatusCode::kUnauthenticated,
                   "not yet valid");
  // Another patient's NIR with the same signature: the CA never signed that binding.
  Parts p;
  p.chr = T(0x5F20, ToBytes("157112A00401283"));
  auto forged = DecodeCvc(p.Encode());
  CHECK_OK(forged);
  CHECK_FAILS_WITH(VerifyCvc(*forged, ca, kVitaleTestCar, kMid2026), StatusCode::kUnauthenticated,
                   "signature");
}

TEST(Cvc, DecoderRejectsBadFraming) {
  const Bytes good = Parts().Encode();
  CheckRejected({}, "truncated tag");
  Bytes indefinite = {0x7F, 0x21, 0x80};
  Append(indefinite, Cat({Parts().Body(), Parts().signature}));
  Append(indefinite, Bytes{0x00, 0x00});
  CheckRejected(indefinite, "indefinite length");
  CheckRejected(Bytes(good.begin(), good.end() - 1), "beyond the end");
  Bytes trailing = good;
  trailing.push_back(0x00);
  CheckRejected(trailing, "trailing bytes");
  Bytes wrong_outer = good;
  wrong_outer[1] = 0x22;
  CheckRejected(wrong_outer, "outer tag");
  CheckRejected(Bytes{0x7F, 0x21, 0x83, 0x00, 0x00, 0x01, 0x00},
                "length field longer than 2 bytes");
  CheckRejected(Bytes{0x7F, 0x21, 0x81, 0x01, 0x00}, "shortest form");
  CheckRejected(Bytes{0x7F, 0x81, 0x01, 0x00}, "tag longer than 2 bytes");
  CheckRejected(Bytes{0x5F, 0x05, 0x00}, "tag not in its shortest form");
  CheckRejected(Bytes{0x00, 0x7F, 0x21, 0x00}, "padding");
  CHECK_FAILS_WITH(DecodeCvc(Bytes(600, 0x7F)), StatusCode::kOutOfRange, "512");
}

TEST(Cvc, DecoderRejectsBadStructure) {
  Parts p;
  auto with_body = [&p](std::initializer_list<Bytes> items) {
    return T(0x7F21, Cat({T(0x7F4E, Cat(items)), p.signature}));
  };
  CheckRejected(with_body({p.profile, p.car, p.car, p.key, p.chr, p.effective, p.expiry}),
                "duplicate tag 42");
  CheckRejected(
      with_body({p.profile, p.car, p.key, p.chr, p.effective, p.expiry, T(0x53, ToBytes("x"))}),
      "unexpected tag 53");
  CheckRejected(with_body({p.profile, p.car, p.key, p.effective, p.expiry}), "missing tag 5F20");
  CheckRejected(with_body({p.profile, p.chr, p.key, p.car, p.effective, p.expiry}), "out of order");
  CheckRejected(T(0x7F21, p.Body()), "missing tag 5F37");
  CheckRejected(T(0x7F21, Cat({p.signature, p.Body()})), "out of order");
  CheckRejected(T(0x7F21, Cat({p.Body(), p.signature, p.signature})), "duplicate tag 5F37");
  // The key template holds exactly the point.
  p.key = T(0x7F49, Cat({T(0x86, Bytes(65, 0x04)), T(0x86, Bytes(65, 0x04))}));
  CheckRejected(p.Encode(), "duplicate tag 86");
}

TEST(Cvc, DecoderRejectsBadFields) {
  auto rejected_with = [](auto mutate, const char* reason) {
    Parts p;
    mutate(p);
    CheckRejected(p.Encode(), reason);
  };
  rejected_with([](Parts& p) { p.profile = T(0x5F29, Bytes{0x01}); }, "unknown profile");
  rejected_with([](Parts& p) { p.profile = T(0x5F29, Bytes{0x00, 0x00}); }, "one byte");
  rejected_with([](Parts& p) { p.car = T(0x42, ToBytes("FRVITALETESTCA01X")); }, "CAR");
  rejected_with([](Parts& p) { p.car = T(0x42, Bytes{'A', 0x01}); }, "CAR");
  rejected_with([](Parts& p) { p.chr = T(0x5F20, {}); }, "CHR");
  rejected_with([](Parts& p) { p.key = T(0x7F49, T(0x86, Bytes(33, 0x02))); }, "uncompressed");
  rejected_with([](Parts& p) { p.effective = T(0x5F25, Bytes{2, 5, 0, 1, 0}); }, "6 digits");
  rejected_with([](Parts& p) { p.effective = T(0x5F25, Bytes{2, 5, 0, 1, 0, 0x0A}); }, "digit");
  rejected_with([](Parts& p) { p.effective = T(0x5F25, Bytes{2, 5, 0, 2, 3, 0}); }, "impossible");
  rejected_with([](Parts& p) { p.expiry = T(0x5F24, Bytes{2, 4, 0, 1, 0, 1}); }, "expiry before");
  rejected_with([](Parts& p) { p.signature = T(0x5F37, Bytes(63, 1)); }, "64 bytes");
}

TEST(Cvc, PointNotOnTheCurveHasNoPublicKey) {
  Parts p;
  Bytes point(65, 0x01);
  point[0] = 0x04;
  p.key = T(0x7F49, T(0x86, point));
  auto cvc = DecodeCvc(p.Encode());
  CHECK_OK(cvc);  // framing is fine; the key is not
  CHECK(!CvcPublicKey(*cvc).ok());
}

}  // namespace
}  // namespace carnet::crypto
