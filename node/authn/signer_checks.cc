// Who signed the request: a CPS card (professional, IGC-Santé chain) or the client's own device
// key (e-CPS professional on a terminal, patient on the portal).
#include <vector>

#include "crypto/cose/sign1.h"
#include "node/authn/authenticator_internal.h"

namespace carnet::node::authn {

bool SignedByClient(const Authenticator::Context& ctx) {
  const std::vector<Bytes>& x5chain = ctx.opened->sign1.x5chain;
  return !x5chain.empty() && ctx.client_cert && x5chain.front() == ctx.client_cert->der();
}

bool NeedsNonRepudiation(protocol::Action action) {
  return action == protocol::Action::kDeposit || action == protocol::Action::kReplace ||
         action == protocol::Action::kAddOwnDocument;
}

namespace {

// Who may present a card signature at all, before any certificate is looked at.
std::optional<Rejection> CheckCardRequestShape(const Authenticator::Context& ctx) {
  const protocol::Request& request = ctx.opened->request;
  if (request.actor.kind != protocol::ActorKind::kProfessional) {
    return Reject(RejectCode::kDeviceSignerMismatch,
                  "patient requests are signed by the portal's device key");
  }
  if (ctx.record->role != ClientRole::kTerminal) {
    return Reject(RejectCode::kClientRoleMismatch, "card-signed requests come from terminals");
  }
  if (request.actor.id_token) {
    return Reject(RejectCode::kDeviceSignerMismatch,
                  "an e-CPS request must be signed by the terminal's device key");
  }
  if (ctx.opened->sign1.x5chain.empty()) {
    return Reject(RejectCode::kSignerCertMissing, "no x5chain: the signer is unknown");
  }
  return std::nullopt;
}

}  // namespace

std::optional<Rejection> Authenticator::CheckCardSigner(Context& ctx, UnixMillis now) const {
  if (auto r = CheckCardRequestShape(ctx)) return r;
  const crypto::cose::Sign1& sign1 = ctx.opened->sign1;
  const protocol::Request& request = ctx.opened->request;
  auto parsed = crypto::Certificate::FromDer(sign1.x5chain.front());
  if (!parsed.ok()) {
    return Reject(RejectCode::kSignerUntrusted, "x5chain leaf: " + parsed.status().message());
  }
  const crypto::Certificate& leaf = *parsed;
  // Checked before the signature so the reason is precise. An AUT signature on a deposit would
  // let anyone who can make the card authenticate (a session left open) commit its holder to a
  // document; a SIG signature on a read would spend the non-repudiation key on routine access.
  const crypto::Purpose purpose = NeedsNonRepudiation(request.action)
                                      ? crypto::Purpose::kCardNonRepudiation
                                      : crypto::Purpose::kCardAuthentication;
  if (Status s = leaf.KeyUsageAllows(purpose); !s.ok()) {
    return Reject(RejectCode::kKeyUsageMismatch,
                  std::string(protocol::ActionName(request.action)) + " needs the " +
                      std::string(crypto::PurposeName(purpose)) + " certificate: " + s.message());
  }
  Status s =
      crypto::cose::VerifyWithTrustStore(sign1, igc_trust_, purpose, now, {}, options_.require_crl);
  if (!s.ok()) {
    // Tell a bad signature from a bad chain (one more verification, on the failure path only).
    if (Status sig = crypto::cose::Verify(sign1, leaf.public_key()); !sig.ok()) {
      return Reject(RejectCode::kBadSignature, "COSE signature: " + sig.message());
    }
    return Reject(RejectCode::kSignerUntrusted, "signer certificate: " + s.message());
  }
  auto holder = leaf.Holder();
  if (!holder.ok() || holder->id_nat != request.actor.idnat) {
    return Reject(RejectCode::kActorMismatch, "signer certificate '" + leaf.CommonName() +
                                                  "' is not actor " + request.actor.idnat);
  }
  ctx.method = AuthMethod::kCpsCard;
  return std::nullopt;
}

std::optional<Rejection> Authenticator::CheckDeviceSigner(Context& ctx, UnixMillis now) const {
  const crypto::cose::Sign1& sign1 = ctx.opened->sign1;
  const protocol::Request& request = ctx.opened->request;
  const bool professional = request.actor.kind == protocol::ActorKind::kProfessional;
  // A terminal speaks for professionals (with e-CPS), the portal for patients: a stolen portal
  // key must not sign as a doctor, a terminal key not as a patient.
  const ClientRole expected = professional ? ClientRole::kTerminal : ClientRole::kPortal;
  if (ctx.record->role != expected) {
    return Reject(RejectCode::kClientRoleMismatch,
                  "a " + std::string(ClientRoleName(ctx.record->role)) + " cannot sign for a " +
                      std::string(protocol::ActorKindName(request.actor.kind)));
  }
  if (sign1.alg != crypto::SignatureScheme::kEs256) {
    return Reject(RejectCode::kDeviceSignerMismatch, "device signatures are ES256");
  }
  if (NeedsNonRepudiation(request.action) && professional) {
    return Reject(RejectCode::kKeyUsageMismatch,
                  "e-CPS cannot make the non-repudiation signature a deposit needs (CPS SIG key)");
  }
  if (Status s = ctx.client_cert->KeyUsageAllows(crypto::Purpose::kDeviceSigning); !s.ok()) {
    return Reject(RejectCode::kKeyUsageMismatch, "device certificate: " + s.message());
  }
  if (Status s = crypto::cose::Verify(sign1, ctx.client_cert->public_key()); !s.ok()) {
    return Reject(RejectCode::kBadSignature, "COSE signature: " + s.message());
  }
  if (!professional) {
    ctx.method = AuthMethod::kPortal;
    return std::nullopt;
  }
  ctx.method = AuthMethod::kEcps;
  return CheckIdToken(ctx, now);
}

}  // namespace carnet::node::authn
