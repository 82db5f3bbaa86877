#include "node/authn/terminal_registry_json.h"

#include <algorithm>
#include <set>

#include "hal/base/json.h"

namespace carnet::node::authn::internal {
namespace {

constexpr std::string_view kFormat = "carnet-terminals/1";

json::Value RecordJson(const TerminalRecord& r) {
  json::Value v = json::Value::MakeObject();
  v.Set("id", json::Value::String(r.id));
  v.Set("role", json::Value::String(std::string(ClientRoleName(r.role))));
  v.Set("serial", json::Value::String(HexEncode(r.serial)));
  v.Set("sha256", json::Value::String(HexEncode(r.fingerprint)));
  v.Set("enrolled_at", json::Value::String(FormatRfc3339(r.enrolled_at)));
  v.Set("revoked_at",
        r.revoked_at ? json::Value::String(FormatRfc3339(*r.revoked_at)) : json::Value());
  return v;
}

Status ReadTime(json::ObjectReader& r,
                std::string_view key,
                json::Presence p,
                std::optional<UnixMillis>* out) {
  std::string text;
  const json::Value* v = r.Take(key);
  if (v == nullptr) {
    if (p == json::Presence::kRequired) return InvalidArgument(r.PathOf(key) + ": missing");
    return Status::Ok();
  }
  if (!v->is(json::Kind::kString)) return json::TypeError(r.PathOf(key), "RFC 3339 time", *v);
  auto t = ParseRfc3339(v->as_string());
  if (!t.ok()) return InvalidArgument(r.PathOf(key) + ": " + t.status().message());
  *out = *t;
  return Status::Ok();
}

Result<TerminalRecord> ReadRecord(const json::Value& v, std::string path) {
  CARNET_ASSIGN_OR_RETURN(json::ObjectReader r, json::ObjectReader::Open(v, std::move(path)));
  TerminalRecord rec;
  std::string role, serial, sha;
  CARNET_TRY(r.String("id", json::Presence::kRequired, &rec.id));
  if (!TerminalIdValid(rec.id)) return InvalidArgument(r.PathOf("id") + ": not a terminal id");
  CARNET_TRY(r.OneOf("role", json::Presence::kRequired, {"terminal", "portal"}, &role));
  rec.role = role == "portal" ? ClientRole::kPortal : ClientRole::kTerminal;
  CARNET_TRY(r.String("serial", json::Presence::kRequired, &serial));
  auto serial_bytes = HexDecode(serial);
  if (!serial_bytes.ok() || serial_bytes->empty() || serial_bytes->size() > 20 ||
      serial.find(' ') != std::string::npos) {
    return InvalidArgument(r.PathOf("serial") + ": expected 1..20 bytes of hex");
  }
  rec.serial = *serial_bytes;
  CARNET_TRY(r.String("sha256", json::Presence::kRequired, &sha));
  auto sha_bytes = HexDecode(sha);
  if (!sha_bytes.ok() || sha_bytes->size() != rec.fingerprint.size() || sha.size() != 64) {
    return InvalidArgument(r.PathOf("sha256") + ": expected 64 hex digits");
  }
  std::copy(sha_bytes->begin(), sha_bytes->end(), rec.fingerprint.begin());
  std::optional<UnixMillis> enrolled;
  CARNET_TRY(ReadTime(r, "enrolled_at", json::Presence::kRequired, &enrolled));
  rec.enrolled_at = *enrolled;
  CARNET_TRY(ReadTime(r, "revoked_at", json::Presence::kOptional, &rec.revoked_at));
  CARNET_TRY(r.Finish());
  return rec;
}

}  // namespace

std::string WriteRegistryJson(const RegistryFile& file) {
  json::Value doc = json::Value::MakeObject();
  doc.Set("format", json::Value::String(std::string(kFormat)));
  doc.Set("crl_number", json::Value::Int(file.crl_number));
  json::Value list = json::Value::MakeArray();
  for (const TerminalRecord& r : file.records) list.Append(RecordJson(r));
  doc.Set("terminals", std::move(list));
  return json::Write(doc) + "\n";
}

Result<RegistryFile> ParseRegistryJson(std::string_view text) {
  CARNET_ASSIGN_OR_RETURN(json::Value doc, json::Parse(text));
  CARNET_ASSIGN_OR_RETURN(json::ObjectReader r, json::ObjectReader::Open(doc, "registry"));
  std::string format;
  CARNET_TRY(r.OneOf("format", json::Presence::kRequired, {kFormat}, &format));
  int64_t crl_number = 0;
  CARNET_TRY(r.Int("crl_number", json::Presence::kRequired, &crl_number));
  if (crl_number < 0 || crl_number > UINT32_MAX)
    return InvalidArgument("registry.crl_number out of range");
  const json::Value::Array* list = nullptr;
  CARNET_TRY(r.Array("terminals", json::Presence::kRequired, &list));
  CARNET_TRY(r.Finish());
  RegistryFile file;
  file.crl_number = static_cast<uint32_t>(crl_number);
  std::set<std::string> active_ids;
  std::set<crypto::Sha256Digest> prints;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = json::IndexPath("registry.terminals", i);
    CARNET_ASSIGN_OR_RETURN(TerminalRecord rec, ReadRecord((*list)[i], path));
    if (!prints.insert(rec.fingerprint).second) return InvalidArgument(path + ": duplicate sha256");
    if (rec.active() && !active_ids.insert(rec.id).second) {
      return InvalidArgument(path + ": a second active terminal " + rec.id);
    }
    file.records.push_back(std::move(rec));
  }
  return file;
}

}  // namespace carnet::node::authn::internal
