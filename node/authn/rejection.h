#pragma once
// Why node/authn refused a request: one code per check, each with the HTTP status the server
// answers (DESIGN.md §3) and a stable rule id for the trace (the AUTHN_* rules precede the
// policy engine's rules, node/policy/rules.h, step 1).

#include <string>
#include <string_view>

namespace carnet::node::authn {

enum class RejectCode {
  kTooLarge,               // 413: message over the size limit
  kMalformed,              // 400: COSE or payload does not decode (crypto/protocol)
  kTerminalCertMissing,    // 401: no TLS client certificate
  kTerminalCertUntrusted,  // 401: does not parse / chain to the terminal CA / expired
  kTerminalNotEnrolled,    // 401: chains, but this exact certificate is not in the registry
  kTerminalRevoked,        // 401: enrolled, then revoked
  kTerminalMismatch,       // 401: request's terminal id is not the certificate's
  kClientRoleMismatch,     // 401: a terminal speaking for a patient, a portal for a pro
  kSignerCertMissing,      // 401: no x5chain in a card-signed request
  kKeyUsageMismatch,       // 401: AUT where SIG is needed (or the reverse), e-CPS deposit
  kBadSignature,           // 401: the COSE signature does not verify with the leaf key
  kSignerUntrusted,        // 401: leaf not chained to IGC-Santé, expired, revoked, no CRL
  kDeviceSignerMismatch,   // 401: e-CPS / portal request not signed by the client's cert
  kActorMismatch,          // 401: certificate's idNat is not the request's actor
  kDirectoryUnknown,       // 401: idNat not in the directory
  kDirectoryInactive,      // 401: idNat inactive in the directory
  kDirectoryMismatch,      // 401: profession or specialty differs from the directory
  kIdTokenMissing,         // 401: e-CPS path without an id_token (internal guard)
  kIdTokenInvalid,         // 401: JWS malformed, alg refused, payload not JSON claims
  kIdTokenSignature,       // 401: no pinned provider key verifies it
  kIdTokenIssuer,          // 401: iss is not the provider whose key verified
  kIdTokenAudience,        // 401: aud is not this terminal
  kIdTokenNonce,           // 401: nonce missing or empty
  kIdTokenAcr,             // 401: acr is not "eidas1"
  kIdTokenExpired,         // 401: exp passed, or iat in the future / after exp
  kIdTokenSubject,         // 401: sub is not the actor's idNat
  kStale,                  // 409: issued_at outside the freshness window
};

struct Rejection {
  RejectCode reject_code = RejectCode::kMalformed;
  int http_status = 400;
  std::string code;     // "terminal_not_enrolled": the response's error code
  std::string reason;   // for the operator's logs and the response; never secrets
  std::string rule_id;  // "AUTHN_TERMINAL_NOT_ENROLLED": for the trace entry
};

Rejection Reject(RejectCode code, std::string reason);
std::string_view RejectCodeName(RejectCode code);
int RejectHttpStatus(RejectCode code);
std::string RejectRuleId(RejectCode code);

}  // namespace carnet::node::authn
