#include <CppUTest/TestHarness.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "crypto/cbor/cbor_test_util.h"
#include "crypto/cbor/encode.h"

namespace carnet::crypto::cbor {
namespace {

using testing::DecodeHex;
using testing::Hex;
using testing::Lenient;

// Decoding must fail, and the message must contain `what` (each rejection names its cause).
void ExpectReject(const std::string& hex, const char* what, const DecodeLimits& l = {}) {
  auto r = DecodeHex(hex, l);
  CHECK_TEXT(!r.ok(), ("accepted " + hex).c_str());
  STRCMP_CONTAINS(what, r.status().message().c_str());
}

// RFC 8949 Appendix A, every example without floating point. All are in deterministic form,
// so each must decode (strict mode) and re-encode to the same bytes.
const char* const kAppendixA[] = {"00",
                                  "01",
                                  "0a",
                                  "17",
                                  "1818",
                                  "1819",
                                  "1864",
                                  "1903e8",
                                  "1a000f4240",
                                  "1b000000e8d4a51000",
                                  "1bffffffffffffffff",
                                  "c249010000000000000000",
                                  "3bffffffffffffffff",
                                  "c349010000000000000000",
                                  "20",
                                  "29",
                                  "3863",
                                  "3903e7",
                                  "f4",
                                  "f5",
                                  "f6",
                                  "f7",
                                  "c074323031332d30332d32315432303a30343a30305a",
                                  "c11a514b67b0",
                                  "d74401020304",
                                  "d818456449455446",
                                  "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
                                  "40",
                                  "4401020304",
                                  "60",
                                  "6161",
                                  "6449455446",
                                  "62225c",
                                  "62c3bc",
                                  "63e6b0b4",
                                  "64f0908591",
                                  "80",
                                  "83010203",
                                  "8301820203820405",
                                  "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
                                  "a0",
                                  "a201020304",
                                  "a26161016162820203",
                                  "826161a161626163",
                                  "a56161614161626142616361436164614461656145"};

TEST_GROUP(CborDecode){};

TEST(CborDecode, Rfc8949AppendixARoundTrips) {
  for (const char* hex : kAppendixA) {
    auto v = DecodeHex(hex);
    CHECK_TEXT(v.ok(), (std::string(hex) + ": " + v.status().message()).c_str());
    STRCMP_EQUAL(hex, HexEncode(Encode(*v)).c_str());
  }
}

TEST(CborDecode, Rfc8949AppendixAValues) {
  CHECK_EQUAL(1000000000000, *DecodeHex("1b000000e8d4a51000")->AsInt64());
  CHECK(UINT64_MAX == *DecodeHex("1bffffffffffffffff")->AsUint64());
  CHECK_EQUAL(-1000, *DecodeHex("3903e7")->AsInt64());
  // -18446744073709551616 does not fit in int64 but is kept exactly.
  auto big_negative = DecodeHex("3bffffffffffffffff");
  CHECK(big_negative->is(Type::kNegative));
  CHECK(UINT64_MAX == big_negative->raw_number());
  STRCMP_EQUAL("\xc3\xbc", std::string(*DecodeHex("62c3bc")->AsText()).c_str());
  auto tagged = DecodeHex("d74401020304");
  CHECK_EQUAL(23u, *tagged->TagNumber());
  STRCMP_EQUAL("01020304", HexEncode(*(*tagged->TagContent())->AsBytes()).c_str());
  auto map = DecodeHex("a26161016162820203");
  CHECK_EQUAL(2u, map->AsMap()->size());
  CHECK_EQUAL(2u, map->Find(Value::Text("b"))->AsArray()->size());
}

TEST(CborDecode, RejectsEmptyOversizeTruncatedAndTrailing) {
  ExpectReject("", "empty");
  DecodeLimits small;
  small.max_input_size = 3;
  ExpectReject("44010203", "exceeds the limit of 3", small);
  ExpectReject("19", "truncated input: unsigned integer head at offset 0 needs 3 bytes");
  ExpectReject("1901", "truncated");
  ExpectReject("44010203", "truncated input: byte string at offset 0");
  ExpectReject("82010203", "trailing bytes: 1 byte(s) after the top-level item at offset 3");
  ExpectReject("8201", "truncated input: ends at offset 2 inside 1 unfinished container(s)");
  ExpectReject("a101", "truncated");
  ExpectReject("d2", "truncated");
  ExpectReject("0102", "trailing bytes");
}

TEST(CborDecode, RejectsIndefiniteLengthsAndBreak) {
  ExpectReject("5f42010243030405ff", "indefinite-length byte string at offset 0");
  ExpectReject("7f657374726561646d696e67ff", "indefinite-length text string");
  ExpectReject("9fff", "indefinite-length array");
  ExpectReject("bf6161f5ff", "indefinite-length map");
  ExpectReject("8201ff", "unexpected break byte 0xff at offset 2");
  ExpectReject("ff", "break");
}

TEST(CborDecode, RejectsReservedFloatsAndSimpleValues) {
  ExpectReject("1c", "reserved additional information 28");
  ExpectReject("5d", "reserved additional information 29");
  ExpectReject("df00", "reserved");
  ExpectReject("fe", "reserved");
  ExpectReject("f90000", "floating-point number at offset 0 is not supported");
  ExpectReject("fb3ff199999999999a", "floating-point");
  ExpectReject("c1fb41d452d9ec200000", "floating-point number at offset 1");
  ExpectReject("f0", "unsupported simple value");
  ExpectReject("f8ff", "unsupported simple value");
}

TEST(CborDecode, RejectsInvalidUtf8) {
  ExpectReject("62c080", "invalid UTF-8 in the text string at offset 0");  // overlong NUL
  ExpectReject("63eda080", "invalid UTF-8");                               // surrogate D800
  ExpectReject("64f4908080", "invalid UTF-8");                             // > U+10FFFF
  ExpectReject("8261616261ff", "invalid UTF-8 in the text string at offset 3");
  ExpectReject("61c3", "(byte 0 of the string)");      // cut sequence
  ExpectReject("6341c328", "(byte 1 of the string)");  // bad continuation
  CHECK(DecodeHex("64f09f9880").ok());                 // U+1F600
}

TEST(CborDecode, RejectsNonCanonicalHeadsUnlessLenient) {
  const char* const kNonCanonical[] = {"1805",      "190017", "1a0000ffff", "1b00000000ffffffff",
                                       "3817",      "580141", "780141",     "9801 01",
                                       "b80101 02", "d80100"};
  for (const char* hex : kNonCanonical) {
    std::string h = hex;
    std::erase(h, ' ');
    ExpectReject(h, "non-canonical head at offset 0");
    CHECK_TEXT(DecodeHex(h, Lenient()).ok(), h.c_str());
  }
  ExpectReject("821801", "non-canonical head at offset 1: unsigned integer argument 1 in 2 bytes");
}

TEST(CborDecode, RejectsDuplicateMapKeys) {
  ExpectReject("a201020103", "duplicate map key at offset 3");
  ExpectReject("a201020103", "duplicate map key", Lenient());
  // The same key value in two encodings is still a duplicate.
  ExpectReject("a20102180103", "duplicate map key at offset 3", Lenient());
  ExpectReject("a2616101616102", "duplicate map key");
  ExpectReject("a2810101810102", "duplicate map key at offset 4");
}

TEST(CborDecode, RejectsUnsortedMapKeysUnlessLenient) {
  ExpectReject("a203040102", "map keys not in canonical order at offset 3");
  CHECK(DecodeHex("a203040102", Lenient()).ok());
  // Bytewise order, not length-first: 0x20 (-1) sorts after 0x1864 (100).
  CHECK(DecodeHex("a21864012002").ok());
}

TEST(CborDecode, EnforcesDepthLimit) {
  DecodeLimits l;
  std::string ok_hex(2 * 15, '8');
  for (size_t i = 1; i < ok_hex.size(); i += 2) ok_hex[i] = '1';
  CHECK(DecodeHex(ok_hex + "00", l).ok());  // 15 arrays + an int: within 16
  CHECK(DecodeHex(ok_hex + "8100", l).ok());
  ExpectReject(ok_hex + "818100", "nesting deeper than 16 at offset 16");
  ExpectReject(ok_hex + "81c000", "nesting deeper than 16");
}

TEST(CborDecode, DepthBombFailsFast) {
  Bytes bomb(1000000, 0x81);  // 1e6 nested one-element arrays
  bomb.push_back(0x00);
  DecodeLimits l;
  l.max_input_size = bomb.size();
  auto t0 = std::chrono::steady_clock::now();
  auto r = Decode(bomb, l);
  auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  CHECK(!r.ok());
  STRCMP_CONTAINS("nesting deeper than 16", r.status().message().c_str());
  std::printf("\n[cbor] 1 MB depth bomb rejected in %lld us\n", static_cast<long long>(us.count()));
  Bytes tags(200000, 0xd2);  // tag 18 nested
  tags.push_back(0x00);
  l.max_input_size = tags.size();
  CHECK(!Decode(tags, l).ok());
}

// A 5-byte head announcing 2^32-1 entries: cbor_load would try to allocate ~gigabytes; here
// the head is checked against the limit before anything is allocated.
TEST(CborDecode, HostileLengthHeadsFailCleanly) {
  auto t0 = std::chrono::steady_clock::now();
  ExpectReject("9affffffff", "array of 4294967295 entries at offset 0 exceeds the limit of 1024");
  ExpectReject("9b000000ffffffffff", "array of 1099511627775 entries");
  ExpectReject("bb000000ffffffffff", "map of 1099511627775 entries");
  ExpectReject("5b000000ffffffffff", "byte string of 1099511627775 bytes");
  ExpectReject("7affffffff", "text string of 4294967295 bytes");
  ExpectReject("9b000000ff", "truncated input: array head at offset 0 needs 9 bytes");
  // Even with no string limit, a body longer than the input is just truncation.
  DecodeLimits unlimited;
  unlimited.max_string_length = SIZE_MAX;
  ExpectReject("5b000000ffffffffff", "truncated input: byte string at offset 0", unlimited);
  auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  std::printf("\n[cbor] 8 hostile length heads rejected in %lld us\n",
              static_cast<long long>(us.count()));
}

TEST(CborDecode, EnforcesItemStringAndContainerLimits) {
  DecodeLimits l;
  l.max_items = 3;
  CHECK(DecodeHex("820102", l).ok());
  ExpectReject("83010203", "more than 3 data items at offset 3", l);
  l = DecodeLimits{};
  l.max_string_length = 4;
  CHECK(DecodeHex("4401020304", l).ok());
  ExpectReject("450102030405", "byte string of 5 bytes at offset 0 exceeds the limit of 4", l);
  ExpectReject("656162636465", "text string of 5 bytes", l);
  l = DecodeLimits{};
  l.max_container_length = 2;
  ExpectReject("83010203", "array of 3 entries at offset 0 exceeds the limit of 2", l);
  ExpectReject("a3010203040506", "map of 3 entries", l);
  CHECK(DecodeHex("a201020304", l).ok());
}

TEST(CborDecode, Tag18IsDecodedAlthoughLibcborRejectsIt) {
  // libcbor 0.8's streaming decoder calls 0xd2 (tag 18, COSE_Sign1) "unassigned".
  auto v = DecodeHex("d28440a0f640");
  CHECK_TEXT(v.ok(), v.status().message().c_str());
  CHECK_EQUAL(18u, *v->TagNumber());
  CHECK_EQUAL(4u, (*v->TagContent())->AsArray()->size());
}

}  // namespace
}  // namespace carnet::crypto::cbor
