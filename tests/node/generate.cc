// Generate: one request of the test PKI's identities, signed with key files, optionally spoilt.
#include <fstream>
#include <sstream>

#include "crypto/cbor/decode.h"
#include "crypto/cbor/encode.h"
#include "crypto/core/hash.h"
#include "crypto/core/pk.h"
#include "crypto/core/random.h"
#include "crypto/cose/sign1.h"
#include "crypto/protocol/request.h"
#include "crypto/x509/certificate.h"
#include "hal/base/clock.h"
#include "hal/base/json.h"
#include "hal/base/random.h"
#include "tests/node/reqgen.h"

namespace carnet::tests::reqgen {
namespace {

using protocol::Action;
using protocol::Request;

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Where the signer and the claims come from: explicit files, or a role of the test PKI
// (--pki DIR with --professional ROLE or --portal).
struct Identity {
  std::string key_path;
  std::vector<std::string> cert_paths;  // signer first, then --chain files
  std::string idnat, profession, specialty;
  protocol::ActorKind kind = protocol::ActorKind::kProfessional;
  std::string ins;
};

const json::Value* Member(const json::Value& v, std::string_view key) {
  static const json::Value kNull;
  const json::Value* m = v.Find(key);
  return m == nullptr ? &kNull : m;
}

// Deposit-like actions need the SIG (non-repudiation) key; the others the AUT key.
bool NeedsSigKey(Action a) {
  return a == Action::kDeposit || a == Action::kReplace || a == Action::kAddOwnDocument;
}

Status FromPki(Options& opts, Action action, Identity& id) {
  auto dir = opts.Get("pki");
  if (!dir) return Status();
  CARNET_ASSIGN_OR_RETURN(std::string text, ReadText(*dir + "/index.json"));
  CARNET_ASSIGN_OR_RETURN(json::Value index, json::Parse(text));
  int64_t patient = 0;
  CARNET_ASSIGN_OR_RETURN(auto pi, opts.Int("patient-index"));
  if (pi) patient = *pi;
  const auto& patients = Member(*Member(index, "vitale"), "patients")->as_array();
  if (patient < 0 || static_cast<size_t>(patient) >= patients.size()) {
    return InvalidArgument("--patient-index out of range");
  }
  id.ins = Member(patients[static_cast<size_t>(patient)], "ins")->as_string();
  if (opts.Flag("portal")) {
    const json::Value& portal = *Member(*Member(index, "operator"), "portal");
    id.key_path = *dir + "/" + Member(portal, "key")->as_string();
    id.cert_paths = {*dir + "/" + Member(portal, "cert")->as_string()};
    id.kind = protocol::ActorKind::kPatient;
    id.idnat = id.ins;
    return Status();
  }
  auto role = opts.Get("professional");
  if (!role) return Status();
  auto usage = opts.Get("key-usage").value_or(NeedsSigKey(action) ? "sig" : "aut");
  if (usage != "sig" && usage != "aut") return InvalidArgument("--key-usage: aut or sig");
  for (const json::Value& p : Member(index, "professionals")->as_array()) {
    if (Member(p, "role")->as_string() != *role) continue;
    id.key_path = *dir + "/" + Member(p, usage + "_key")->as_string();
    // The leaf only: the node's IGC-Santé trust store holds the intermediate (--chain adds more).
    id.cert_paths = {*dir + "/" + Member(p, usage + "_cert")->as_string()};
    id.idnat = Member(p, "idnat")->as_string();
    id.profession = Member(p, "profession")->as_string();
    id.specialty = Member(p, "specialty")->as_string();
    return Status();
  }
  return NotFound("no professional with role " + *role + " in " + *dir + "/index.json");
}

Result<Identity> ReadIdentity(Options& opts, Action action) {
  Identity id;
  CARNET_TRY(FromPki(opts, action, id));
  if (auto k = opts.Get("signer-key")) id.key_path = *k;
  if (auto c = opts.Get("signer-cert")) id.cert_paths = {*c};
  for (auto& c : opts.GetAll("chain")) id.cert_paths.push_back(c);
  if (auto v = opts.Get("idnat")) id.idnat = *v;
  if (auto v = opts.Get("profession")) id.profession = *v;
  if (auto v = opts.Get("specialty")) id.specialty = *v;
  if (auto v = opts.Get("ins")) id.ins = *v;
  if (auto v = opts.Get("actor-kind")) {
    CARNET_ASSIGN_OR_RETURN(id.kind, protocol::ParseActorKind(*v));
    if (id.kind != protocol::ActorKind::kProfessional && !opts.Get("idnat")) id.idnat = id.ins;
  }
  if (id.key_path.empty() || id.cert_paths.empty()) {
    return InvalidArgument(
        "no signer: give --signer-key and --signer-cert, or --pki DIR with "
        "--professional ROLE or --portal");
  }
  if (id.ins.empty()) return InvalidArgument("missing --ins (or --pki DIR)");
  return id;
}

Result<protocol::DepositArgs> DepositFrom(Options& opts, Action action) {
  protocol::DepositArgs d;
  d.metadata.id = opts.Get("doc-id").value_or("doc-1");
  d.metadata.type_code = opts.Get("type").value_or("11488-4");
  d.metadata.title = opts.Get("title").value_or("Compte rendu");
  d.metadata.content_type = opts.Get("content-type").value_or("application/pdf");
  d.metadata.masked = opts.Flag("masked");
  d.metadata.invisible_patient = opts.Flag("invisible-patient");
  d.metadata.invisible_legal_reps = opts.Flag("invisible-legal-reps");
  d.metadata.confidentiality = opts.GetAll("confidentiality");
  if (d.metadata.confidentiality.empty()) d.metadata.confidentiality = {"N"};
  if (auto r = opts.Get("replaces")) d.metadata.replaces = *r;
  if (action == Action::kReplace && !d.metadata.replaces) {
    return InvalidArgument("replace needs --replaces ID");
  }
  if (auto f = opts.Get("file")) {
    CARNET_ASSIGN_OR_RETURN(std::string text, ReadText(*f));
    d.content = ToBytes(text);
  } else {
    d.content = ToBytes("%PDF-1.4 carnet end-to-end test document");
  }
  d.content_sha256 = crypto::Sha256(d.content);
  return d;
}

Result<std::optional<UnixMillis>> OptTime(Options& opts, std::string_view name) {
  CARNET_ASSIGN_OR_RETURN(auto v, opts.Int(name));
  if (!v) return std::optional<UnixMillis>{};
  return std::optional<UnixMillis>{static_cast<UnixMillis>(*v)};
}

Result<protocol::Arguments> ArgsFrom(Options& opts, Action action) {
  switch (protocol::ArgsIndexFor(action)) {
    case 1:
      return protocol::Arguments{protocol::OpenArgs{!opts.Flag("no-consent")}};
    case 2: {
      CARNET_ASSIGN_OR_RETURN(auto d, DepositFrom(opts, action));
      return protocol::Arguments{std::move(d)};
    }
    case 3: {
      protocol::DocumentRef ref{opts.Get("doc-id").value_or("doc-1"), std::nullopt};
      CARNET_ASSIGN_OR_RETURN(auto v, opts.Int("version"));
      if (v) ref.version = static_cast<uint64_t>(*v);
      return protocol::Arguments{ref};
    }
    case 4: {
      protocol::ListFilter f;
      f.type_code = opts.Get("type");
      CARNET_ASSIGN_OR_RETURN(f.since, OptTime(opts, "since"));
      CARNET_ASSIGN_OR_RETURN(f.until, OptTime(opts, "until"));
      f.include_archived = opts.Flag("include-archived");
      return protocol::Arguments{f};
    }
    case 5: {
      protocol::TargetArgs t;
      CARNET_ASSIGN_OR_RETURN(t.idnat, opts.Required("target"));
      CARNET_ASSIGN_OR_RETURN(t.until, OptTime(opts, "until"));
      return protocol::Arguments{t};
    }
    case 6:
      return protocol::Arguments{protocol::EmergencyPreferencesArgs{
          !opts.Flag("no-samu"), !opts.Flag("no-bris-de-glace"), opts.Flag("masked-in-emergency")}};
    case 7:
      return protocol::Arguments{protocol::DefaultMaskingArgs{opts.Flag("enabled")}};
    case 8: {
      protocol::TraceRange r;
      CARNET_ASSIGN_OR_RETURN(r.since, OptTime(opts, "since"));
      CARNET_ASSIGN_OR_RETURN(r.until, OptTime(opts, "until"));
      CARNET_ASSIGN_OR_RETURN(auto limit, opts.Int("limit"));
      if (limit) r.limit = static_cast<uint64_t>(*limit);
      return protocol::Arguments{r};
    }
    default:
      return protocol::Arguments{protocol::NoArgs{}};
  }
}

Status FillHeader(Options& opts, const Identity& id, const Overrides& over, Request& r) {
  if (over.request_id) {
    r.request_id = *over.request_id;
  } else if (auto hex = opts.Get("request-id")) {
    CARNET_ASSIGN_OR_RETURN(r.request_id, HexDecode(*hex));
  } else {
    CARNET_ASSIGN_OR_RETURN(r.request_id, SystemRandom::Instance().Generate(16));
  }
  CARNET_ASSIGN_OR_RETURN(auto iat, opts.Int("issued-at"));
  r.issued_at = iat ? static_cast<UnixMillis>(*iat) : SystemClock::Instance().Now();
  CARNET_ASSIGN_OR_RETURN(auto stale, opts.Int("stale-ms"));
  if (stale) r.issued_at -= static_cast<UnixMillis>(*stale);
  CARNET_ASSIGN_OR_RETURN(r.terminal_id, opts.Required("terminal"));
  CARNET_ASSIGN_OR_RETURN(r.mode, protocol::ParseMode(opts.Get("mode").value_or("normal")));
  r.justification = opts.Get("justification");
  r.actor.kind = id.kind;
  r.actor.idnat = id.idnat;
  r.actor.profession = id.profession;
  r.actor.specialty = id.specialty;
  r.patient.ins = id.ins;
  r.patient.ins_oid = opts.Get("ins-oid").value_or(std::string(protocol::kOidInsNirTest));
  return Status();
}

// A deposit over the protocol's size limit cannot come out of EncodePayload, which refuses what
// the node would refuse: encode a small one, then swap the content and its hash in the CBOR.
Result<Bytes> OversizedPayload(const Request& request, size_t size) {
  CARNET_ASSIGN_OR_RETURN(Bytes small, protocol::EncodePayload(request));
  crypto::cbor::DecodeLimits limits;
  CARNET_ASSIGN_OR_RETURN(crypto::cbor::Value map, crypto::cbor::Decode(small, limits));
  Bytes content(size, 'A');
  auto digest = crypto::Sha256(content);
  std::vector<crypto::cbor::MapEntry> top;
  CARNET_ASSIGN_OR_RETURN(auto entries, map.AsMap());
  for (const auto& [k, v] : entries) {
    if (k != crypto::cbor::Value::Text("args")) {
      top.emplace_back(k, v);
      continue;
    }
    std::vector<crypto::cbor::MapEntry> args;
    CARNET_ASSIGN_OR_RETURN(auto arg_entries, v.AsMap());
    for (const auto& [ak, av] : arg_entries) {
      if (ak == crypto::cbor::Value::Text("content")) {
        args.emplace_back(ak, crypto::cbor::Value::ByteString(content));
      } else if (ak == crypto::cbor::Value::Text("sha256")) {
        args.emplace_back(ak, crypto::cbor::Value::ByteString(digest));
      } else {
        args.emplace_back(ak, av);
      }
    }
    top.emplace_back(k, crypto::cbor::Value::Map(std::move(args)));
  }
  return crypto::cbor::Encode(crypto::cbor::Value::Map(std::move(top)));
}

Result<Bytes> Payload(Options& opts, const Request& request) {
  CARNET_ASSIGN_OR_RETURN(auto oversize, opts.Int("oversize"));
  Bytes payload;
  if (oversize) {
    if (!NeedsSigKey(request.action)) return InvalidArgument("--oversize is for deposits");
    CARNET_ASSIGN_OR_RETURN(payload, OversizedPayload(request, static_cast<size_t>(*oversize)));
  } else {
    CARNET_ASSIGN_OR_RETURN(payload, protocol::EncodePayload(request));
  }
  // A signed, well-formed COSE_Sign1 around a payload that is not canonical CBOR (trailing byte).
  if (opts.Flag("corrupt-payload")) payload.push_back(0x00);
  return payload;
}

}  // namespace

const std::vector<std::string_view>& GenerateFlags() {
  static const std::vector<std::string_view> kFlags = {"portal",
                                                       "no-consent",
                                                       "masked",
                                                       "invisible-patient",
                                                       "invisible-legal-reps",
                                                       "include-archived",
                                                       "no-samu",
                                                       "no-bris-de-glace",
                                                       "masked-in-emergency",
                                                       "enabled",
                                                       "flip-signature-bit",
                                                       "corrupt-payload",
                                                       "pss"};
  return kFlags;
}

Result<Generated> Generate(std::string_view action_name, Options& opts, const Overrides& over) {
  CARNET_ASSIGN_OR_RETURN(Action action, protocol::ParseAction(action_name));
  CARNET_ASSIGN_OR_RETURN(Identity id, ReadIdentity(opts, action));
  Request r;
  r.action = action;
  CARNET_TRY(FillHeader(opts, id, over, r));
  CARNET_ASSIGN_OR_RETURN(r.args, ArgsFrom(opts, action));
  Generated out;
  if (auto* d = std::get_if<protocol::DepositArgs>(&r.args)) {
    if (over.document_id) d->metadata.id = *over.document_id;
    out.document_id = d->metadata.id;
  }
  CARNET_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::FromPemFile(id.key_path));
  std::vector<Bytes> x5chain;
  for (const auto& path : id.cert_paths) {
    CARNET_ASSIGN_OR_RETURN(auto certs, crypto::Certificate::FromPemFile(path));
    for (const auto& c : certs) x5chain.push_back(c.der());
  }
  auto scheme = key.type() != crypto::KeyType::kRsa ? crypto::SignatureScheme::kEs256
                : opts.Flag("pss")                  ? crypto::SignatureScheme::kPs256
                                                    : crypto::SignatureScheme::kRs256;
  CARNET_ASSIGN_OR_RETURN(Bytes payload, Payload(opts, r));
  CARNET_ASSIGN_OR_RETURN(out.cose, crypto::cose::Sign(key, scheme, payload, x5chain));
  // The signature is the last byte string of the COSE_Sign1: its last byte is the message's.
  if (opts.Flag("flip-signature-bit")) out.cose.back() ^= 0x01;
  out.request_id = r.request_id;
  return out;
}

}  // namespace carnet::tests::reqgen
