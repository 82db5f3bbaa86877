// The e-CPS id_token (OpenID Connect Core §2, §3.1.3.7): the provider's signed statement that
// it authenticated this professional, at eIDAS "substantial" level, for this terminal, in
// answer to this terminal's challenge.
#include <vector>

#include "crypto/jose/claims.h"
#include "crypto/jose/jws.h"
#include "hal/base/json.h"
#include "node/authn/authenticator_internal.h"

namespace carnet::node::authn {
namespace {

constexpr size_t kMaxClaimsBytes = size_t{8} * 1024;

// exp / iat (crypto/jose CheckTokenTimes), as a typed rejection.
std::optional<Rejection> CheckTimes(const json::Value& claims, UnixMillis now, int64_t leeway_ms) {
  const crypto::jose::TokenTimes t = crypto::jose::CheckTokenTimes(claims, now, leeway_ms);
  switch (t.outcome) {
    case crypto::jose::TimesOutcome::kOk:
      return std::nullopt;
    case crypto::jose::TimesOutcome::kNotIntegers:
      return Reject(RejectCode::kIdTokenExpired, "id_token: exp and iat must be integer seconds");
    case crypto::jose::TimesOutcome::kOutOfRange:
      return Reject(RejectCode::kIdTokenExpired, "id_token: exp/iat out of range or iat after exp");
    case crypto::jose::TimesOutcome::kExpired:
      return Reject(RejectCode::kIdTokenExpired,
                    "id_token expired at " + FormatRfc3339(t.expires_at));
    case crypto::jose::TimesOutcome::kFuture:
      return Reject(RejectCode::kIdTokenExpired, "id_token issued in the future");
  }
  return Reject(RejectCode::kIdTokenExpired, "id_token: exp/iat not checked");
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
  const std::string* iss = crypto::jose::StringClaim(*claims, "iss");
  if (iss == nullptr || *iss != provider->issuer) {
    return Reject(RejectCode::kIdTokenIssuer, "id_token iss is not " + provider->issuer);
  }
  if (!crypto::jose::AudienceContains(*claims, ctx.record->id)) {
    return Reject(RejectCode::kIdTokenAudience,
                  "id_token was not issued for terminal " + ctx.record->id);
  }
  const std::string* nonce = crypto::jose::StringClaim(*claims, "nonce");
  if (nonce == nullptr || nonce->empty()) {
    return Reject(RejectCode::kIdTokenNonce, "id_token has no nonce (terminal challenge)");
  }
  const std::string* acr = crypto::jose::StringClaim(*claims, "acr");
  if (acr == nullptr || *acr != "eidas1") {
    return Reject(RejectCode::kIdTokenAcr, "id_token acr is not eidas1");
  }
  if (auto r = CheckTimes(*claims, now, options_.id_token_leeway.count())) return r;
  const std::string* sub = crypto::jose::StringClaim(*claims, "sub");
  if (sub == nullptr || *sub != request.actor.idnat) {
    return Reject(RejectCode::kIdTokenSubject, "id_token sub is not actor " + request.actor.idnat);
  }
  ctx.nonce = *nonce;
  return std::nullopt;
}

}  // namespace carnet::node::authn
