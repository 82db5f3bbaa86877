#include "crypto/jose/claims.h"

namespace carnet::crypto::jose {

const std::string* StringClaim(const json::Value& claims, std::string_view name) {
  const json::Value* v = claims.Find(name);
  return v != nullptr && v->is(json::Kind::kString) ? &v->as_string() : nullptr;
}

bool AudienceContains(const json::Value& claims, std::string_view audience) {
  const json::Value* aud = claims.Find("aud");
  if (aud == nullptr) return false;
  if (aud->is(json::Kind::kString)) return aud->as_string() == audience;
  if (!aud->is(json::Kind::kArray)) return false;
  for (const json::Value& a : aud->as_array()) {
    if (a.is(json::Kind::kString) && a.as_string() == audience) return true;
  }
  return false;
}

TokenTimes CheckTokenTimes(const json::Value& claims, UnixMillis now, int64_t leeway_ms) {
  const json::Value* exp = claims.Find("exp");
  const json::Value* iat = claims.Find("iat");
  if (exp == nullptr || iat == nullptr || !exp->is(json::Kind::kInt) ||
      !iat->is(json::Kind::kInt)) {
    return {TimesOutcome::kNotIntegers, 0};
  }
  const int64_t exp_s = exp->as_int();
  const int64_t iat_s = iat->as_int();
  const int64_t limit = int64_t{1} << 40;
  if (exp_s < 0 || iat_s < 0 || exp_s > limit || iat_s > limit || iat_s > exp_s) {
    return {TimesOutcome::kOutOfRange, 0};
  }
  const UnixMillis expires_at = exp_s * 1000;
  if (now > expires_at + leeway_ms) return {TimesOutcome::kExpired, expires_at};
  if (iat_s * 1000 > now + leeway_ms) return {TimesOutcome::kFuture, expires_at};
  return {TimesOutcome::kOk, expires_at};
}

}  // namespace carnet::crypto::jose
