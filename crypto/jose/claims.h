#pragma once
// Claim checks of a JWT / OpenID Connect id_token (RFC 7519 §4.1) shared by the terminal
// (firmware/ecps) and the node (node/authn), which check the same e-CPS token: one definition,
// so that the two sides cannot drift. Each caller words its own refusal from the outcome.

#include <cstdint>
#include <string>
#include <string_view>

#include "hal/base/clock.h"
#include "hal/base/json.h"

namespace carnet::crypto::jose {

// The claim `name` when it is a JSON string, else nullptr.
const std::string* StringClaim(const json::Value& claims, std::string_view name);

// "aud" is a string or an array of strings (RFC 7519 §4.1.3): true when it names `audience`.
bool AudienceContains(const json::Value& claims, std::string_view audience);

// exp / iat: integer seconds, bounded (2^40) so that the millisecond products cannot overflow,
// judged at `now` with `leeway_ms` either side.
enum class TimesOutcome {
  kOk,
  kNotIntegers,  // exp or iat missing or not an integer
  kOutOfRange,   // negative, beyond 2^40 s, or iat after exp
  kExpired,      // now > exp + leeway
  kFuture,       // iat > now + leeway
};
struct TokenTimes {
  TimesOutcome outcome = TimesOutcome::kNotIntegers;
  UnixMillis expires_at = 0;  // exp in milliseconds, set for kOk, kExpired and kFuture
};
TokenTimes CheckTokenTimes(const json::Value& claims, UnixMillis now, int64_t leeway_ms);

}  // namespace carnet::crypto::jose
