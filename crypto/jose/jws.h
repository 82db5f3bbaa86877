#pragma once
// JWS compact serialization (RFC 7515 §7.1), verify side first: how the node checks the e-CPS
// provider's id_token (an OpenID Connect JWT, RFC 7519) before trusting the idNat in it.
//
//   BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature)
//
// Strict, because this is where forged tokens are stopped:
// - base64url without padding, canonical (unused bits zero, no length ≡ 1 mod 4), no whitespace;
// - exactly three parts, none empty except nothing (an empty signature is "unsecured JWS");
// - header: a JSON object with "alg" (required), "typ" and "kid" (optional strings) and nothing
//   else. "none" is refused by name (RFC 7518 §3.6: the classic bypass), "crit" is refused, and
//   so are "jwk" / "jku" / "x5u" / "x5c" (a token must never choose its own verification key);
// - alg in the caller's whitelist (default RS256, ES256); the key type must fit the alg (an RSA
//   public key used as an HMAC secret is the other classic bypass: HS* is never accepted);
// - ES256 signatures raw r||s, 64 bytes (RFC 7518 §3.4); RSA the modulus size;
// - size limits on the whole token, the header and the payload.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/core/pk.h"
#include "hal/base/bytes.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::crypto::jose {

struct JwsLimits {
  size_t max_compact_size = 16 * 1024;
  size_t max_header_size = 1024;  // decoded
  size_t max_payload_size = 8 * 1024;
  std::vector<SignatureScheme> allowed_algs = {SignatureScheme::kRs256, SignatureScheme::kEs256};
};

struct Jws {
  SignatureScheme alg = SignatureScheme::kRs256;
  std::optional<std::string> typ;
  std::optional<std::string> kid;
  Bytes payload;              // decoded
  std::string signing_input;  // ASCII(BASE64URL(header) '.' BASE64URL(payload))
  Bytes signature;            // decoded
};

// Parses and checks the shape (everything above except the signature). kInvalidArgument on a
// malformed token, kOutOfRange on a size limit, kUnauthenticated for a refused algorithm.
Result<Jws> ParseCompact(std::string_view compact, const JwsLimits& limits = JwsLimits{});

// Verifies the signature with `key` (kUnauthenticated when it does not verify or the key does
// not fit the alg).
Status Verify(const Jws& jws, const PublicKey& key);

// ParseCompact, then Verify with each key in turn (pinned provider keys, e.g. during a
// rotation); returns the payload of the first key that verifies. With a "kid" in the token the
// keys are still all tried: kid is a hint, never an authority.
Result<Bytes> VerifyCompact(std::string_view compact,
                            const std::vector<const PublicKey*>& keys,
                            const JwsLimits& limits = JwsLimits{});

// Signs `payload` into a compact JWS with header {"alg", "typ"?, "kid"?}: the provider side,
// for tests, the demo and the terminal simulator. ES256 or RS256 only.
Result<std::string> SignCompact(const PrivateKey& key,
                                SignatureScheme alg,
                                ByteView payload,
                                std::optional<std::string> kid = std::nullopt,
                                std::optional<std::string> typ = std::string("JWT"),
                                Random* rng = nullptr);

}  // namespace carnet::crypto::jose
