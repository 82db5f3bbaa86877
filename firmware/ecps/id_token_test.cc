// e-CPS on the terminal: the id_token check, claim by claim, and the device-signed request.
// Provider key: the test PKI's e-CPS provider (RSA-2048); a second provider with an EC key is
// generated here for ES256.
#include "firmware/ecps/id_token.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/cose/sign1.h"
#include "crypto/jose/jws.h"
#include "crypto/x509/x509_test_support.h"
#include "hal/base/json.h"

namespace carnet::fw::ecps {
namespace {

using crypto::testing::SmallPki;

constexpr UnixMillis kNow = crypto::testing::kMid2026;
constexpr char kIssuer[] = "https://ecps.test.carnet/";
constexpr char kTerminal[] = "TERM-0001";
constexpr char kNonce[] = "q5dAi2sZbS0y2g5oQmL1cR3nV7xW9kJ4tH6uE8fY0aB";

json::Value GoodClaims() {
  json::Value c = json::Value::MakeObject();
  c.Set("iss", json::Value::String(kIssuer));
  c.Set("aud", json::Value::String(kTerminal));
  c.Set("sub", json::Value::String(crypto::testing::Gp().IdNat()));
  c.Set("nonce", json::Value::String(kNonce));
  c.Set("acr", json::Value::String("eidas1"));
  c.Set("iat", json::Value::Int(kNow / 1000 - 30));
  c.Set("exp", json::Value::Int(kNow / 1000 + 300));
  return c;
}

// `claims` with `name` replaced (or removed when `value` is null and `remove` is set).
json::Value With(json::Value claims, std::string_view name, json::Value value) {
  json::Value out = json::Value::MakeObject();
  bool set = false;
  for (const auto& [k, v] : claims.as_object()) {
    if (k == name) {
      if (!value.is_null()) out.Set(k, value);
      set = true;
    } else {
      out.Set(k, v);
    }
  }
  if (!set && !value.is_null()) out.Set(std::string(name), value);
  return out;
}

std::string Sign(const crypto::PrivateKey& key, crypto::SignatureScheme alg, const json::Value& c) {
  auto t = crypto::jose::SignCompact(key, alg, AsBytes(json::Write(c)), "provider-1");
  if (!t.ok()) FAIL(t.status().ToString().c_str());
  return *t;
}

std::string Token(const json::Value& claims) {
  return Sign(*SmallPki().ecps_provider_key, crypto::SignatureScheme::kRs256, claims);
}

std::vector<Provider> Providers() {
  std::vector<Provider> p(1);
  p[0].issuer = kIssuer;
  p[0].keys.push_back(SmallPki().ecps_provider_key->public_key());
  return p;
}

VerifyParams Params() { return VerifyParams{kTerminal, kNonce, kNow}; }

// Fails unless `r` is an error with `code` whose message contains `needle`.
template <typename R>
void CheckRefused(const R& r, StatusCode code, const char* needle) {
  const Status s = internal::AsStatus(r);
  CHECK_TEXT(!s.ok(), "expected a refusal");
  CHECK_TEXT(s.code() == code, s.ToString().c_str());
  CHECK_TEXT(s.message().find(needle) != std::string::npos, s.ToString().c_str());
}

void CheckClaimRefused(const json::Value& claims, const char* needle) {
  CheckRefused(VerifyIdToken(Token(claims), Providers(), Params()), StatusCode::kUnauthenticated,
               needle);
}

// A compact JWS with a hand-made header and a junk signature (for refused algorithms).
std::string HandMade(std::string_view header_json) {
  return Base64UrlEncode(AsBytes(header_json)) + "." +
         Base64UrlEncode(AsBytes(json::Write(GoodClaims()))) + "." +
         Base64UrlEncode(Bytes(32, 0x5a));
}

}  // namespace

TEST_GROUP(IdToken){};

TEST(IdToken, AcceptsTheProvidersTokenForThisTerminalAndChallenge) {
  const std::string token = Token(GoodClaims());
  auto id = VerifyIdToken(token, Providers(), Params());
  CHECK_TEXT(id.ok(), id.status().ToString().c_str());
  STRCMP_EQUAL(crypto::testing::Gp().IdNat().c_str(), id->idnat.c_str());
  STRCMP_EQUAL(kIssuer, id->issuer.c_str());
  CHECK_EQUAL((kNow / 1000 + 300) * 1000, id->expires_at);
  CHECK(token == id->id_token);
}

TEST(IdToken, AcceptsEs256FromASecondProviderAndAnAudienceArray) {
  FakeRandom rng(7);
  auto ec = crypto::PrivateKey::GenerateEcP256(rng);
  CHECK_TRUE(ec.ok());
  auto providers = Providers();
  providers.push_back(Provider{"https://other.test/", {}});
  providers.back().keys.push_back(ec->public_key());
  json::Value aud = json::Value::MakeArray();
  aud.Append(json::Value::String("portal"));
  aud.Append(json::Value::String(kTerminal));
  json::Value claims =
      With(With(GoodClaims(), "iss", json::Value::String("https://other.test/")), "aud", aud);
  auto id = VerifyIdToken(Sign(*ec, crypto::SignatureScheme::kEs256, claims), providers, Params());
  CHECK_TEXT(id.ok(), id.status().ToString().c_str());
  STRCMP_EQUAL("https://other.test/", id->issuer.c_str());
}

TEST(IdToken, RefusesAnotherChallenge) {
  CheckClaimRefused(With(GoodClaims(), "nonce", json::Value::String("replayed-from-elsewhere")),
                    "nonce is not this terminal's challenge");
  CheckClaimRefused(With(GoodClaims(), "nonce", json::Value()), "no nonce");
  CheckClaimRefused(With(GoodClaims(), "nonce", json::Value::Int(1)), "no nonce");
}

TEST(IdToken, RefusesAnotherAudience) {
  CheckClaimRefused(With(GoodClaims(), "aud", json::Value::String("TERM-0002")),
                    "not issued for this terminal");
  CheckClaimRefused(With(GoodClaims(), "aud", json::Value()), "not issued for this terminal");
}

TEST(IdToken, RefusesAnotherAcr) {
  CheckClaimRefused(With(GoodClaims(), "acr", json::Value::String("eidas2")), "acr");
  CheckClaimRefused(With(GoodClaims(), "acr", json::Value()), "acr");
}

TEST(IdToken, RefusesExpiredFutureAndMalformedTimes) {
  const json::Value old = With(GoodClaims(), "iat", json::Value::Int(kNow / 1000 - 600));
  CheckClaimRefused(With(old, "exp", json::Value::Int(kNow / 1000 - 61)), "expired");
  CheckClaimRefused(With(GoodClaims(), "iat", json::Value::Int(kNow / 1000 + 120)), "future");
  CheckClaimRefused(With(With(GoodClaims(), "iat", json::Value::Int(kNow / 1000 + 10)), "exp",
                         json::Value::Int(kNow / 1000 + 5)),
                    "iat after exp");
  CheckClaimRefused(With(GoodClaims(), "exp", json::Value::String("soon")), "integer seconds");
  CheckClaimRefused(With(GoodClaims(), "iat", json::Value()), "integer seconds");
  // Within the 60 s leeway the node also grants, the token is still good.
  auto id = VerifyIdToken(Token(With(old, "exp", json::Value::Int(kNow / 1000 - 59))), Providers(),
                          Params());
  CHECK_TEXT(id.ok(), id.status().ToString().c_str());
}

TEST(IdToken, RefusesAnotherIssuerEvenWithThePinnedKey) {
  CheckClaimRefused(With(GoodClaims(), "iss", json::Value::String("https://evil.test/")),
                    "iss is not");
}

TEST(IdToken, RefusesASubjectThatIsNotAnIdNat) {
  CheckClaimRefused(With(GoodClaims(), "sub", json::Value::String("810000000000")), "sub");
  CheckClaimRefused(With(GoodClaims(), "sub", json::Value()), "sub");
}

TEST(IdToken, RefusesAlgNoneAndHs256) {
  auto none = VerifyIdToken(Base64UrlEncode(AsBytes(R"({"alg":"none"})")) + "." +
                                Base64UrlEncode(AsBytes(json::Write(GoodClaims()))) + ".",
                            Providers(), Params());
  CHECK_FALSE(none.ok());
  auto hs = VerifyIdToken(HandMade(R"({"alg":"HS256","typ":"JWT"})"), Providers(), Params());
  CHECK_FALSE(hs.ok());
  CHECK_TEXT(hs.status().message().find("HS256") != std::string::npos,
             hs.status().ToString().c_str());
}

TEST(IdToken, RefusesAKeyThatIsNotPinned) {
  FakeRandom rng(9);
  auto other = crypto::PrivateKey::GenerateEcP256(rng);
  CHECK_TRUE(other.ok());
  CheckRefused(VerifyIdToken(Sign(*other, crypto::SignatureScheme::kEs256, GoodClaims()),
                             Providers(), Params()),
               StatusCode::kUnauthenticated, "not signed by a pinned provider key");
  // A token whose signature was altered.
  std::string token = Token(GoodClaims());
  token.back() = token.back() == 'A' ? 'B' : 'A';
  CHECK_FALSE(VerifyIdToken(token, Providers(), Params()).ok());
}

TEST(IdToken, RefusesClaimsThatAreNotAnObjectAndAMissingChallenge) {
  auto arr = crypto::jose::SignCompact(*SmallPki().ecps_provider_key,
                                       crypto::SignatureScheme::kRs256, AsBytes("[1,2]"));
  CHECK_TRUE(arr.ok());
  CheckRefused(VerifyIdToken(*arr, Providers(), Params()), StatusCode::kUnauthenticated,
               "not a JSON object");
  VerifyParams no_nonce = Params();
  no_nonce.nonce.clear();
  CheckRefused(VerifyIdToken(Token(GoodClaims()), Providers(), no_nonce),
               StatusCode::kFailedPrecondition, "challenge");
}

TEST(IdToken, ChallengesAreFreshBase64Url) {
  auto a = NewChallenge(SystemRandom::Instance());
  auto b = NewChallenge(SystemRandom::Instance());
  CHECK_TRUE(a.ok() && b.ok());
  LONGS_EQUAL(43, a->size());
  CHECK(*a != *b);
  CHECK_TRUE(Base64UrlDecode(*a).ok());
}

}  // namespace carnet::fw::ecps
