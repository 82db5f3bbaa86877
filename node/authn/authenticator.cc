// Authenticator: the order of the checks and the terminal-side checks. The signer checks are in
// signer_checks.cc, the e-CPS id_token in id_token.cc.
#include "node/authn/authenticator.h"

#include "node/authn/authenticator_internal.h"

namespace carnet::node::authn {

std::string_view AuthMethodName(AuthMethod method) {
  switch (method) {
    case AuthMethod::kCpsCard:
      return "cps";
    case AuthMethod::kEcps:
      return "e-cps";
    case AuthMethod::kPortal:
      return "portal";
  }
  return "unknown";
}

Authenticator::Authenticator(const crypto::TrustStore& terminal_trust,
                             const TerminalRegistry& registry,
                             const crypto::TrustStore& igc_trust,
                             const directory::Directory& directory,
                             std::vector<EcpsProvider> providers,
                             AuthenticatorOptions options)
    : terminal_trust_(terminal_trust),
      registry_(registry),
      igc_trust_(igc_trust),
      directory_(directory),
      providers_(std::move(providers)),
      options_(options) {}

// The TLS layer proved the client holds the key of this certificate; here we decide whether
// the certificate is one of ours. Chaining to the terminal CA is necessary but not enough: only
// the exact enrolled certificate (by SHA-256) is accepted, so a certificate the CA issued
// outside enrollment, or one replaced by a re-enrollment, does not get in.
std::optional<Rejection> Authenticator::CheckTerminal(const PeerInfo& peer,
                                                      UnixMillis now,
                                                      Context& ctx) const {
  if (peer.client_cert_der.empty()) {
    return Reject(RejectCode::kTerminalCertMissing, "no TLS client certificate");
  }
  auto cert = crypto::Certificate::FromDer(peer.client_cert_der);
  if (!cert.ok()) {
    return Reject(RejectCode::kTerminalCertUntrusted,
                  "client certificate: " + cert.status().message());
  }
  std::vector<crypto::Certificate> chain;
  chain.push_back(cert->Clone());
  Status trusted = terminal_trust_.Verify(chain, crypto::Purpose::kTlsClient, now, false);
  if (!trusted.ok()) {
    return Reject(RejectCode::kTerminalCertUntrusted, "client certificate: " + trusted.message());
  }
  ctx.record = registry_.FindByFingerprint(crypto::Sha256(peer.client_cert_der));
  if (ctx.record == nullptr) {
    return Reject(RejectCode::kTerminalNotEnrolled,
                  "client certificate '" + cert->CommonName() + "' is not enrolled");
  }
  if (!ctx.record->active()) {
    return Reject(RejectCode::kTerminalRevoked, "terminal " + ctx.record->id + " was revoked on " +
                                                    FormatRfc3339(*ctx.record->revoked_at));
  }
  ctx.client_cert.emplace(std::move(cert).value());
  return std::nullopt;
}

std::optional<Rejection> Authenticator::CheckDirectory(Context& ctx) const {
  const protocol::Actor& actor = ctx.opened->request.actor;
  if (actor.kind != protocol::ActorKind::kProfessional) return std::nullopt;
  const directory::DirectoryEntry* entry = directory_.Lookup(actor.idnat);
  if (entry == nullptr) {
    return Reject(RejectCode::kDirectoryUnknown,
                  "idNat " + actor.idnat + " is not in the directory");
  }
  if (!entry->active) {
    return Reject(RejectCode::kDirectoryInactive,
                  "idNat " + actor.idnat + " is inactive in the directory");
  }
  // Habilitation follows the directory: a request claiming another profession (a nurse
  // claiming "médecin") or specialty is refused, not corrected (DESIGN.md §2).
  if (entry->profession != actor.profession || entry->specialty != actor.specialty) {
    return Reject(RejectCode::kDirectoryMismatch,
                  "request claims profession " + actor.profession + "/" + actor.specialty +
                      ", the directory has " + entry->profession + "/" + entry->specialty);
  }
  ctx.profession = entry->profession;
  ctx.specialty = entry->specialty;
  return std::nullopt;
}

AuthResult Authenticator::Authenticate(ByteView cose_bytes,
                                       const PeerInfo& peer,
                                       UnixMillis now) const {
  const protocol::Limits& limits = options_.limits;
  const size_t max_size = limits.max_content_size + limits.max_overhead + limits.max_protected_size;
  if (cose_bytes.size() > max_size) {
    return Reject(RejectCode::kTooLarge, "request of " + std::to_string(cose_bytes.size()) +
                                             " bytes, limit " + std::to_string(max_size));
  }
  Context ctx;
  if (auto r = CheckTerminal(peer, now, ctx)) return *r;
  auto opened = protocol::OpenRequest(cose_bytes, limits);
  if (!opened.ok()) {
    RejectCode code = opened.status().code() == StatusCode::kOutOfRange ? RejectCode::kTooLarge
                                                                        : RejectCode::kMalformed;
    return Reject(code, opened.status().message());
  }
  ctx.opened.emplace(std::move(opened).value());
  const protocol::Request& request = ctx.opened->request;
  if (request.terminal_id != ctx.record->id) {
    return Reject(RejectCode::kTerminalMismatch, "request names terminal '" + request.terminal_id +
                                                     "', the client is '" + ctx.record->id + "'");
  }
  if (auto r = SignedByClient(ctx) ? CheckDeviceSigner(ctx, now) : CheckCardSigner(ctx, now)) {
    return *r;
  }
  if (auto r = CheckDirectory(ctx)) return *r;
  const int64_t age = now - request.issued_at;
  if (age > options_.freshness_window.count() || -age > options_.freshness_window.count()) {
    return Reject(RejectCode::kStale, "issued at " + FormatRfc3339(request.issued_at) + ", now " +
                                          FormatRfc3339(now) + ": outside the freshness window");
  }
  return AuthenticatedRequest{std::move(ctx.opened->request),
                              protocol::RequestContentHash(cose_bytes),
                              ctx.record->id,
                              ctx.method,
                              std::move(ctx.profession),
                              std::move(ctx.specialty),
                              std::move(ctx.nonce)};
}

}  // namespace carnet::node::authn
