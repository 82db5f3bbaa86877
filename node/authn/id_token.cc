// The e-CPS id_token (OpenID Connect Core §2, §3.1.3.7): the provider's signed statement that
// it authenticated this professional, at eIDAS "substantial" level, for this terminal, in
// answer to this terminal's challenge.
#include <vector>

#include "crypto/jose/jws.h"
#include "hal/base/json.h"
#include "node/authn/authenticator_internal.h"

namespace carnet::node::authn {
namespace {

constexpr size_t kMaxClaimsBytes = size_t{8} * 1024;

const std::string* StringClaim(const json::Value& claims, std::string_view name) {
  const json::Value* v = claims.Find(name);
  return v != nullptr && v->is(json::Kind::kString) ? &v->as_string() : nullptr;
}

// "aud" is a string or an array of strings (RFC 7519 §4.1.3).
bool AudienceIs(const json::Value& claims, const std::string& terminal_id) {
  const json::Value* aud = claims.Find("aud");
  if (aud == nullptr) return false;
  if (aud->is(json::Kind::kString)) return aud->as_string() == terminal_id;
  if (!aud->is(json::Kind::kArray)) return false;
  for (const json::Value& a : aud->as_array()) {
    if (a.is(json::Kind::kString) && a.as_string() == terminal_id) return true;
  }
  return false;
}

std::optional<Rejection> CheckTimes(const json::Value& claims, UnixMillis now, int64_t leeway_ms) {
  const json::Value* exp = claims.Find("exp");
  const json::Value* iat = claims.Find("iat");
  if (exp == nullptr || iat == nullptr || !exp->is(json::Kind::kInt) ||
      !iat->is(json::Kind::kInt)) {
    return Reject(RejectCode::kIdTokenExpired, "id_token: exp and iat must be integer seconds");
  }
  const int64_t exp_s = exp->as_int();
  const int64_t iat_s = iat->as_int();
  const int64_t limit = int64_t{1} << 40;  // seconds; keeps the millisecond products in range
  if (exp_s < 0 || iat_s < 0 || exp_s > limit || iat_s > limit || iat_s > exp_s) {
    return Reject(RejectCode::kIdTokenExpired, "id_token: exp/iat out of range or iat after exp");
  }
  if (now > exp_s * 1000 + leeway_ms) {
    return Reject(RejectCode::kIdTokenExpired,
                  "id_token expired at " + FormatRfc3339(exp_s * 1000));
  }
  if (iat_s * 1000 > now + leeway_ms) {
    return Reject(RejectCode::kIdTokenExpired, "id_token issued in the future");
  }
  return std::nullopt;
}

// The provider whose pinned key verifies the token, or nullptr. The issuer is decided by the
// key, never by what the token says: "iss" is then only compared with it.
const EcpsProvider* VerifyingProvider(const crypto::jose::Jws& jws,
                                      const std::vector<EcpsProvider>& providers) {
  for (const EcpsProvider& p : providers) {
    for (const crypto::PublicKey& key : p.keys) {
      if (crypto::jose::Verify(jws, key).ok()) return &p;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<Rejection> Authenticator::CheckIdToken(Context& ctx, UnixMillis now) const {
  const protocol::Request& request = ctx.opened->request;
  if (!request.actor.id_token) {
    return Reject(RejectCode::kIdTokenMissing,
                  "a device-signed professional request needs an e-CPS id_token");
  }
  auto jws = crypto::jose::ParseCompact(*request.actor.id_token);
  if (!jws.ok()) return Reject(RejectCode::kIdTokenInvalid, "id_token: " + jws.status().message());
  const EcpsProvider* provider = VerifyingProvider(*jws, providers_);
  if (provider == nullptr) {
    return Reject(RejectCode::kIdTokenSignature, "id_token is not signed by a pinned provider key");
  }
  auto claims = json::Parse(ToString(jws->payload), json::ParseLimits{kMaxClaimsBytes, 8});
  if (!claims.ok() || !claims->is(json::Kind::kObject)) {
    return Reject(RejectCode::kIdTokenInvalid, "id_token claims are not a JSON object");
  }
  const std::string* iss = StringClaim(*claims, "iss");
  if (iss == nullptr || *iss != provider->issuer) {
    return Reject(RejectCode::kIdTokenIssuer, "id_token iss is not " + provider->issuer);
  }
  if (!AudienceIs(*claims, ctx.record->id)) {
    return Reject(RejectCode::kIdTokenAudience,
                  "id_token was not issued for terminal " + ctx.record->id);
  }
  const std::string* nonce = StringClaim(*claims, "nonce");
  if (nonce == nullptr || nonce->empty()) {
    return Reject(RejectCode::kIdTokenNonce, "id_token has no nonce (terminal challenge)");
  }
  const std::string* acr = StringClaim(*claims, "acr");
  if (acr == nullptr || *acr != "eidas1") {
    return Reject(RejectCode::kIdTokenAcr, "id_token acr is not eidas1");
  }
  if (auto r = CheckTimes(*claims, now, options_.id_token_leeway.count())) return r;
  const std::string* sub = StringClaim(*claims, "sub");
  if (sub == nullptr || *sub != request.actor.idnat) {
    return Reject(RejectCode::kIdTokenSubject, "id_token sub is not actor " + request.actor.idnat);
  }
  ctx.nonce = *nonce;
  return std::nullopt;
}

}  // namespace carnet::node::authn
