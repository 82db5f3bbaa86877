// Request payload: typed Request <-> canonical CBOR map (CDDL in README.md).
#include <algorithm>
#include <array>

#include "crypto/cbor/decode.h"
#include "crypto/cbor/encode.h"
#include "crypto/protocol/args_codec.h"
#include "crypto/protocol/request.h"
#include "crypto/protocol/wire.h"

namespace carnet::protocol {
namespace {

using crypto::cbor::Value;
using wire::MapReader;

constexpr std::array<std::string_view, 4> kInsOids = {kOidInsNir, kOidInsNia, kOidInsNirTest,
                                                      kOidInsNirDemo};

// A compact JWS: three base64url parts joined by dots. Only the shape; node/authn verifies.
bool CompactJwsShape(std::string_view token) {
  size_t dots = 0;
  for (char c : token) {
    const bool b64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_';
    if (c == '.') {
      ++dots;
    } else if (!b64) {
      return false;
    }
  }
  return dots == 2 && token.front() != '.' && token.back() != '.';
}

Value EncodeActor(const Actor& a) {
  Value m = Value::Map({});
  wire::PutText(m, "kind", ActorKindName(a.kind));
  wire::PutText(m, "idnat", a.idnat);
  if (!a.profession.empty()) wire::PutText(m, "profession", a.profession);
  if (!a.specialty.empty()) wire::PutText(m, "specialty", a.specialty);
  if (a.id_token) wire::PutText(m, "id_token", *a.id_token);
  return m;
}

Status CheckActorShape(const Actor& a, const std::string& path) {
  if (a.kind == ActorKind::kProfessional) {
    if (!IdNatShapeValid(a.idnat)) {
      return InvalidArgument(path + ".idnat: not \"8\" + RPPS with a valid Luhn digit");
    }
    if (a.profession.empty()) return InvalidArgument(path + ".profession: missing");
    if (a.id_token && !CompactJwsShape(*a.id_token)) {
      return InvalidArgument(path + ".id_token: not a compact JWS");
    }
    return Status::Ok();
  }
  // The patient or a legal representative (portal): identified by an INS, no card claims.
  if (!InsShapeValid(a.idnat)) return InvalidArgument(path + ".idnat: not a valid INS");
  if (!a.profession.empty() || !a.specialty.empty() || a.id_token) {
    return InvalidArgument(path + ": profession, specialty and id_token are for professionals");
  }
  return Status::Ok();
}

Result<Actor> DecodeActor(const Value& v, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, "request.actor"));
  Actor a;
  CARNET_ASSIGN_OR_RETURN(std::string kind, r.Text("kind", limits.max_text_length));
  auto parsed = ParseActorKind(kind);
  if (!parsed.ok()) return parsed.status().Annotate("request.actor.kind");
  a.kind = *parsed;
  CARNET_ASSIGN_OR_RETURN(a.idnat, r.Text("idnat", limits.max_text_length));
  CARNET_ASSIGN_OR_RETURN(auto profession, r.OptionalText("profession", limits.max_text_length));
  CARNET_ASSIGN_OR_RETURN(auto specialty, r.OptionalText("specialty", limits.max_text_length));
  a.profession = profession.value_or("");
  a.specialty = specialty.value_or("");
  CARNET_ASSIGN_OR_RETURN(a.id_token, r.OptionalText("id_token", limits.max_id_token_length));
  CARNET_TRY(r.Finish());
  CARNET_TRY(CheckActorShape(a, r.path()));
  return a;
}

Value EncodePatient(const Patient& p) {
  Value m = Value::Map({});
  wire::PutText(m, "ins", p.ins);
  wire::PutText(m, "oid", p.ins_oid);
  if (p.vitale) {
    Value proof = Value::Map({});
    wire::PutBytes(proof, "cvc", p.vitale->cvc);
    wire::PutBytes(proof, "signature", p.vitale->signature);
    wire::Put(m, "vitale", std::move(proof));
  }
  return m;
}

Result<Patient> DecodePatient(const Value& v, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, "request.patient"));
  Patient p;
  CARNET_ASSIGN_OR_RETURN(p.ins, r.Text("ins", limits.max_text_length));
  if (!InsShapeValid(p.ins)) {
    return InvalidArgument("request.patient.ins: not 13 characters + a matching 2-digit key");
  }
  CARNET_ASSIGN_OR_RETURN(p.ins_oid, r.Text("oid", limits.max_text_length));
  if (std::find(kInsOids.begin(), kInsOids.end(), p.ins_oid) == kInsOids.end()) {
    return InvalidArgument("request.patient.oid: not an INS OID (1.2.250.1.213.1.4.8..11)");
  }
  if (const Value* proof = r.Find("vitale")) {
    CARNET_ASSIGN_OR_RETURN(MapReader pr, MapReader::Open(*proof, "request.patient.vitale"));
    VitaleProof vp;
    CARNET_ASSIGN_OR_RETURN(vp.cvc, pr.ByteString("cvc", 1, limits.max_proof_size));
    CARNET_ASSIGN_OR_RETURN(vp.signature, pr.ByteString("signature", 1, limits.max_proof_size));
    CARNET_TRY(pr.Finish());
    p.vitale = std::move(vp);
  }
  CARNET_TRY(r.Finish());
  return p;
}

