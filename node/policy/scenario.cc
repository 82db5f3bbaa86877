#include "node/policy/scenario.h"

#include <algorithm>

#include "hal/base/json.h"
#include "node/policy/codes.h"
#include "node/policy/dossier_json.h"

namespace carnet::node::policy {
namespace {

using json::ObjectReader;
using json::Presence;
using json::Value;

Status NoField(ObjectReader& r, std::string_view key, std::string_view why) {
  if (r.Take(key) != nullptr) return InvalidArgument(r.PathOf(key) + ": " + std::string(why));
  return Status::Ok();
}

Status ParseActor(const Value& v, Actor* a) {
  CARNET_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(v, "actor"));
  std::string kind;
  CARNET_TRY(r.OneOf("kind", Presence::kRequired,
                     {"professional", "patient", "legal_representative"}, &kind));
  a->kind = kind == "professional" ? ActorKind::kProfessional
            : kind == "patient"    ? ActorKind::kPatient
                                   : ActorKind::kLegalRepresentative;
  const bool pro = a->kind == ActorKind::kProfessional;
  CARNET_TRY(r.String("idnat", pro ? Presence::kRequired : Presence::kOptional, &a->idnat));
  if (pro) {
    CARNET_TRY(r.String("profession", Presence::kRequired, &a->profession));
    if (!IsProfessionCode(a->profession))
      return InvalidArgument("actor.profession: unknown TRE_G15 code");
    CARNET_TRY(r.String("specialty", Presence::kOptional, &a->specialty));
    if (!a->specialty.empty() && !IsSpecialtyCode(a->specialty)) {
      return InvalidArgument("actor.specialty: unknown TRE_R01 code");
    }
  } else {
    CARNET_TRY(NoField(r, "profession", "only for professionals"));
    CARNET_TRY(NoField(r, "specialty", "only for professionals"));
  }
  if (pro && a->idnat.empty()) return InvalidArgument("actor.idnat: must not be empty");
  return r.Finish();
}

Status ParseConfidentiality(ObjectReader& r, Document* doc) {
  std::vector<std::string> codes;
  const std::string path = r.PathOf("confidentiality");
  doc->confidentiality_explicit = r.Take("confidentiality") != nullptr;
  CARNET_TRY(r.StringArray("confidentiality", Presence::kOptional, &codes));
  for (size_t i = 0; i < codes.size(); ++i) {
    const std::string& c = codes[i];
    if (std::find(codes.begin(), codes.begin() + static_cast<long>(i), c) !=
        codes.begin() + static_cast<long>(i)) {
      return InvalidArgument(json::IndexPath(path, i) + ": duplicate code");
    }
    if (c == "MASQUE_PS") {
      doc->masque_ps = true;
    } else if (c == "INVISIBLE_PATIENT") {
      doc->invisible_patient = true;
    } else if (c == "INVISIBLE_REPRESENTANTS_LEGAUX") {
      doc->invisible_representatives = true;
    } else if (c == "N" || c == "R" || c == "V") {
      doc->hl7.push_back(c);
    } else {
      return InvalidArgument(json::IndexPath(path, i) +
                             ": expected one of MASQUE_PS|"
                             "INVISIBLE_PATIENT|INVISIBLE_REPRESENTANTS_LEGAUX|N|R|V");
    }
  }
  return Status::Ok();
}

Status ParseDocument(const Value& v, std::string path, UnixMillis now, Document* doc) {
  CARNET_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(v, std::move(path)));
  CARNET_TRY(r.String("id", Presence::kOptional, &doc->id));
  CARNET_TRY(r.String("type", Presence::kRequired, &doc->type));
  CARNET_TRY(r.String("author", Presence::kOptional, &doc->author));
  CARNET_TRY(ParseConfidentiality(r, doc));
  std::string status = "current";
  CARNET_TRY(r.OneOf("status", Presence::kOptional, {"current", "obsolete", "archived", "deleted"},
                     &status));
  doc->status = status == "current"    ? DocumentStatus::kCurrent
                : status == "obsolete" ? DocumentStatus::kObsolete
                : status == "archived" ? DocumentStatus::kArchived
                                       : DocumentStatus::kDeleted;
  std::optional<UnixMillis> deposited;
  CARNET_TRY(ReadTimeField(r, "deposited_at", Presence::kOptional, &deposited));
  doc->deposited_at = deposited.value_or(now);
  CARNET_TRY(r.Bool("revealed", Presence::kOptional, &doc->revealed));
  if (doc->type.empty()) return InvalidArgument(r.PathOf("type") + ": must not be empty");
  return r.Finish();
}

}  // namespace

