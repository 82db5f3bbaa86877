#pragma once
// Shared by the crypto_x509_test sources: one small test PKI built once per process (RSA key
// generation dominates the test time), and status assertions that print the message.

#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/x509/pki.h"
#include "hal/base/status.h"

namespace carnet::crypto::testing {

inline constexpr char kSeed[] = "crypto-x509-test";
inline constexpr UnixMillis kMid2026 = 1782864000000;  // 2026-07-01T00:00:00Z
inline constexpr UnixMillis k2024 = 1704067200000;     // 2024-01-01T00:00:00Z
inline constexpr UnixMillis k2036 = 2082758400000;     // 2036-01-01T00:00:00Z

// BuildTestPki({kSeed, small = true}): the GP and the revoked physician only.
const TestPki& SmallPki();
const TestProfessional& Gp();
const TestProfessional& RevokedPhysician();

}  // namespace carnet::crypto::testing

#define CHECK_OK(expr)                                                \
  do {                                                                \
    ::carnet::Status check_ok_s = ::carnet::internal::AsStatus(expr); \
    CHECK_TEXT(check_ok_s.ok(), check_ok_s.ToString().c_str());       \
  } while (0)

// Fails unless `expr` is an error with `code` whose message contains `needle`.
#define CHECK_FAILS_WITH(expr, want_code, needle)                                                \
  do {                                                                                           \
    ::carnet::Status check_s = ::carnet::internal::AsStatus(expr);                               \
    CHECK_TEXT(!check_s.ok(), "expected a failure");                                             \
    CHECK_TEXT(check_s.code() == (want_code), check_s.ToString().c_str());                       \
    CHECK_TEXT(check_s.message().find(needle) != std::string::npos, check_s.ToString().c_str()); \
  } while (0)
