// Authenticator: device-signed requests — e-CPS professionals on a terminal, patients on the
// portal — and every id_token check.
#include <CppUTest/TestHarness.h>

#include "crypto/core/random.h"
#include "crypto/jose/jws.h"
#include "hal/base/json.h"
#include "node/authn/authenticator.h"
#include "node/authn/authn_test_pki.h"

namespace carnet::node::authn {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test helpers
using protocol::Action;

AuthResult Auth(ByteView cose, const PeerInfo& peer = Term1(), UnixMillis now = kNow) {
  return GetEnv().MakeAuthenticator().Authenticate(cose, peer, now);
}

// GoodClaims with one member replaced (or removed when `value` is null).
std::string ClaimsWith(const std::string& key,
                       const json::Value& value,
                       const std::string& base = GoodClaims()) {
  json::Value claims = *json::Parse(base);
  json::Value out = json::Value::MakeObject();
  for (const auto& [k, v] : claims.as_object()) {
    if (k != key) out.Set(k, v);
  }
  if (!value.is_null()) out.Set(key, value);
  return json::Write(out);
}

AuthResult AuthClaims(const std::string& claims) {
  return Auth(SignEcps(GpRequest(), IdToken(claims)));
}

}  // namespace

TEST_GROUP(AuthenticateEcps){};

TEST(AuthenticateEcps, AcceptsAValidIdToken) {
  AuthResult r = Auth(SignEcps(GpRequest(), IdToken(GoodClaims())));
  CHECK_ACCEPTED(r);
  CHECK(r.value().method == AuthMethod::kEcps);
  STRCMP_EQUAL("challenge-123", r.value().id_token_nonce->c_str());
  STRCMP_EQUAL("10", r.value().profession.c_str());
  // aud as an array holding the terminal id is accepted too (RFC 7519 §4.1.3).
  json::Value aud = json::Value::MakeArray();
  aud.Append(json::Value::String("other-client"));
  aud.Append(json::Value::String("TERM-0001"));
  CHECK_ACCEPTED(AuthClaims(ClaimsWith("aud", aud)));
}

TEST(AuthenticateEcps, IdTokenMissing) {
  const auto& term = GetEnv().Terminal(0);
  CHECK_REJECTED(Auth(SignWith(GpRequest(), term.key, {term.cert.der()})),
                 RejectCode::kIdTokenMissing, "id_token");
}

TEST(AuthenticateEcps, IdTokenMustBeDeviceSigned) {
  // The id_token in a request signed by the card instead of the terminal's device key.
  protocol::Request req = GpRequest();
  req.actor.id_token = IdToken(GoodClaims());
  CHECK_REJECTED(Auth(SignAut(req)), RejectCode::kDeviceSignerMismatch, "device key");
}

TEST(AuthenticateEcps, NoDepositByEcps) {
  CHECK_REJECTED(Auth(SignEcps(GpRequest(Action::kDeposit), IdToken(GoodClaims()))),
                 RejectCode::kKeyUsageMismatch, "non-repudiation");
}

TEST(AuthenticateEcps, BadDeviceSignature) {
  // TERM-0001's certificate in x5chain, the signature by TERM-0002's key.
  protocol::Request req = GpRequest();
  req.actor.id_token = IdToken(GoodClaims());
  CHECK_REJECTED(Auth(SignWith(req, GetEnv().Terminal(1).key, {GetEnv().Terminal(0).cert.der()})),
                 RejectCode::kBadSignature, "signature");
}

TEST(AuthenticateEcps, IdTokenInvalid) {
  CHECK_REJECTED(Auth(SignEcps(GpRequest(), "not.a.jws")), RejectCode::kIdTokenInvalid, "id_token");
  // alg none, with a dummy signature part.
  std::string none = Base64UrlEncode(AsBytes("{\"alg\":\"none\"}")) + "." +
                     Base64UrlEncode(AsBytes(GoodClaims())) + ".AA";
  CHECK_REJECTED(Auth(SignEcps(GpRequest(), none)), RejectCode::kIdTokenInvalid, "none");
  // Signed, but the payload is not a JSON object.
  CHECK_REJECTED(AuthClaims("[1,2]"), RejectCode::kIdTokenInvalid, "JSON object");
}

