#pragma once
// Step 1 of every request (DESIGN.md §4 "Authenticate"): from the bytes a terminal POSTed and
// the TLS client certificate it presented, either an AuthenticatedRequest whose every identity
// claim has been checked, or a Rejection naming the first check that failed.
//
// Checks, in order (first failure wins; each has its own RejectCode, rejection.h):
//  1. size ≤ limit                                                        (413 too_large)
//  2. client certificate present, chains to the terminal CA for clientAuth, enrolled in the
//     registry (exact certificate, by SHA-256), not revoked
//  3. COSE_Sign1 and payload decode strictly (crypto/protocol)             (400 malformed)
//  4. request.terminal_id = the enrolled id (= certificate CN)
//  5. signer, by who signed:
//     - CPS card (x5chain leaf is not the client certificate): professional actor; leaf key
//       usage fits the action (deposit / replace / add_own_document: SIG nonRepudiation; the
//       rest: AUT digitalSignature); signature verifies; chain to IGC-Santé, current CRL,
//       not revoked; the leaf's CN idNat = actor idNat
//     - device (x5chain leaf = the client certificate, ES256): professional with an e-CPS
//       id_token from a terminal (JWS verified against the pinned provider keys; iss, aud =
//       terminal id, nonce, acr = eidas1, exp/iat, sub = idNat); or a patient / legal
//       representative from the portal. No non-repudiation action by device signature.
//  6. professional: idNat in the directory, active, same profession and specialty
//  7. fresh: |now − issued_at| ≤ window                                     (409 stale_request)
//
// Not here: replay / idempotency (the store keys on request id + content_hash), the Vitale
// presence proof, the policy. Thread-safe: Authenticate is const and touches only const state.

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "crypto/core/hash.h"
#include "crypto/protocol/request.h"
#include "crypto/x509/trust_store.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "node/authn/rejection.h"
#include "node/authn/terminal_registry.h"
#include "node/directory/directory.h"

namespace carnet::node::authn {

struct PeerInfo {
  Bytes client_cert_der;  // the TLS client certificate, DER; empty when none
};

enum class AuthMethod { kCpsCard, kEcps, kPortal };
std::string_view AuthMethodName(AuthMethod method);  // "cps", "e-cps", "portal"

struct AuthenticatedRequest {
  protocol::Request request;
  crypto::Sha256Digest content_hash{};  // SHA-256 of the exact COSE bytes: replay detection
  std::string terminal_id;              // enrolled id of the TLS client
  AuthMethod method = AuthMethod::kCpsCard;
  // Professionals: from the directory (equal to the request's claims, checked). Empty for
  // patients and legal representatives.
  std::string profession;
  std::string specialty;
  std::optional<std::string> id_token_nonce;  // e-CPS: the terminal challenge it answered
};

// One e-CPS identity provider: its issuer ("iss") and the keys pinned for it (rotation).
struct EcpsProvider {
  std::string issuer;
  std::vector<crypto::PublicKey> keys;  // RSA-2048+ (RS256) or P-256 (ES256)
};

struct AuthenticatorOptions {
  std::chrono::milliseconds freshness_window = std::chrono::minutes(5);
  std::chrono::milliseconds id_token_leeway = std::chrono::seconds(60);  // clock skew on exp/iat
  bool require_crl = true;  // IGC-Santé CRL must be present and current
  protocol::Limits limits;  // message size = limits.max_content_size + limits.max_overhead
};

// Either the request or why not.
class AuthResult {
 public:
  AuthResult(AuthenticatedRequest r) : v_(std::move(r)) {}  // NOLINT(google-explicit-constructor)
  AuthResult(Rejection r) : v_(std::move(r)) {}             // NOLINT(google-explicit-constructor)
  bool ok() const { return std::holds_alternative<AuthenticatedRequest>(v_); }
  const AuthenticatedRequest& value() const { return std::get<AuthenticatedRequest>(v_); }
  AuthenticatedRequest&& take() && { return std::get<AuthenticatedRequest>(std::move(v_)); }
  const Rejection& rejection() const { return std::get<Rejection>(v_); }

 private:
  std::variant<AuthenticatedRequest, Rejection> v_;
};

class Authenticator {
 public:
  // Every reference must outlive the Authenticator (the server rebuilds one when the directory,
  // registry or trust material is reloaded). `terminal_trust`: the terminal CA as root (plus
  // its CRL when configured); `igc_trust`: IGC-Santé roots, intermediates and CRLs.
  Authenticator(const crypto::TrustStore& terminal_trust,
                const TerminalRegistry& registry,
                const crypto::TrustStore& igc_trust,
                const directory::Directory& directory,
                std::vector<EcpsProvider> providers,
                AuthenticatorOptions options = AuthenticatorOptions{});

  AuthResult Authenticate(ByteView cose_bytes, const PeerInfo& peer, UnixMillis now) const;

  struct Context;  // what the checks learn as they go (authenticator_internal.h)

 private:
  std::optional<Rejection> CheckTerminal(const PeerInfo& peer, UnixMillis now, Context& ctx) const;
  std::optional<Rejection> CheckCardSigner(Context& ctx, UnixMillis now) const;
  std::optional<Rejection> CheckDeviceSigner(Context& ctx, UnixMillis now) const;
  std::optional<Rejection> CheckIdToken(Context& ctx, UnixMillis now) const;
  std::optional<Rejection> CheckDirectory(Context& ctx) const;

  const crypto::TrustStore& terminal_trust_;
  const TerminalRegistry& registry_;
  const crypto::TrustStore& igc_trust_;
  const directory::Directory& directory_;
  std::vector<EcpsProvider> providers_;
  AuthenticatorOptions options_;
};

}  // namespace carnet::node::authn
