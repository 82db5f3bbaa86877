// Per-action arguments and document metadata: CBOR <-> typed structs (CDDL in README.md).
#include "crypto/protocol/args_codec.h"

#include <algorithm>

#include "crypto/core/hash.h"

namespace carnet::protocol::wire {
namespace {

using cbor::Value;

Result<std::vector<std::string>> DecodeConfidentiality(const Value& v, const std::string& path) {
  auto items = v.AsArray();
  if (!items.ok()) return InvalidArgument(path + ": not an array");
  if (items->size() > 3) return InvalidArgument(path + ": more than 3 codes");
  std::vector<std::string> codes;
  for (const Value& item : *items) {
    CARNET_ASSIGN_OR_RETURN(std::string code, AsText(item, path + "[]", 1));
    if (code != "N" && code != "R" && code != "V") {
      return InvalidArgument(path + ": \"" + code + "\" is not N, R or V");
    }
    if (std::find(codes.begin(), codes.end(), code) != codes.end()) {
      return InvalidArgument(path + ": \"" + code + "\" twice");
    }
    codes.push_back(std::move(code));
  }
  return codes;
}

Value EncodeDeposit(const DepositArgs& a) {
  Value m = Value::Map({});
  Put(m, "metadata", EncodeMetadata(a.metadata));
  PutBytes(m, "content", a.content);
  PutBytes(m, "sha256", a.content_sha256);
  return m;
}

Result<DepositArgs> DecodeDeposit(MapReader& r, Action action, const Limits& limits) {
  DepositArgs a;
  CARNET_ASSIGN_OR_RETURN(const Value* meta, r.Required("metadata"));
  CARNET_ASSIGN_OR_RETURN(a.metadata, DecodeMetadata(*meta, Join(r.path(), "metadata"), limits));
  // replace names the document it replaces; a fresh deposit must not.
  if (action == Action::kReplace && !a.metadata.replaces) {
    return InvalidArgument(r.path() + ".metadata.replaces: missing (required by replace)");
  }
  if (action != Action::kReplace && a.metadata.replaces) {
    return InvalidArgument(r.path() + ".metadata.replaces: only allowed with replace");
  }
  CARNET_ASSIGN_OR_RETURN(a.content, r.ByteString("content", 0, limits.max_content_size));
  CARNET_ASSIGN_OR_RETURN(a.content_sha256, r.Digest("sha256"));
  // The hash is what the card signed over in spirit (and what the trace names): a body whose
  // content does not match it is refused before anything else looks at it.
  if (crypto::Sha256(a.content) != a.content_sha256) {
    return InvalidArgument(r.path() + ".sha256: does not match SHA-256 of content");
  }
  return a;
}

}  // namespace

Value EncodeMetadata(const DocumentMetadata& md) {
  Value m = Value::Map({});
  PutText(m, "id", md.id);
  PutText(m, "type", md.type_code);
  PutText(m, "title", md.title);
  PutText(m, "content_type", md.content_type);
  PutBool(m, "masked", md.masked);
  PutBool(m, "invisible_patient", md.invisible_patient);
  PutBool(m, "invisible_legal_reps", md.invisible_legal_reps);
  Value codes = Value::Array({});
  for (const auto& c : md.confidentiality) codes.Append(Value::Text(c));
  Put(m, "confidentiality", std::move(codes));
  if (md.replaces) PutText(m, "replaces", *md.replaces);
  return m;
}

Result<DocumentMetadata> DecodeMetadata(const Value& v,
                                        const std::string& path,
                                        const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, path));
  DocumentMetadata md;
  const size_t max = limits.max_text_length;
  CARNET_ASSIGN_OR_RETURN(md.id, r.Text("id", max));
  CARNET_ASSIGN_OR_RETURN(md.type_code, r.Text("type", max));
  CARNET_ASSIGN_OR_RETURN(md.title, r.Text("title", max));
  CARNET_ASSIGN_OR_RETURN(md.content_type, r.Text("content_type", max));
  CARNET_ASSIGN_OR_RETURN(md.masked, r.Bool("masked"));
  CARNET_ASSIGN_OR_RETURN(md.invisible_patient, r.Bool("invisible_patient"));
  CARNET_ASSIGN_OR_RETURN(md.invisible_legal_reps, r.Bool("invisible_legal_reps"));
  CARNET_ASSIGN_OR_RETURN(const Value* codes, r.Required("confidentiality"));
  CARNET_ASSIGN_OR_RETURN(md.confidentiality,
                          DecodeConfidentiality(*codes, Join(path, "confidentiality")));
  CARNET_ASSIGN_OR_RETURN(md.replaces, r.OptionalText("replaces", max));
  CARNET_TRY(r.Finish());
  return md;
}