TEST(AuthenticateEcps, IdTokenSignature) {
  auto other = crypto::PrivateKey::GenerateEcP256(crypto::Drbg::ForThread());
  auto token =
      crypto::jose::SignCompact(*other, crypto::SignatureScheme::kEs256, AsBytes(GoodClaims()));
  CHECK_REJECTED(Auth(SignEcps(GpRequest(), *token)), RejectCode::kIdTokenSignature, "pinned");
}

TEST(AuthenticateEcps, IdTokenClaims) {
  CHECK_REJECTED(AuthClaims(ClaimsWith("iss", json::Value::String("https://evil/"))),
                 RejectCode::kIdTokenIssuer, "iss");
  CHECK_REJECTED(AuthClaims(ClaimsWith("iss", json::Value())), RejectCode::kIdTokenIssuer, "iss");
  CHECK_REJECTED(AuthClaims(ClaimsWith("aud", json::Value::String("TERM-0002"))),
                 RejectCode::kIdTokenAudience, "TERM-0001");
  CHECK_REJECTED(AuthClaims(ClaimsWith("nonce", json::Value())), RejectCode::kIdTokenNonce,
                 "nonce");
  CHECK_REJECTED(AuthClaims(ClaimsWith("nonce", json::Value::String(""))),
                 RejectCode::kIdTokenNonce, "nonce");
  CHECK_REJECTED(AuthClaims(ClaimsWith("acr", json::Value::String("eidas2"))),
                 RejectCode::kIdTokenAcr, "eidas1");
  const std::string old_iat = ClaimsWith("iat", json::Value::Int(kNow / 1000 - 600));
  CHECK_REJECTED(AuthClaims(ClaimsWith("exp", json::Value::Int(kNow / 1000 - 61), old_iat)),
                 RejectCode::kIdTokenExpired, "expired at");
  CHECK_ACCEPTED(
      AuthClaims(ClaimsWith("exp", json::Value::Int(kNow / 1000 - 59), old_iat)));  // leeway
  CHECK_REJECTED(AuthClaims(ClaimsWith("exp", json::Value::Int(kNow / 1000 - 700), old_iat)),
                 RejectCode::kIdTokenExpired, "iat after exp");
  CHECK_REJECTED(AuthClaims(ClaimsWith("iat", json::Value::Int(kNow / 1000 + 120))),
                 RejectCode::kIdTokenExpired, "future");
  CHECK_REJECTED(AuthClaims(ClaimsWith("exp", json::Value::String("soon"))),
                 RejectCode::kIdTokenExpired, "integer");
  CHECK_REJECTED(AuthClaims(ClaimsWith("sub", json::Value::String("899700100060"))),
                 RejectCode::kIdTokenSubject, "sub");
}

TEST(AuthenticateEcps, PortalSignsForPatients) {
  const auto& portal = *GetEnv().pki.portal;
  AuthResult r =
      Auth(SignWith(PatientRequest(), portal.key, {portal.cert.der()}), Peer(portal.cert));
  CHECK_ACCEPTED(r);
  CHECK(r.value().method == AuthMethod::kPortal);
  CHECK(r.value().profession.empty());
}

TEST(AuthenticateEcps, ClientRoles) {
  // A terminal's device key signing for a patient; the portal's for a professional (e-CPS).
  protocol::Request patient = PatientRequest();
  patient.terminal_id = "TERM-0001";
  const auto& term = GetEnv().Terminal(0);
  CHECK_REJECTED(Auth(SignWith(patient, term.key, {term.cert.der()})),
                 RejectCode::kClientRoleMismatch, "patient");
  const auto& portal = *GetEnv().pki.portal;
  protocol::Request pro = GpRequest();
  pro.terminal_id = "PORTAL-0001";
  pro.actor.id_token = IdToken(GoodClaims());
  CHECK_REJECTED(Auth(SignWith(pro, portal.key, {portal.cert.der()}), Peer(portal.cert)),
                 RejectCode::kClientRoleMismatch, "portal");
  // A patient request signed by a card.
  protocol::Request card_patient = PatientRequest();
  card_patient.terminal_id = "TERM-0001";
  CHECK_REJECTED(Auth(SignAut(card_patient)), RejectCode::kDeviceSignerMismatch, "portal");
}

}  // namespace carnet::node::authn
