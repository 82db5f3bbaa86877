#include "node/policy/dossier_json.h"

namespace carnet::node::policy {

using json::ObjectReader;
using json::Presence;
using json::Value;

Status ReadTimeField(json::ObjectReader& r,
                     std::string_view key,
                     json::Presence p,
                     std::optional<UnixMillis>* out) {
  std::string text;
  CARNET_TRY(r.String(key, p, &text));
  if (text.empty()) return Status::Ok();
  Result<UnixMillis> t = ParseRfc3339(text);
  if (!t.ok()) return InvalidArgument(r.PathOf(key) + ": expected an RFC 3339 time");
  *out = *t;
  return Status::Ok();
}

namespace {

Status ParseAuthorization(const Value& v, std::string path, Authorization* a) {
  CARNET_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(v, std::move(path)));
  std::string basis;
  CARNET_TRY(r.String("idnat", Presence::kRequired, &a->idnat));
  CARNET_TRY(r.OneOf("basis", Presence::kRequired, {"care_team", "explicit_consent"}, &basis));
  a->basis = basis == "care_team" ? Basis::kCareTeam : Basis::kExplicitConsent;
  CARNET_TRY(ReadTimeField(r, "until", Presence::kOptional, &a->until));
  return r.Finish();
}

Status ParseEmergency(ObjectReader& parent, EmergencyPreferences* e) {
  const Value* v = parent.Take("emergency");
  if (v == nullptr) return Status::Ok();
  CARNET_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(*v, parent.PathOf("emergency")));
  CARNET_TRY(r.Bool("samu", Presence::kOptional, &e->samu));
  CARNET_TRY(r.Bool("bris_de_glace", Presence::kOptional, &e->bris_de_glace));
  CARNET_TRY(r.Bool("masked_in_emergency", Presence::kOptional, &e->masked_in_emergency));
  return r.Finish();
}

Status ParseAuthorizations(ObjectReader& r, std::vector<Authorization>* out) {
  const Value::Array* list = nullptr;
  CARNET_TRY(r.Array("authorizations", Presence::kOptional, &list));
  if (list == nullptr) return Status::Ok();
  for (size_t i = 0; i < list->size(); ++i) {
    Authorization a;
    CARNET_TRY(ParseAuthorization((*list)[i], json::IndexPath(r.PathOf("authorizations"), i), &a));
    out->push_back(std::move(a));
  }
  return Status::Ok();
}

Status ParseDossierState(ObjectReader& r, Dossier* d) {
  std::string state;
  CARNET_TRY(r.OneOf("state", Presence::kRequired, {"none", "open", "closed"}, &state));
  d->state = state == "none"   ? DossierState::kNone
             : state == "open" ? DossierState::kOpen
                               : DossierState::kClosed;
  const bool closed = d->state == DossierState::kClosed;
  CARNET_TRY(ReadTimeField(r, "closed_at", closed ? Presence::kRequired : Presence::kOptional,
                           &d->closed_at));
  CARNET_TRY(
      ReadTimeField(r, "deletion_requested_at", Presence::kOptional, &d->deletion_requested_at));
  if (!closed && d->closed_at) return InvalidArgument("dossier.closed_at: only for state closed");
  if (!closed && d->deletion_requested_at) {
    return InvalidArgument("dossier.deletion_requested_at: only for state closed");
  }
  return Status::Ok();
}

}  // namespace

Status ParseDossierValue(const json::Value& v, Dossier* d) {
  CARNET_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(v, "dossier"));
  CARNET_TRY(ParseDossierState(r, d));
  CARNET_TRY(r.Bool("opposed", Presence::kOptional, &d->opposed));
  CARNET_TRY(r.StringArray("blocked", Presence::kOptional, &d->blocked));
  CARNET_TRY(r.String("treating_physician", Presence::kOptional, &d->treating_physician));
  CARNET_TRY(r.StringArray("administrators", Presence::kOptional, &d->administrators));
  CARNET_TRY(ParseAuthorizations(r, &d->authorizations));
  CARNET_TRY(ParseEmergency(r, &d->emergency));
  CARNET_TRY(r.Bool("minor", Presence::kOptional, &d->minor));
  CARNET_TRY(r.Bool("default_masking", Presence::kOptional, &d->default_masking));
  return r.Finish();
}

Result<Dossier> ParseDossierJson(std::string_view json_text) {
  CARNET_ASSIGN_OR_RETURN(Value root, json::Parse(json_text));
  Dossier dossier;
  CARNET_TRY(ParseDossierValue(root, &dossier));
  return dossier;
}

namespace {

Value TimeValue(UnixMillis t) { return Value::String(FormatRfc3339(t)); }

Value StringList(const std::vector<std::string>& items) {
  Value list = Value::MakeArray();
  for (const std::string& s : items) list.Append(Value::String(s));
  return list;
}

Value AuthorizationsValue(const std::vector<Authorization>& authorizations) {
  Value list = Value::MakeArray();
  for (const Authorization& a : authorizations) {
    Value item = Value::MakeObject();
    item.Set("idnat", Value::String(a.idnat));
    item.Set("basis",
             Value::String(a.basis == Basis::kCareTeam ? "care_team" : "explicit_consent"));
    if (a.until) item.Set("until", TimeValue(*a.until));
    list.Append(std::move(item));
  }
  return list;
}

}  // namespace

std::string DossierToJson(const Dossier& d) {
  Value out = Value::MakeObject();
  out.Set("state", Value::String(d.state == DossierState::kNone   ? "none"
                                 : d.state == DossierState::kOpen ? "open"
                                                                  : "closed"));
  if (d.closed_at) out.Set("closed_at", TimeValue(*d.closed_at));
  if (d.deletion_requested_at)
    out.Set("deletion_requested_at", TimeValue(*d.deletion_requested_at));
  out.Set("opposed", Value::Bool(d.opposed));
  out.Set("blocked", StringList(d.blocked));
  out.Set("treating_physician", Value::String(d.treating_physician));
  out.Set("administrators", StringList(d.administrators));
  out.Set("authorizations", AuthorizationsValue(d.authorizations));
  Value emergency = Value::MakeObject();
  emergency.Set("samu", Value::Bool(d.emergency.samu));
  emergency.Set("bris_de_glace", Value::Bool(d.emergency.bris_de_glace));
  emergency.Set("masked_in_emergency", Value::Bool(d.emergency.masked_in_emergency));
  out.Set("emergency", std::move(emergency));
  out.Set("minor", Value::Bool(d.minor));
  out.Set("default_masking", Value::Bool(d.default_masking));
  return json::Write(out);
}

}  // namespace carnet::node::policy
