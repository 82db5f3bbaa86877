// The terminal's check of an e-CPS id_token, and e-CPS request signing. The claim checks are
// those of node/authn/id_token.cc, shared through crypto/jose/claims.h (the node re-checks every
// one of them), plus the nonce, which only the terminal can compare with what it sent.
#include "firmware/ecps/id_token.h"

#include <utility>

#include "crypto/core/secret.h"
#include "crypto/jose/claims.h"
#include "crypto/jose/jws.h"
#include "hal/base/json.h"

namespace carnet::fw::ecps {
namespace {

constexpr size_t kChallengeBytes = 32;
constexpr size_t kMaxClaimsBytes = size_t{8} * 1024;  // = node/authn
constexpr int kMaxClaimsDepth = 8;

Status Refuse(std::string message) { return Unauthenticated("e-CPS id_token: " + message); }

// exp / iat (crypto/jose CheckTokenTimes), worded for the professional at the counter.
Result<UnixMillis> CheckTimes(const json::Value& claims, UnixMillis now, int64_t leeway_ms) {
  const crypto::jose::TokenTimes t = crypto::jose::CheckTokenTimes(claims, now, leeway_ms);
  switch (t.outcome) {
    case crypto::jose::TimesOutcome::kOk:
      return t.expires_at;
    case crypto::jose::TimesOutcome::kNotIntegers:
      return Refuse("exp and iat must be integer seconds");
    case crypto::jose::TimesOutcome::kOutOfRange:
      return Refuse("exp/iat out of range or iat after exp");
    case crypto::jose::TimesOutcome::kExpired:
      return Refuse("expired " + std::to_string((now - t.expires_at) / 1000) +
                    " s ago: the professional must authenticate again");
    case crypto::jose::TimesOutcome::kFuture:
      return Refuse("issued in the future: check the terminal's clock");
  }
  return Refuse("exp/iat not checked");
}

// The provider whose pinned key verifies the token, or nullptr. The issuer is decided by the
// key, never by "iss" or "kid" (a token naming a provider must not choose whose key checks it).
const Provider* VerifyingProvider(const crypto::jose::Jws& jws,
                                  const std::vector<Provider>& providers) {
  for (const Provider& p : providers) {
    for (const crypto::PublicKey& key : p.keys) {
      if (crypto::jose::Verify(jws, key).ok()) return &p;
    }
  }
  return nullptr;
}

// The nonce binds the token to this terminal's login: a token obtained for another session
// (stolen from a log, or from another terminal of the same id) is refused. Constant time, as
// the challenge is this terminal's secret until the login completes.
bool NonceMatches(const std::string& got, const std::string& want) {
  return !want.empty() && crypto::ConstantTimeEqual(AsBytes(got), AsBytes(want));
}

Status CheckClaims(const json::Value& claims,
                   const Provider& provider,
                   const VerifyParams& params,
                   EcpsIdentity& out) {
  const std::string* iss = crypto::jose::StringClaim(claims, "iss");
  if (iss == nullptr || *iss != provider.issuer) return Refuse("iss is not " + provider.issuer);
  if (!crypto::jose::AudienceContains(claims, params.terminal_id)) {
    return Refuse("not issued for this terminal (" + params.terminal_id + ")");
  }
  const std::string* nonce = crypto::jose::StringClaim(claims, "nonce");
  if (nonce == nullptr || nonce->empty()) return Refuse("no nonce (terminal challenge)");
  if (!NonceMatches(*nonce, params.nonce)) {
    return Refuse("nonce is not this terminal's challenge: start the login again");
  }
  const std::string* acr = crypto::jose::StringClaim(claims, "acr");
  if (acr == nullptr || *acr != kRequiredAcr) {
    return Refuse(std::string("acr is not ") + kRequiredAcr + " (eIDAS substantial)");
  }
  CARNET_ASSIGN_OR_RETURN(out.expires_at, CheckTimes(claims, params.now, params.leeway.count()));
  const std::string* sub = crypto::jose::StringClaim(claims, "sub");
  if (sub == nullptr || !protocol::IdNatShapeValid(*sub)) {
    return Refuse("sub is not an idNat (8 + RPPS)");
  }
  out.idnat = *sub;
  out.issuer = provider.issuer;
  return Status::Ok();
}

bool NeedsCardSignature(protocol::Action action) {
  return action == protocol::Action::kDeposit || action == protocol::Action::kReplace ||
         action == protocol::Action::kAddOwnDocument;
}

}  // namespace

Result<std::string> NewChallenge(Random& rng) {
  CARNET_ASSIGN_OR_RETURN(Bytes raw, rng.Generate(kChallengeBytes));
  return Base64UrlEncode(raw);
}

Result<EcpsIdentity> VerifyIdToken(std::string_view compact,
                                   const std::vector<Provider>& providers,
                                   const VerifyParams& params) {
  if (params.nonce.empty() || params.terminal_id.empty()) {
    return FailedPrecondition("e-CPS: no outstanding challenge or terminal id");
  }
  auto jws = crypto::jose::ParseCompact(compact);
  if (!jws.ok()) return jws.status().Annotate("e-CPS id_token");
  const Provider* provider = VerifyingProvider(*jws, providers);
  if (provider == nullptr) return Refuse("not signed by a pinned provider key");
  auto claims =
      json::Parse(ToString(jws->payload), json::ParseLimits{kMaxClaimsBytes, kMaxClaimsDepth});
  if (!claims.ok() || !claims->is(json::Kind::kObject)) {
    return Refuse("claims are not a JSON object");
  }
  EcpsIdentity identity;
  CARNET_TRY(CheckClaims(*claims, *provider, params, identity));
  identity.id_token = std::string(compact);
  return identity;
}

Result<Bytes> SignEcpsRequest(protocol::Request request,
                              const EcpsIdentity& identity,
                              const crypto::PrivateKey& device_key,
                              const Bytes& device_cert_der,
                              UnixMillis now,
                              Random& rng) {
  if (NeedsCardSignature(request.action)) {
    return FailedPrecondition(std::string("e-CPS cannot sign '") +
                              std::string(protocol::ActionName(request.action)) +
                              "': it needs the professional's CPS card (SIG key)");
  }
  if (request.actor.kind != protocol::ActorKind::kProfessional) {
    return InvalidArgument("an e-CPS request's actor is a professional");
  }
  if (device_key.type() != crypto::KeyType::kEcP256) {
    return InvalidArgument("the device key is not EC P-256: enroll the terminal again");
  }
  if (identity.id_token.empty() || now > identity.expires_at + 60 * 1000) {
    return FailedPrecondition("the e-CPS session has expired: the professional must log in again");
  }
  request.actor.idnat = identity.idnat;
  request.actor.id_token = identity.id_token;
  auto sign = [&device_key, &rng](ByteView to_be_signed) -> Result<Bytes> {
    return device_key.Sign(crypto::SignatureScheme::kEs256, to_be_signed, rng);
  };
  return protocol::SignRequest(request, sign, crypto::SignatureScheme::kEs256, {device_cert_der});
}

}  // namespace carnet::fw::ecps
