// The signed envelope (COSE_Sign1 around the payload), the idempotency hash, and the one-line
// description for logs.
#include <string>

#include "crypto/core/hash.h"
#include "crypto/cose/sign1.h"
#include "crypto/protocol/request.h"

namespace carnet::protocol {

Result<Bytes> SignRequest(const Request& request,
                          const crypto::cose::ExternalSignFn& sign,
                          crypto::SignatureScheme scheme,
                          const std::vector<Bytes>& x5chain) {
  CARNET_ASSIGN_OR_RETURN(Bytes payload, EncodePayload(request));
  return crypto::cose::SignWith(sign, scheme, payload, x5chain);
}

Result<OpenedRequest> OpenRequest(ByteView cose_bytes, const Limits& limits) {
  crypto::cose::DecodeLimits cose_limits;
  cose_limits.max_protected_size = limits.max_protected_size;
  cose_limits.max_x5chain_length = limits.max_x5chain_length;
  cose_limits.max_message_size =
      limits.max_content_size + limits.max_overhead + limits.max_protected_size;
  auto sign1 = crypto::cose::Decode(cose_bytes, cose_limits);
  if (!sign1.ok()) return sign1.status().Annotate("request envelope");
  OpenedRequest opened;
  CARNET_ASSIGN_OR_RETURN(opened.request, DecodePayload(sign1->payload, limits));
  opened.sign1 = std::move(*sign1);
  return opened;
}

Sha256Digest RequestContentHash(ByteView cose_bytes) { return crypto::Sha256(cose_bytes); }

namespace {

// Text from the wire may hold control characters: one line stays one line in the log.
std::string Clean(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return out;
}

void DescribeArgs(const Arguments& args, std::string& out) {
  if (const auto* d = std::get_if<DepositArgs>(&args)) {
    out += " doc=" + d->metadata.id + " type=" + d->metadata.type_code +
           " size=" + std::to_string(d->content.size());
    if (d->metadata.replaces) out += " replaces=" + *d->metadata.replaces;
  } else if (const auto* ref = std::get_if<DocumentRef>(&args)) {
    out += " doc=" + ref->id;
    if (ref->version) out += " version=" + std::to_string(*ref->version);
  } else if (const auto* t = std::get_if<TargetArgs>(&args)) {
    out += " target=" + t->idnat;
  } else if (const auto* o = std::get_if<OpenArgs>(&args)) {
    out += o->patient_consent ? " consent=yes" : " consent=no";
  }
}

}  // namespace

// Deliberately omitted: document content and title (a title can reveal a diagnosis), the
// justification text, the id_token and the Vitale proof bytes.
std::string DescribeRequest(const Request& request) {
  const Actor& a = request.actor;
  std::string out(ActionName(request.action));
  out += " by " + a.idnat + " (" + std::string(ActorKindName(a.kind));
  if (!a.profession.empty()) out += ", " + a.profession;
  if (!a.specialty.empty()) out += "/" + a.specialty;
  if (a.id_token) out += ", e-CPS";
  out += ") for INS " + request.patient.ins;
  out += request.patient.vitale ? " (Vitale present)" : "";
  out += " mode=" + std::string(ModeName(request.mode));
  out += " terminal=" + request.terminal_id;
  out += " id=" + HexEncode(request.request_id);
  DescribeArgs(request.args, out);
  return Clean(out);
}

}  // namespace carnet::protocol
