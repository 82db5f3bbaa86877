#include "firmware/vitale/nir.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::vitale {

TEST_GROUP(Nir){};

// Test patients of the test PKI (crypto/x509/README.md: CAMILLE BERNARD, JEAN PETIT — Corsica).
TEST(Nir, TestPkiPatients) {
  CHECK(NirKeyCheck("284037511502730").ok());
  CHECK(NirKeyCheck("157112A00401283").ok());
  CHECK(NirKeyCheck("116097511523106").ok());  // beneficiary LUCAS BERNARD, key 06
  LONGS_EQUAL(30, ComputeNirKey("2840375115027").value());
  // 2A -> 19: N = 1571119004012, N mod 97 = 14, key 83.
  LONGS_EQUAL(83, ComputeNirKey("157112A004012").value());
}

// python-stdnum's stnum/fr/nir.py example "2 95 10 99 126 111 93" (cards.md §4).
TEST(Nir, StdnumVector) { CHECK(NirKeyCheck("295109912611193").ok()); }

// Hand-computed: 1850175000081 = 97 x 19073969073 -> N mod 97 = 0 -> key 97 (upper bound);
// 1850175000080 mod 97 = 96 -> key 01 (lower bound); 2B -> 18: 1851218123456 mod 97 = 22 -> 75.
TEST(Nir, HandComputedBounds) {
  LONGS_EQUAL(97, ComputeNirKey("1850175000081").value());
  CHECK(NirKeyCheck("185017500008197").ok());
  LONGS_EQUAL(1, ComputeNirKey("1850175000080").value());
  CHECK(NirKeyCheck("185017500008001").ok());
  LONGS_EQUAL(75, ComputeNirKey("185122B123456").value());
  CHECK(NirKeyCheck("185122B12345675").ok());
  // Without the substitution 2B would not even be a number; with 2A it gives another key.
  CHECK(ComputeNirKey("185122A123456").value() != 75);
}

TEST(Nir, RejectsWrongKey) {
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument),
              static_cast<int>(NirKeyCheck("284037511502731").code()));
  CHECK(!NirKeyCheck("157112A00401284").ok());
  CHECK(!NirKeyCheck("157112B00401283").ok());  // 2B gives another key than 2A
  CHECK(!NirKeyCheck("284037511502703").ok());  // swapped key digits
  CHECK(!NirKeyCheck("284307511502730").ok());  // swapped body digits
}

TEST(Nir, RejectsKeyOutOfRange) {
  // N mod 97 can never give 00 or 98/99: refused even before comparing.
  CHECK(!NirKeyCheck("185017500008100").ok());
  CHECK(!NirKeyCheck("185017500008198").ok());
  CHECK(!NirKeyCheck("185017500008199").ok());
}

TEST(Nir, RejectsLength) {
  CHECK(!NirKeyCheck("").ok());
  CHECK(!NirKeyCheck("28403751150273").ok());
  CHECK(!NirKeyCheck("2840375115027300").ok());
  CHECK(!ComputeNirKey("284037511502").ok());
  CHECK(!ComputeNirKey("28403751150270").ok());
}

TEST(Nir, RejectsNonDigits) {
  CHECK(!NirKeyCheck("2840375115027 0").ok());  // key
  CHECK(!NirKeyCheck("28403751150A730").ok());  // body
  CHECK(!NirKeyCheck(" 84037511502730").ok());  // sex
  CHECK(!NirKeyCheck("+84037511502730").ok());
  CHECK(!NirKeyCheck("2840375115027-3").ok());
}

TEST(Nir, RejectsBadCorsica) {
  CHECK(!ComputeNirKey("157112a004012").ok());  // lower case
  CHECK(!ComputeNirKey("157112C004012").ok());  // only A and B
  CHECK(!ComputeNirKey("157113A004012").ok());  // 3A is not a department
  CHECK(!ComputeNirKey("15711A2004012").ok());  // letter in the wrong place
  CHECK(!ComputeNirKey("1571120A04012").ok());
}

}  // namespace carnet::fw::vitale