namespace {

Status ParseDocuments(ObjectReader& r, const Request& req, std::vector<Document>* out) {
  const Value::Array* list = nullptr;
  CARNET_TRY(r.Array("documents", Presence::kOptional, &list));
  if (list == nullptr) return Status::Ok();
  if (req.action != Action::kList) return InvalidArgument("documents: only for action 'list'");
  for (size_t i = 0; i < list->size(); ++i) {
    Document doc;
    CARNET_TRY(ParseDocument((*list)[i], json::IndexPath("documents", i), req.now, &doc));
    out->push_back(std::move(doc));
  }
  return Status::Ok();
}

Status ParseHead(ObjectReader& r, Request* req) {
  std::optional<UnixMillis> now;
  CARNET_TRY(ReadTimeField(r, "now", Presence::kRequired, &now));
  req->now = *now;
  std::string action, mode = "normal";
  CARNET_TRY(r.String("action", Presence::kRequired, &action));
  std::optional<Action> a = ActionFromName(action);
  if (!a) return InvalidArgument("action: unknown action '" + action.substr(0, 40) + "'");
  req->action = *a;
  CARNET_TRY(r.OneOf("mode", Presence::kOptional, {"normal", "bris_de_glace", "centre_15"}, &mode));
  req->mode = mode == "normal"          ? Mode::kNormal
              : mode == "bris_de_glace" ? Mode::kBrisDeGlace
                                        : Mode::kCentre15;
  CARNET_TRY(r.String("justification", Presence::kOptional, &req->justification));
  CARNET_TRY(r.String("target", Presence::kOptional, &req->target));
  if (ActionNeedsTarget(req->action) && req->target.empty()) {
    return InvalidArgument("target: required for action '" + action + "'");
  }
  return Status::Ok();
}

Status ParseBody(ObjectReader& r, Request* req) {
  CARNET_ASSIGN_OR_RETURN(const Value* actor, r.Get("actor", Presence::kRequired));
  CARNET_TRY(ParseActor(*actor, &req->actor));
  CARNET_ASSIGN_OR_RETURN(const Value* dossier, r.Get("dossier", Presence::kRequired));
  CARNET_TRY(ParseDossierValue(*dossier, &req->dossier));
  const Value* doc = r.Take("document");
  if (ActionNeedsDocument(req->action) && doc == nullptr) {
    return InvalidArgument("document: required for action '" +
                           std::string(ActionName(req->action)) + "'");
  }
  if (doc != nullptr && !ActionNeedsDocument(req->action)) {
    return InvalidArgument("document: not used by action '" + std::string(ActionName(req->action)) +
                           "'");
  }
  if (doc != nullptr) {
    req->document.emplace();
    CARNET_TRY(ParseDocument(*doc, "document", req->now, &*req->document));
  }
  return ParseDocuments(r, *req, &req->documents);
}

void AddObligations(const Decision& d, Value* out) {
  Value& list = out->Set("obligations", Value::MakeArray());
  for (const Obligation& o : d.obligations) {
    Value item = Value::MakeObject();
    item.Set("kind", Value::String(std::string(ObligationName(o.kind))));
    if (o.at) item.Set("at", Value::String(FormatRfc3339(*o.at)));
    list.Append(std::move(item));
  }
}

}  // namespace

Result<Request> ParseScenario(std::string_view json_text) {
  CARNET_ASSIGN_OR_RETURN(Value root, json::Parse(json_text));
  CARNET_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(root, ""));
  Request req;
  CARNET_TRY(ParseHead(r, &req));
  CARNET_TRY(ParseBody(r, &req));
  CARNET_TRY(r.Finish());
  return req;
}

std::string DecisionToJson(const Decision& d, const Request& request) {
  Value out = Value::MakeObject();
  out.Set("decision", Value::String(d.allow ? "allow" : "deny"));
  out.Set("rule", Value::String(std::string(RuleId(d.rule))));
  out.Set("reason", Value::String(d.reason));
  AddObligations(d, &out);
  if (request.action == Action::kList && d.allow) {
    Value& visible = out.Set("visible", Value::MakeArray());
    for (size_t i : d.visible) visible.Append(Value::Int(static_cast<int64_t>(i)));
  }
  return json::Write(out);
}

}  // namespace carnet::node::policy
