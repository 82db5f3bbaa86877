#include "hal/base/tlv.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace carnet {
namespace {
Bytes H(const char* hex) { return HexDecode(hex).value(); }
StatusCode ErrorOf(const char* hex) { return ParseTlvList(H(hex)).status().code(); }
std::string MessageOf(const char* hex, const TlvLimits& limits) {
  return ParseTlvList(H(hex), limits).status().message();
}
}  // namespace

TEST_GROUP(Tlv){};

TEST(Tlv, ParsesTheCps3PinCounterAnswer) {
  // GET DATA CHV1 answer from a real CPS3 trace (cards.md §1.5, OpenSC I2275).
  Bytes ok = H("7016bf810112a0109a01039b0103a1088c06f3000013ff00");
  auto top = ParseSingleTlv(ok).value();
  LONGS_EQUAL(0x70, top.tag);
  CHECK(top.constructed());
  auto inner = ParseSingleTlv(top.value).value();
  LONGS_EQUAL(0xBF8101, inner.tag);
  auto a0 = ParseSingleTlv(inner.value).value();
  auto fields = ParseTlvList(a0.value).value();
  LONGS_EQUAL(3, fields.size());
  LONGS_EQUAL(0x9A, fields[0].tag);
  LONGS_EQUAL(3, fields[1].value[0]);
  CHECK(ValidateTlvTree(ok).ok());
}

TEST(Tlv, ParsesTwoAndThreeByteLengths) {
  Bytes v(300, 0x11);
  Bytes enc = EncodeTlv(0x7F21, v);
  CHECK(H("7f2182012c") == Bytes(enc.begin(), enc.begin() + 5));
  auto t = ParseSingleTlv(enc).value();
  LONGS_EQUAL(300, t.value.size());
  Bytes big(70000, 0);
  Bytes enc3 = EncodeTlv(0x53, big);
  LONGS_EQUAL(0x83, enc3[1]);
  LONGS_EQUAL(70000, ParseSingleTlv(enc3).value().value.size());
  CHECK(H("5f2000") == EncodeTlv(0x5F20, {}));
  Bytes enc1 = EncodeTlv(0x04, Bytes(128, 0));
  CHECK(H("048180") == Bytes(enc1.begin(), enc1.begin() + 3));
}

TEST(Tlv, EmptyListIsEmpty) { LONGS_EQUAL(0, ParseTlvList({}).value().size()); }

TEST(Tlv, FindValue) {
  Bytes raw = H("800141810142");
  ByteView v = FindTlvValue(raw, 0x81).value();
  CHECK(H("42") == Bytes(v.begin(), v.end()));
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotFound),
              static_cast<int>(FindTlvValue(raw, 0x82).status().code()));
}

// One test per rejection.
TEST(Tlv, RejectsEmptySingle) { CHECK_FALSE(ParseSingleTlv({}).ok()); }
TEST(Tlv, RejectsMissingLength) { CHECK(ErrorOf("80") == StatusCode::kInvalidArgument); }
TEST(Tlv, RejectsTruncatedMultiByteTag) { CHECK_FALSE(ParseTlvList(H("5f")).ok()); }
TEST(Tlv, RejectsTagLongerThanThreeBytes) {
  CHECK_FALSE(ParseTlvList(H("bf818101"
                             "00"))
                  .ok());
}
TEST(Tlv, RejectsTagWithLeadingZeroGroup) {
  CHECK_FALSE(ParseTlvList(H("bf8001"
                             "00"))
                  .ok());
}
TEST(Tlv, RejectsOverlongTag) {
  CHECK_FALSE(ParseTlvList(H("5f05"
                             "00"))
                  .ok());
}
TEST(Tlv, RejectsIndefiniteLength) { CHECK_FALSE(ParseTlvList(H("30800000")).ok()); }
TEST(Tlv, RejectsFourByteLength) { CHECK_FALSE(ParseTlvList(H("048400000001aa")).ok()); }
TEST(Tlv, RejectsOverlongOneByteLength) { CHECK_FALSE(ParseTlvList(H("048101aa")).ok()); }
TEST(Tlv, RejectsOverlongTwoByteLength) { CHECK_FALSE(ParseTlvList(H("04820001aa")).ok()); }
TEST(Tlv, RejectsTruncatedLength) { CHECK_FALSE(ParseTlvList(H("0482")).ok()); }
TEST(Tlv, RejectsValuePastEnd) { CHECK_FALSE(ParseTlvList(H("0405aabb")).ok()); }
TEST(Tlv, RejectsTrailingBytesAfterSingle) { CHECK_FALSE(ParseSingleTlv(H("0401aa00")).ok()); }
TEST(Tlv, RejectsValueOverLimit) {
  TlvLimits limits;
  limits.max_value_length = 2;
  CHECK(ParseTlvList(H("0403aabbcc"), limits).status().code() == StatusCode::kOutOfRange);
}
TEST(Tlv, RejectsTooManyElements) {
  TlvLimits limits;
  limits.max_elements = 2;
  CHECK_FALSE(ParseTlvList(H("800081008200"), limits).ok());
}
TEST(Tlv, RejectsTooDeep) {
  TlvLimits limits;
  limits.max_depth = 1;
  CHECK(ValidateTlvTree(H("3004"
                          "3002"
                          "8000"),
                        {})
            .ok());
  CHECK_FALSE(ValidateTlvTree(H("3004"
                                "3002"
                                "8000"),
                              limits)
                  .ok());
}
// Narrower formats (the Vitale CVC) tighten the tag and length sizes and refuse padding bytes.
TEST(Tlv, NarrowedTagSize) {
  TlvLimits two;
  two.max_tag_bytes = 2;
  CHECK(ParseTlvList(H("5f2000"), two).ok());
  CHECK(ParseTlvList(H("bf810100")).ok());
  STRCMP_CONTAINS("tag longer than 2 bytes", MessageOf("bf810100", two).c_str());
}
TEST(Tlv, NarrowedLengthSize) {
  TlvLimits two;
  two.max_length_bytes = 2;
  Bytes big = H("0482");
  AppendU16Be(big, 0x100);
  big.resize(big.size() + 0x100, 0xAA);
  CHECK(ParseTlvList(big, two).ok());
  STRCMP_CONTAINS("length field longer than 2 bytes", MessageOf("0483010000", two).c_str());
}
TEST(Tlv, PaddingTagsAreRefusedOnRequest) {
  TlvLimits strict;
  strict.reject_padding_tags = true;
  CHECK(ParseTlvList(H("0000")).ok());  // BER-TLV default: tag 00, empty value
  STRCMP_CONTAINS("padding", MessageOf("0000", strict).c_str());
  STRCMP_CONTAINS("padding", MessageOf("800000", strict).c_str());
  STRCMP_CONTAINS("padding", MessageOf("ff0100", strict).c_str());
}
TEST(Tlv, RejectionsSayWhy) {
  STRCMP_CONTAINS("not in its shortest form", MessageOf("5f0500", {}).c_str());
  STRCMP_CONTAINS("length not in its shortest form", MessageOf("048101aa", {}).c_str());
  STRCMP_CONTAINS("indefinite", MessageOf("30800000", {}).c_str());
  STRCMP_CONTAINS("beyond the end", MessageOf("0405aabb", {}).c_str());
  STRCMP_CONTAINS("truncated multi-byte tag", MessageOf("5f", {}).c_str());
}

TEST(Tlv, RejectsMalformedNestedValue) {
  CHECK_FALSE(ValidateTlvTree(H("3003"
                                "0405aa"))
                  .ok());
}

}  // namespace carnet