// Envelope fields: version, id, time, terminal, mode.
Status DecodeHeader(MapReader& r, Request& req, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(uint64_t version, r.Uint("v"));
  if (version != kProtocolVersion) {
    return InvalidArgument("request.v: unsupported version " + std::to_string(version));
  }
  CARNET_ASSIGN_OR_RETURN(req.request_id, r.ByteString("rid", 0, limits.max_text_length));
  if (req.request_id.size() != kRequestIdSize) {
    return InvalidArgument("request.rid: must be exactly 16 bytes, got " +
                           std::to_string(req.request_id.size()));
  }
  CARNET_ASSIGN_OR_RETURN(req.issued_at, r.Time("iat"));
  CARNET_ASSIGN_OR_RETURN(req.terminal_id, r.Text("terminal", limits.max_text_length));
  CARNET_ASSIGN_OR_RETURN(std::string mode, r.Text("mode", limits.max_text_length));
  auto parsed = ParseMode(mode);
  if (!parsed.ok()) return parsed.status().Annotate("request.mode");
  req.mode = *parsed;
  CARNET_ASSIGN_OR_RETURN(req.justification,
                          r.OptionalText("justification", limits.max_justification_length));
  if (req.justification && req.mode != Mode::kBrisDeGlace) {
    return InvalidArgument("request.justification: only allowed with mode bris_de_glace");
  }
  return Status::Ok();
}

Status DecodeBody(MapReader& r, Request& req, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(const Value* actor, r.Required("actor"));
  CARNET_ASSIGN_OR_RETURN(req.actor, DecodeActor(*actor, limits));
  CARNET_ASSIGN_OR_RETURN(const Value* patient, r.Required("patient"));
  CARNET_ASSIGN_OR_RETURN(req.patient, DecodePatient(*patient, limits));
  CARNET_ASSIGN_OR_RETURN(std::string action, r.Text("action", limits.max_text_length));
  auto parsed = ParseAction(action);
  if (!parsed.ok()) return parsed.status().Annotate("request.action");
  req.action = *parsed;
  if (ArgsIndexFor(req.action) == 0) {
    if (r.Find("args") != nullptr) {
      return InvalidArgument("request.args: action " + action + " takes no arguments");
    }
    req.args = NoArgs{};
    return Status::Ok();
  }
  CARNET_ASSIGN_OR_RETURN(const Value* args, r.Required("args"));
  CARNET_ASSIGN_OR_RETURN(req.args, wire::DecodeArgs(*args, req.action, limits));
  return Status::Ok();
}

}  // namespace

Result<Request> DecodePayload(ByteView payload, const Limits& limits) {
  auto value = crypto::cbor::Decode(payload, wire::CborLimits(limits));
  if (!value.ok()) return value.status().Annotate("request payload");
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(*value, "request"));
  Request req;
  CARNET_TRY(DecodeHeader(r, req, limits));
  CARNET_TRY(DecodeBody(r, req, limits));
  CARNET_TRY(r.Finish());
  return req;
}

Result<Bytes> EncodePayload(const Request& request) {
  if (request.args.index() != ArgsIndexFor(request.action)) {
    return InvalidArgument("EncodePayload: arguments do not match action " +
                           std::string(ActionName(request.action)));
  }
  Value m = Value::Map({});
  wire::PutUint(m, "v", kProtocolVersion);
  wire::PutBytes(m, "rid", request.request_id);
  wire::PutTime(m, "iat", request.issued_at);
  wire::PutText(m, "terminal", request.terminal_id);
  wire::PutText(m, "mode", ModeName(request.mode));
  if (request.justification) wire::PutText(m, "justification", *request.justification);
  wire::Put(m, "actor", EncodeActor(request.actor));
  wire::Put(m, "patient", EncodePatient(request.patient));
  wire::PutText(m, "action", ActionName(request.action));
  if (request.args.index() != 0) wire::Put(m, "args", wire::EncodeArgs(request.args));
  Bytes out = crypto::cbor::Encode(m);
  // Refuse to produce what the node would refuse: the terminal learns before the card signs.
  auto check = DecodePayload(out);
  if (!check.ok()) return check.status().Annotate("EncodePayload");
  return out;
}

}  // namespace carnet::protocol
