#include "hal/card/apdu.h"

#include <CppUTest/TestHarness.h>

namespace carnet::hal {
namespace {
Bytes H(const char* hex) { return HexDecode(hex).value(); }
}  // namespace

TEST_GROUP(Apdu){};

TEST(Apdu, SerializesTheFourShortCases) {
  CHECK(H("00a4000c") == CommandApdu::Make(0, 0xA4, 0, 0x0C).Serialize().value());
  CHECK(H("0084000008") == CommandApdu::MakeLe(0, 0x84, 0, 0, 8).Serialize().value());
  CHECK(H("00b0000000") == CommandApdu::MakeLe(0, 0xB0, 0, 0, 256).Serialize().value());
  CHECK(H("00a4090c023f00") ==
        CommandApdu::MakeData(0, 0xA4, 9, 0x0C, H("3f00")).Serialize().value());
  CHECK(H("0088000003010203"
          "00") == CommandApdu::MakeDataLe(0, 0x88, 0, 0, H("010203"), 256).Serialize().value());
}

TEST(Apdu, SerializesExtendedWhenShortDoesNotFit) {
  Bytes big(300, 0xAB);
  Bytes raw = CommandApdu::MakeDataLe(0, 0x2A, 0x80, 0x86, big, 65536).Serialize().value();
  LONGS_EQUAL(4 + 3 + 300 + 2, raw.size());
  CHECK(raw[4] == 0 && raw[5] == 0x01 && raw[6] == 0x2C);
  CHECK(raw[307] == 0 && raw[308] == 0);
  CHECK(H("00b00000000200") == CommandApdu::MakeLe(0, 0xB0, 0, 0, 512).Serialize().value());
}

TEST(Apdu, SerializeAllocatesOnce) {
  // Growing the buffer would free a copy of the command data (a VERIFY's PIN block) unwiped:
  // the serialized command must be built in one allocation of exactly its size.
  const Bytes pin = ToBytes("1234\xff\xff\xff\xff");
  for (bool extended : {false, true}) {
    CommandApdu verify = CommandApdu::MakeDataLe(0, 0x20, 0, 0x01, pin, 256);
    verify.force_extended = extended;
    Bytes raw = verify.Serialize().value();
    LONGS_EQUAL(extended ? 4 + 3 + 8 + 2 : 4 + 1 + 8 + 1, raw.size());
    LONGS_EQUAL(raw.size(), raw.capacity());
  }
  Bytes case2 = CommandApdu::MakeLe(0, 0xB0, 0, 0, 512).Serialize().value();
  LONGS_EQUAL(case2.size(), case2.capacity());
}

TEST(Apdu, SerializeRejectsBadLe) {
  CHECK_FALSE(CommandApdu::MakeLe(0, 0xB0, 0, 0, 0).Serialize().ok());
  CHECK_FALSE(CommandApdu::MakeLe(0, 0xB0, 0, 0, 65537).Serialize().ok());
  CommandApdu a = CommandApdu::MakeData(0, 0xD6, 0, 0, Bytes(65536, 0));
  CHECK_FALSE(a.Serialize().ok());
}

TEST(Apdu, ParsesEveryIsoCase) {
  auto c1 = CommandApdu::Parse(H("00a4000c")).value();
  CHECK(c1.data.empty() && !c1.le);
  auto c2 = CommandApdu::Parse(H("00c0000000")).value();
  LONGS_EQUAL(256, *c2.le);
  auto c3 = CommandApdu::Parse(H("002000010431323334")).value();
  CHECK(c3.data == H("31323334") && !c3.le);
  auto c4 = CommandApdu::Parse(H("0088000002aabb10")).value();
  CHECK(c4.data == H("aabb"));
  LONGS_EQUAL(16, *c4.le);
  auto c2e = CommandApdu::Parse(H("00b00000000000")).value();
  LONGS_EQUAL(65536, *c2e.le);
  auto c3e = CommandApdu::Parse(H("00d600000000021122")).value();
  CHECK(c3e.data == H("1122") && !c3e.le && c3e.IsExtended());
  auto c4e = CommandApdu::Parse(H("00d6000000000211220100")).value();
  LONGS_EQUAL(256, *c4e.le);
}

TEST(Apdu, RoundTrips) {
  for (const char* hex : {"00a4000c", "0084000008", "002000010431323334", "0088000002aabb00",
                          "00b00000000200", "00d6000000000211220100"}) {
    Bytes raw = H(hex);
    auto a = CommandApdu::Parse(raw).value();
    CHECK(raw == a.Serialize().value());
  }
}

TEST(Apdu, RejectsShorterThanHeader) { CHECK_FALSE(CommandApdu::Parse(H("00a400")).ok()); }
TEST(Apdu, RejectsLcLongerThanData) { CHECK_FALSE(CommandApdu::Parse(H("00a4000c053f00")).ok()); }
TEST(Apdu, RejectsTrailingBytesAfterLe) {
  CHECK_FALSE(CommandApdu::Parse(H("00a4000c023f000000")).ok());
}
TEST(Apdu, RejectsTruncatedExtendedLength) {
  CHECK_FALSE(CommandApdu::Parse(H("00b0000000ff")).ok());
}
TEST(Apdu, RejectsExtendedLcZero) { CHECK_FALSE(CommandApdu::Parse(H("00d60000000000aa")).ok()); }
TEST(Apdu, RejectsExtendedLcMismatch) {
  CHECK_FALSE(CommandApdu::Parse(H("00d6000000000311")).ok());
}

TEST(Apdu, ResponseParse) {
  auto r = ResponseApdu::Parse(H("01029000")).value();
  CHECK(r.ok());
  CHECK(r.data == H("0102"));
  auto e = ResponseApdu::Parse(H("63c2")).value();
  LONGS_EQUAL(0x63, e.sw1());
  LONGS_EQUAL(0xC2, e.sw2());
  CHECK(H("63c2") == e.Serialize());
  STRCMP_EQUAL("63C2", SwString(e.sw).c_str());
}

TEST(Apdu, ResponseRejectsWithoutStatusWord) {
  CHECK_FALSE(ResponseApdu::Parse(H("90")).ok());
  CHECK_FALSE(ResponseApdu::Parse(Bytes{}).ok());
}

TEST(Apdu, HeaderStringNeverShowsData) {
  auto a = CommandApdu::MakeData(0, 0x20, 0, 1, H("31323334"));
  std::string s = a.HeaderString();
  CHECK(s.find("31") == std::string::npos);
  STRCMP_EQUAL("00 20 00 01 [4 bytes]", s.c_str());
}

}  // namespace carnet::hal
