// ATR detection, status-word mapping, APDU bytes and the holder-data parsers.
#include "firmware/cps/cps_internal.h"
#include "hal/base/tlv.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::cps {
namespace {
Bytes H(const char* hex) { return HexDecode(hex).value(); }
Bytes Ser(const hal::CommandApdu& c) { return c.Serialize().value(); }
}  // namespace

TEST_GROUP(CardType){};

TEST(CardType, Cps3AndCps4) {
  // cards.md §1.2 (Cryptolib card-cps.c, pcsc-tools list).
  CHECK(DetectCardType(H("3bac00402a001225006480000310009000")) == CardType::kCps3);
  CHECK(DetectCardType(H("3bac00402a001225006480820212009000")) == CardType::kCps3);
  CHECK(DetectCardType(H("3b9b188001001225006480040100009044")) == CardType::kCps3);
  CHECK(DetectCardType(H("3bdc18ff001225006480000401009000")) == CardType::kUnknown);  // 16 B
  CHECK(DetectCardType(H("3bdc18ff00001225006480000401009000")) == CardType::kCps3);
  STRCMP_EQUAL("CPS3", std::string(CardTypeName(CardType::kCps3)).c_str());
}

TEST(CardType, Vitale) {
  CHECK(DetectCardType(H("3b751300004709ea9000")) == CardType::kVitale);
  CHECK(DetectCardType(H("3b751300004509fa9000")) == CardType::kVitale);
  CHECK(DetectCardType(H("3f6525002c09f69000")) == CardType::kVitale);
  CHECK(DetectCardType(H("3f652500a309699000")) == CardType::kVitale);
}

TEST(CardType, UnknownAndTruncated) {
  CHECK(DetectCardType({}) == CardType::kUnknown);
  CHECK(DetectCardType(H("3bac00402a0012250064800003100090")) == CardType::kUnknown);
  CHECK(DetectCardType(H("3bac00402a00122500648000031000900000")) == CardType::kUnknown);
  CHECK(DetectCardType(H("3bac00402a001225006480000310009001")) == CardType::kUnknown);
  // Contactless CPS3: no PIN, no signature → not usable as a CPS here.
  CHECK(DetectCardType(H("3b8f8001804f0ca000000306110003000000009000")) == CardType::kUnknown);
  CHECK(DetectCardType(H("3b751300004709eb9000")) == CardType::kUnknown);
}

TEST_GROUP(SwMapping){};

TEST(SwMapping, EachStatusWord) {
  Status s = SwToStatus(0x63C2, "VERIFY");
  CHECK(s.code() == StatusCode::kUnauthenticated);
  CHECK(s.message().find("2 tries left") != std::string::npos);
  CHECK(SwToStatus(0x6983, "x").code() == StatusCode::kPermissionDenied);
  s = SwToStatus(0x6982, "PSO");
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  CHECK(s.message().find("verify the PIN first") != std::string::npos);
  CHECK(SwToStatus(0x6A82, "x").code() == StatusCode::kNotFound);
  CHECK(SwToStatus(0x6A88, "x").code() == StatusCode::kNotFound);
  CHECK(SwToStatus(0x6985, "x").code() == StatusCode::kFailedPrecondition);
  CHECK(SwToStatus(0x6700, "x").code() == StatusCode::kInvalidArgument);
  CHECK(SwToStatus(0x6D00, "x").code() == StatusCode::kUnimplemented);
  s = SwToStatus(0x6F12, "READ");
  CHECK(s.code() == StatusCode::kInternal);
  CHECK(s.message().find("READ") == 0);
  CHECK(s.message().find("6F12") != std::string::npos);
}

TEST_GROUP(Apdus){};

TEST(Apdus, BytesOfTheSequences) {
  // cards.md §1.6 c) and d).
  CHECK(H("002241a406840182800102") == Ser(internal::MseSetAtAut()));
  CHECK(H("002241aa03800140") == Ser(internal::MseSetHtSha256()));
  CHECK(H("002241b606840181800142") == Ser(internal::MseSetDstSig()));
  CHECK(H("002a9e9a00") == Ser(internal::PsoComputeSignature()));
  CHECK(H("0020000100") != Ser(internal::VerifyCmd({})));
  CHECK(H("00200001") == Ser(internal::VerifyCmd({})));
  CHECK(H("00b07ffee7") == Ser(internal::ReadBinary(0x7FFE, 0xE7)));
}

TEST(Apdus, PsoHashPartialState) {
  // Shorter than a block: 90 00 80 n data.
  Bytes small(10, 0x41);
  CHECK(H("002a90a00e9000800a41414141414141414141") == Ser(internal::PsoHash(small)));
  // 130 bytes: two whole blocks hashed here (counter 1024 bits), 2-byte tail.
  Bytes msg(130, 0x61);
  hal::CommandApdu c = internal::PsoHash(msg);
  auto items = ParseTlvList(c.data).value();
  auto pre = FindTlv(items, 0x90).value();
  LONGS_EQUAL(40, pre.value.size());
  CHECK(H("0000000000000400") == Bytes(pre.value.begin() + 32, pre.value.end()));
  crypto::Sha256Partial p;
  std::copy(pre.value.begin(), pre.value.begin() + 32, p.state.begin());
  p.bytes_hashed = 128;
  auto tail = FindTlv(items, 0x80).value();
  LONGS_EQUAL(2, tail.value.size());
  CHECK(crypto::Sha256(msg) == crypto::Sha256FinishFromPartial(p, tail.value));
  // A multiple of 64: empty tail 80 00 (the card must accept it, cards.md §1.6).
  Bytes exact(64, 0x62);
  Bytes d = internal::PsoHash(exact).data;
  CHECK(H("8000") == Bytes(d.end() - 2, d.end()));
}