Value EncodeArgs(const Arguments& args) {
  Value m = Value::Map({});
  if (const auto* o = std::get_if<OpenArgs>(&args)) {
    PutBool(m, "patient_consent", o->patient_consent);
  } else if (const auto* d = std::get_if<DepositArgs>(&args)) {
    m = EncodeDeposit(*d);
  } else if (const auto* ref = std::get_if<DocumentRef>(&args)) {
    PutText(m, "id", ref->id);
    if (ref->version) PutUint(m, "version", *ref->version);
  } else if (const auto* f = std::get_if<ListFilter>(&args)) {
    if (f->type_code) PutText(m, "type", *f->type_code);
    if (f->since) PutTime(m, "since", *f->since);
    if (f->until) PutTime(m, "until", *f->until);
    PutBool(m, "include_archived", f->include_archived);
  } else if (const auto* t = std::get_if<TargetArgs>(&args)) {
    PutText(m, "idnat", t->idnat);
    if (t->until) PutTime(m, "until", *t->until);
  } else if (const auto* e = std::get_if<EmergencyPreferencesArgs>(&args)) {
    PutBool(m, "samu", e->samu);
    PutBool(m, "bris_de_glace", e->bris_de_glace);
    PutBool(m, "masked_in_emergency", e->masked_in_emergency);
  } else if (const auto* dm = std::get_if<DefaultMaskingArgs>(&args)) {
    PutBool(m, "enabled", dm->enabled);
  } else if (const auto* tr = std::get_if<TraceRange>(&args)) {
    if (tr->since) PutTime(m, "since", *tr->since);
    if (tr->until) PutTime(m, "until", *tr->until);
    if (tr->limit) PutUint(m, "limit", *tr->limit);
  }
  return m;
}

namespace {

Result<Arguments> DecodeSimpleArgs(MapReader& r, Action action, const Limits& limits) {
  const size_t max = limits.max_text_length;
  switch (ArgsIndexFor(action)) {
    case 1: {
      OpenArgs o;
      CARNET_ASSIGN_OR_RETURN(o.patient_consent, r.Bool("patient_consent"));
      return Arguments(o);
    }
    case 3: {
      DocumentRef ref;
      CARNET_ASSIGN_OR_RETURN(ref.id, r.Text("id", max));
      CARNET_ASSIGN_OR_RETURN(ref.version, r.OptionalUint("version"));
      if (ref.version && *ref.version == 0) {
        return InvalidArgument(r.path() + ".version: versions start at 1");
      }
      return Arguments(ref);
    }
    case 4: {
      ListFilter f;
      CARNET_ASSIGN_OR_RETURN(f.type_code, r.OptionalText("type", max));
      CARNET_ASSIGN_OR_RETURN(f.since, r.OptionalTime("since"));
      CARNET_ASSIGN_OR_RETURN(f.until, r.OptionalTime("until"));
      CARNET_ASSIGN_OR_RETURN(f.include_archived, r.Bool("include_archived"));
      return Arguments(f);
    }
    case 5: {
      TargetArgs t;
      CARNET_ASSIGN_OR_RETURN(t.idnat, r.Text("idnat", max));
      if (!IdNatShapeValid(t.idnat)) {
        return InvalidArgument(r.path() + ".idnat: not \"8\" + RPPS with a valid Luhn digit");
      }
      CARNET_ASSIGN_OR_RETURN(t.until, r.OptionalTime("until"));
      return Arguments(t);
    }
    default:
      return Internal("DecodeSimpleArgs: unexpected action");
  }
}

Result<Arguments> DecodeSettingArgs(MapReader& r, Action action) {
  switch (ArgsIndexFor(action)) {
    case 6: {
      EmergencyPreferencesArgs e;
      CARNET_ASSIGN_OR_RETURN(e.samu, r.Bool("samu"));
      CARNET_ASSIGN_OR_RETURN(e.bris_de_glace, r.Bool("bris_de_glace"));
      CARNET_ASSIGN_OR_RETURN(e.masked_in_emergency, r.Bool("masked_in_emergency"));
      return Arguments(e);
    }
    case 7: {
      DefaultMaskingArgs dm;
      CARNET_ASSIGN_OR_RETURN(dm.enabled, r.Bool("enabled"));
      return Arguments(dm);
    }
    case 8: {
      TraceRange tr;
      CARNET_ASSIGN_OR_RETURN(tr.since, r.OptionalTime("since"));
      CARNET_ASSIGN_OR_RETURN(tr.until, r.OptionalTime("until"));
      CARNET_ASSIGN_OR_RETURN(tr.limit, r.OptionalUint("limit"));
      return Arguments(tr);
    }
    default:
      return Internal("DecodeSettingArgs: unexpected action");
  }
}

}  // namespace

Result<Arguments> DecodeArgs(const Value& v, Action action, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, "request.args"));
  Result<Arguments> args = Internal("unset");
  const size_t index = ArgsIndexFor(action);
  if (index == 2) {
    auto deposit = DecodeDeposit(r, action, limits);
    if (!deposit.ok()) return deposit.status();
    args = Arguments(std::move(*deposit));
  } else if (index >= 6) {
    args = DecodeSettingArgs(r, action);
  } else {
    args = DecodeSimpleArgs(r, action, limits);
  }
  if (!args.ok()) return args.status();
  CARNET_TRY(r.Finish());
  return args;
}

}  // namespace carnet::protocol::wire
