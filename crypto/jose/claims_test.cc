#include "crypto/jose/claims.h"

#include <CppUTest/TestHarness.h>

namespace carnet::crypto::jose {
namespace {

json::Value Claims(const std::string& text) { return json::Parse(text).value(); }

}  // namespace

TEST_GROUP(JoseClaims){};

TEST(JoseClaims, StringClaimOnlyForStrings) {
  json::Value c = Claims(R"({"iss":"https://p","n":3})");
  STRCMP_EQUAL("https://p", StringClaim(c, "iss")->c_str());
  CHECK(StringClaim(c, "n") == nullptr);
  CHECK(StringClaim(c, "absent") == nullptr);
}

TEST(JoseClaims, AudienceStringOrArray) {
  CHECK(AudienceContains(Claims(R"({"aud":"T1"})"), "T1"));
  CHECK(AudienceContains(Claims(R"({"aud":["X",3,"T1"]})"), "T1"));
  CHECK_FALSE(AudienceContains(Claims(R"({"aud":"T2"})"), "T1"));
  CHECK_FALSE(AudienceContains(Claims(R"({"aud":{"T1":1}})"), "T1"));
  CHECK_FALSE(AudienceContains(Claims(R"({})"), "T1"));
}

TEST(JoseClaims, TimesWindow) {
  const json::Value c = Claims(R"({"iat":1000,"exp":2000})");
  TokenTimes ok = CheckTokenTimes(c, 1500000, 0);
  CHECK(TimesOutcome::kOk == ok.outcome);
  LONGS_EQUAL(2000000, ok.expires_at);
  CHECK(TimesOutcome::kOk == CheckTokenTimes(c, 2060000, 60000).outcome);  // within leeway
  CHECK(TimesOutcome::kExpired == CheckTokenTimes(c, 2060001, 60000).outcome);
  CHECK(TimesOutcome::kFuture == CheckTokenTimes(c, 939999, 60000).outcome);
}

TEST(JoseClaims, TimesRejectsMalformed) {
  CHECK(TimesOutcome::kNotIntegers == CheckTokenTimes(Claims(R"({"exp":2000})"), 0, 0).outcome);
  CHECK(TimesOutcome::kNotIntegers ==
        CheckTokenTimes(Claims(R"({"iat":"1","exp":2000})"), 0, 0).outcome);
  CHECK(TimesOutcome::kOutOfRange ==
        CheckTokenTimes(Claims(R"({"iat":3000,"exp":2000})"), 0, 0).outcome);
  CHECK(TimesOutcome::kOutOfRange ==
        CheckTokenTimes(Claims(R"({"iat":-1,"exp":2000})"), 0, 0).outcome);
  CHECK(TimesOutcome::kOutOfRange ==
        CheckTokenTimes(Claims(R"({"iat":1,"exp":2000000000000})"), 0, 0).outcome);
}

}  // namespace carnet::crypto::jose