TEST_GROUP(Parsers){};

TEST(Parsers, CardNumber) {
  STRCMP_EQUAL("992138450",
               internal::ParseCardNumber(H("5a0a8025000001992138450f")).value().c_str());
  CHECK(!internal::ParseCardNumber(H("5a0a8025000001992138450f00")).ok());  // 13 bytes
  CHECK(!internal::ParseCardNumber(H("5a0a8025000002992138450f")).ok());    // issuer
  CHECK(!internal::ParseCardNumber(H("5a0a80250000019921a8450f")).ok());    // not BCD
  CHECK(!internal::ParseCardNumber(H("5a0a8025000001f9213845ff")).ok());    // digit after F
  CHECK(!internal::ParseCardNumber(H("5a0a8025000001ffffffffff")).ok());    // empty
}

TEST(Parsers, FcpSize) {
  // The traced EF.SN.ICC FCP starts 62 25 80 02 00 0C 82 01 01 (cards.md §1.4).
  LONGS_EQUAL(12, internal::FcpFileSize(H("62078002000c820101")).value());
  LONGS_EQUAL(300, internal::FcpFileSize(H("62048102012c")).value());
  CHECK(!internal::FcpFileSize(H("6f078002000c820101")).ok());    // not an FCP template
  CHECK(!internal::FcpFileSize(H("62078002000c8201")).ok());      // truncated
  CHECK(!internal::FcpFileSize(H("62078002000c82010100")).ok());  // trailing byte
  CHECK(!internal::FcpFileSize(H("6203820101")).ok());            // no size
  CHECK(!internal::FcpFileSize(H("62028000")).ok());              // empty size
  CHECK(!internal::FcpFileSize(H("62058003000010")).ok());        // 3-byte size
  CHECK(!internal::FcpFileSize(H("620480027fff")).ok());          // too large
}

TEST(Parsers, NamePs) {
  // A0 { 80 "0", 81 "8", 82 idNat, 84 surname, 85 given name } (tests/cardsim/README.md).
  HolderIdentity id;
  Bytes inner;
  AppendTlv(inner, 0x80, H("30"));
  AppendTlv(inner, 0x81, H("38"));
  AppendTlv(inner, 0x82, H("383939373030323138383936"));
  AppendTlv(inner, 0x84, H("4d454445"));
  AppendTlv(inner, 0x85, H("5041554c"));
  CHECK(internal::ParseNamePs(EncodeTlv(0xA0, inner), id).ok());
  STRCMP_EQUAL("899700218896", id.id_nat.c_str());
  STRCMP_EQUAL("MEDE", id.surname.c_str());
  STRCMP_EQUAL("PAUL", id.given_name.c_str());
  HolderIdentity other;
  CHECK(!internal::ParseNamePs(EncodeTlv(0xA1, inner), other).ok());  // wrong template
  Bytes trailing = EncodeTlv(0xA0, inner);
  trailing.push_back(0x00);
  CHECK(internal::ParseNamePs(trailing, other).code() == StatusCode::kDataLoss);
  Bytes no_id;
  AppendTlv(no_id, 0x84, H("4d454445"));
  CHECK(!internal::ParseNamePs(EncodeTlv(0xA0, no_id), other).ok());  // idNat missing
  Bytes control;
  AppendTlv(control, 0x82, H("3839000a"));
  AppendTlv(control, 0x84, H("4d454445"));
  CHECK(!internal::ParseNamePs(EncodeTlv(0xA0, control), other).ok());  // control chars
  Bytes bad_inner = H("82054142");                                      // length beyond the value
  CHECK(!internal::ParseNamePs(EncodeTlv(0xA0, bad_inner), other).ok());
}

TEST(Parsers, InfoAndSituation) {
  HolderIdentity id;
  Bytes info;
  AppendTlv(info, 0x80, H("3130"));
  AppendTlv(info, 0x82, H("534d3534"));
  CHECK(internal::ParseInfoPs(EncodeTlv(0xA1, info), id).ok());
  STRCMP_EQUAL("10", id.profession.c_str());
  STRCMP_EQUAL("SM54", id.specialty.c_str());
  CHECK(!internal::ParseInfoPs(EncodeTlv(0xA1, H("8202534d")), id).ok());  // no profession
  Bytes sit;
  AppendTlv(sit, 0x80, H("01"));
  AppendTlv(sit, 0x81, H("4c"));
  auto s = internal::ParseSituation(EncodeTlv(0xA2, sit));
  CHECK(s.ok());
  LONGS_EQUAL(1, s->index);
  STRCMP_EQUAL("L", s->mode.c_str());
  CHECK(!internal::ParseSituation(EncodeTlv(0xA2, H("80020101"))).ok());  // index 2 bytes
  CHECK(!internal::ParseSituation(EncodeTlv(0xA2, H("81014c"))).ok());    // no index
  CHECK(!internal::ParseSituation(H("a2")).ok());                         // truncated
}

}  // namespace carnet::fw::cps
