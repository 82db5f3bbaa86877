#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/core/pk.h"

namespace carnet::crypto {
namespace {

Bytes Hex(std::string_view h) { return HexDecode(h).value(); }

// RFC 6979 A.2.5, P-256 / SHA-256 / "sample".
const char* kRawSample =
    "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
    "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";
// Both integers have the high bit set, so each gets a 00 pad byte.
const char* kDerSample =
    "3046"
    "022100efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
    "022100f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";

void CheckRejected(std::string_view der_hex, const char* reason) {
  auto r = EcdsaDerToRaw(Hex(der_hex));
  CHECK_FALSE(r.ok());
  CHECK_TRUE(r.status().code() == StatusCode::kInvalidArgument);
  if (r.status().message().find(reason) == std::string::npos) FAIL(r.status().message().c_str());
}

}  // namespace

TEST_GROUP(EcdsaDer){};

TEST(EcdsaDer, RoundTripsWithPadding) {
  auto der = EcdsaRawToDer(Hex(kRawSample));
  CHECK_TRUE(der.ok());
  STRCMP_EQUAL(kDerSample, HexEncode(*der).c_str());
  auto raw = EcdsaDerToRaw(*der);
  CHECK_TRUE(raw.ok());
  STRCMP_EQUAL(kRawSample, HexEncode(*raw).c_str());
}

TEST(EcdsaDer, ShortIntegersAreMinimalAndRightAligned) {
  Bytes raw(64, 0);
  raw[31] = 0x01;  // r = 1
  raw[33] = 0x7f;  // s = 0x7f00..00 (31 bytes significant, no pad)
  auto der = EcdsaRawToDer(raw);
  CHECK_TRUE(der.ok());
  const std::string expected =
      "3024"
      "020101"
      "021f7f" +
      std::string(60, '0');  // r = 1; s: 31 bytes, no pad byte
  STRCMP_EQUAL(expected.c_str(), HexEncode(*der).c_str());
  CHECK_TRUE(EcdsaDerToRaw(*der).value() == raw);
}

TEST(EcdsaDer, RawMustBe64Bytes) {
  CHECK_FALSE(EcdsaRawToDer(Bytes(63, 1)).ok());
  CHECK_FALSE(EcdsaRawToDer(Bytes(65, 1)).ok());
}

TEST(EcdsaDer, RejectsEachMalformation) {
  CheckRejected("", "expected SEQUENCE");
  CheckRejected("3106020101020101", "expected SEQUENCE");
  CheckRejected("30", "bad SEQUENCE length");
  CheckRejected("3081060201010201 01", "bad SEQUENCE length");  // long form
  CheckRejected("3007020101020101", "does not match");          // truncated
  CheckRejected("300602010102010100", "does not match");        // trailing byte
  CheckRejected("3006040101020101", "r: expected INTEGER");
  CheckRejected("3006020001020101", "r: bad length");  // zero-length integer
  CheckRejected("3006020181020101", "r: negative");
  CheckRejected("300702020001020101", "r: not minimally encoded");
  CheckRejected("3007020101020200 01", "s: not minimally encoded");
  CheckRejected("30050201010201", "s: truncated");
  // 33 significant bytes: too big for P-256 even with a valid pad.
  CheckRejected(
      "3027"
      "0222"
      "0001"
      "00000000000000000000000000000000000000000000000000000000000000"
      "00"
      "020101",
      "r: bad length");
  CheckRejected(
      "3026"
      "0221"
      "01"
      "0000000000000000000000000000000000000000000000000000000000000000"
      "020101",
      "r: longer than 32 bytes");
  CheckRejected(
      "3009020101020101"
      "00",
      "does not match");
  CheckRejected(
      "3008020101020101"
      "0500",
      "trailing bytes inside");
}

}  // namespace carnet::crypto
