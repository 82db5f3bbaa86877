#pragma once
// The terminal side of e-CPS (DESIGN.md §2): the professional authenticates with the Pro Santé
// Connect-like provider on their phone; the terminal receives an OpenID Connect id_token (a
// JWS, crypto/jose) and, before it lets the professional act, checks it exactly as the node
// will (node/authn/id_token.cc re-checks every claim) plus what only the terminal can check:
// that the token answers *this terminal's* challenge (nonce). Then the terminal signs its
// requests with its device key (ES256, x5chain = its client certificate) with the token in the
// request's actor; the node accepts such a request only with that token.
//
// Checks, in order, each with its own Status message (the attack each stops, id_token.cc):
//   JWS shape and algorithm (RS256/ES256 only: no none, no HS*, no embedded keys) kInvalidArgument
//   signature by a pinned key of a configured provider (the key picks the provider)
//   kUnauthenticated claims a JSON object; iss = that provider's issuer kUnauthenticated aud
//   (string or array) contains the terminal id                                   kUnauthenticated
//   nonce = the terminal's outstanding challenge (constant-time compare) kUnauthenticated acr =
//   "eidas1"                                                                   kUnauthenticated
//   exp, iat integer seconds, iat <= exp, now <= exp + leeway, iat <= now + leeway kUnauthenticated
//   sub = an idNat ("8" + 11 digits, Luhn) kUnauthenticated
// A challenge is used once: the caller makes a new one for every login (NewChallenge).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/core/pk.h"
#include "crypto/protocol/request.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::fw::ecps {

// The acr value the node requires (eIDAS "substantial"), as in node/authn/id_token.cc.
inline constexpr char kRequiredAcr[] = "eidas1";

// One identity provider: its issuer ("iss") and the keys pinned for it (several during a key
// rotation). Keys come from the terminal's configuration, never from the token or a URL.
struct Provider {
  std::string issuer;
  std::vector<crypto::PublicKey> keys;
};

// A fresh challenge for the provider's authorization request: 32 random bytes, base64url
// (43 characters), sent as the OpenID `nonce`.
Result<std::string> NewChallenge(Random& rng);

struct VerifyParams {
  std::string terminal_id;  // expected in "aud" (the terminal's certificate CN)
  std::string nonce;        // the challenge this terminal sent; empty is refused
  UnixMillis now = 0;
  std::chrono::milliseconds leeway = std::chrono::seconds(60);  // = the node's default
};

// What a verified token says. `id_token` is the compact token itself, to be carried in every
// request of the session (protocol::Actor::id_token).
struct EcpsIdentity {
  std::string idnat;  // "sub"
  std::string issuer;
  UnixMillis expires_at = 0;  // exp, in milliseconds
  std::string id_token;
};

Result<EcpsIdentity> VerifyIdToken(std::string_view compact,
                                   const std::vector<Provider>& providers,
                                   const VerifyParams& params);

// Signs `request` as an e-CPS request: sets actor.kind = professional, actor.idnat =
// identity.idnat and actor.id_token = identity.id_token, then signs ES256 with `device_key`
// (P-256, from the key store) and x5chain = [device_cert_der] (the terminal's TLS client
// certificate: the node compares them byte for byte). Refused before signing, as the node would
// refuse them: deposit, replace and add_own_document (they need the CPS card's SIG key), a
// non-professional actor kind, a non-P-256 device key, and an identity whose token has expired
// at `now` (plus leeway).
Result<Bytes> SignEcpsRequest(protocol::Request request,
                              const EcpsIdentity& identity,
                              const crypto::PrivateKey& device_key,
                              const Bytes& device_cert_der,
                              UnixMillis now,
                              Random& rng);

}  // namespace carnet::fw::ecps
