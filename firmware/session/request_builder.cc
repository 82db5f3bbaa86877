#include "firmware/session/request_builder.h"

#include <cstdio>
#include <utility>

#include "crypto/core/hash.h"

namespace carnet::fw::session {

Result<protocol::Request> BuildRequest(const RequestInputs& in, Random& rng) {
  protocol::Request r;
  CARNET_ASSIGN_OR_RETURN(r.request_id, rng.Generate(protocol::kRequestIdSize));
  r.issued_at = in.now;
  r.terminal_id = in.terminal_id;
  r.mode = in.mode;
  r.justification = in.justification;
  r.actor.kind = protocol::ActorKind::kProfessional;
  r.actor.idnat = in.professional.id_nat;
  r.actor.profession = in.professional.profession;
  r.actor.specialty = in.professional.specialty;
  r.patient.ins = in.patient_nir;
  r.patient.ins_oid = in.ins_oid;
  r.action = in.action;
  r.args = in.args;
  // The proof is optional in the payload, so this checks everything the terminal chose.
  auto encoded = protocol::EncodePayload(r);
  if (!encoded.ok()) {
    return InvalidArgument("the request would be refused by the node: " +
                           encoded.status().message());
  }
  return r;
}

Result<Bytes> ProveAndSign(protocol::Request& request,
                           const ProofFn& proof,
                           const crypto::cose::ExternalSignFn& sign,
                           const Bytes& signer_certificate_der) {
  auto p = proof(request.request_id);
  if (!p.ok()) {
    return Status(p.status().code(),
                  "the patient's Vitale card did not sign the request (nothing was signed by "
                  "the CPS): " +
                      p.status().message());
  }
  request.patient.vitale = protocol::VitaleProof{std::move(p->cvc), std::move(p->signature)};
  return protocol::SignRequest(request, sign, crypto::SignatureScheme::kRs256,
                               {signer_certificate_der});
}

Result<protocol::DepositArgs> MakeDepositArgs(const DepositChoice& choice,
                                              Bytes content,
                                              Random& rng) {
  if (content.empty()) return InvalidArgument("the document file is empty");
  CARNET_ASSIGN_OR_RETURN(Bytes u, rng.Generate(16));
  u[6] = static_cast<uint8_t>((u[6] & 0x0F) | 0x40);  // version 4
  u[8] = static_cast<uint8_t>((u[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char id[40];
  std::snprintf(id, sizeof id,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
                u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
                u[15]);
  protocol::DepositArgs a;
  a.metadata.id = id;
  a.metadata.type_code = choice.type_code;
  a.metadata.title = choice.title;
  a.metadata.content_type = choice.content_type;
  a.metadata.masked = choice.masked;
  a.metadata.invisible_patient = choice.invisible_patient;
  a.metadata.invisible_legal_reps = choice.invisible_legal_reps;
  a.content_sha256 = crypto::Sha256(content);
  a.content = std::move(content);
  return a;
}

}  // namespace carnet::fw::session
