// Response: typed Response <-> canonical CBOR map (CDDL in README.md).
#include <array>

#include "crypto/cbor/decode.h"
#include "crypto/cbor/encode.h"
#include "crypto/core/hash.h"
#include "crypto/protocol/response.h"
#include "crypto/protocol/response_internal.h"
#include "crypto/protocol/wire.h"

namespace carnet::protocol {
namespace {

using crypto::cbor::Value;
using wire::MapReader;

// Body keys, in ResponseBody's alternative order.
constexpr std::array<std::string_view, 6> kBodyKeys = {"status", "documents", "document",
                                                       "traces", "ack",       "error"};

Value EncodeInfo(const DocumentInfo& d) {
  Value m = Value::Map({});
  wire::Put(m, "metadata", wire::EncodeMetadata(d.metadata));
  wire::PutUint(m, "version", d.version);
  wire::PutText(m, "author", d.author);
  wire::PutText(m, "status", DocumentStatusName(d.status));
  wire::PutTime(m, "deposited_at", d.deposited_at);
  wire::PutUint(m, "size", d.content_size);
  wire::PutBytes(m, "sha256", d.content_sha256);
  return m;
}

Status CheckPerson(const std::string& who, const std::string& path) {
  if (IdNatShapeValid(who) || InsShapeValid(who)) return Status::Ok();
  return InvalidArgument(path + ": neither an idNat nor an INS");
}

Result<DocumentInfo> DecodeInfo(const Value& v, const std::string& path, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, path));
  DocumentInfo d;
  CARNET_ASSIGN_OR_RETURN(const Value* md, r.Required("metadata"));
  CARNET_ASSIGN_OR_RETURN(d.metadata, wire::DecodeMetadata(*md, path + ".metadata", limits));
  CARNET_ASSIGN_OR_RETURN(d.version, r.Uint("version"));
  if (d.version == 0) return InvalidArgument(path + ".version: versions start at 1");
  CARNET_ASSIGN_OR_RETURN(d.author, r.Text("author", limits.max_text_length));
  CARNET_TRY(CheckPerson(d.author, path + ".author"));
  CARNET_ASSIGN_OR_RETURN(std::string status, r.Text("status", limits.max_text_length));
  auto parsed = ParseDocumentStatus(status);
  if (!parsed.ok()) return parsed.status().Annotate(path + ".status");
  d.status = *parsed;
  CARNET_ASSIGN_OR_RETURN(d.deposited_at, r.Time("deposited_at"));
  CARNET_ASSIGN_OR_RETURN(d.content_size, r.Uint("size"));
  CARNET_ASSIGN_OR_RETURN(d.content_sha256, r.Digest("sha256"));
  CARNET_TRY(r.Finish());
  return d;
}

Value EncodeTrace(const TraceEntry& t) {
  Value m = Value::Map({});
  wire::PutUint(m, "index", t.index);
  wire::PutTime(m, "time", t.time);
  wire::PutText(m, "actor", t.actor);
  wire::PutText(m, "action", ActionName(t.action));
  wire::PutText(m, "mode", ModeName(t.mode));
  wire::PutBool(m, "allowed", t.allowed);
  wire::PutText(m, "rule", t.rule);
  if (t.document_id) wire::PutText(m, "document_id", *t.document_id);
  wire::PutText(m, "terminal", t.terminal_id);
  wire::PutBytes(m, "rid", t.request_id);
  return m;
}

Result<TraceEntry> DecodeTrace(const Value& v, const std::string& path, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, path));
  const size_t max = limits.max_text_length;
  TraceEntry t;
  CARNET_ASSIGN_OR_RETURN(t.index, r.Uint("index"));
  CARNET_ASSIGN_OR_RETURN(t.time, r.Time("time"));
  CARNET_ASSIGN_OR_RETURN(t.actor, r.Text("actor", max));
  CARNET_TRY(CheckPerson(t.actor, path + ".actor"));
  CARNET_ASSIGN_OR_RETURN(std::string action, r.Text("action", max));
  auto parsed_action = ParseAction(action);
  if (!parsed_action.ok()) return parsed_action.status().Annotate(path + ".action");
  t.action = *parsed_action;
  CARNET_ASSIGN_OR_RETURN(std::string mode, r.Text("mode", max));
  auto parsed_mode = ParseMode(mode);
  if (!parsed_mode.ok()) return parsed_mode.status().Annotate(path + ".mode");
  t.mode = *parsed_mode;
  CARNET_ASSIGN_OR_RETURN(t.allowed, r.Bool("allowed"));
  CARNET_ASSIGN_OR_RETURN(t.rule, r.Text("rule", max));
  CARNET_ASSIGN_OR_RETURN(t.document_id, r.OptionalText("document_id", max));
  CARNET_ASSIGN_OR_RETURN(t.terminal_id, r.Text("terminal", max));
  CARNET_ASSIGN_OR_RETURN(t.request_id, r.ByteString("rid", kRequestIdSize, kRequestIdSize));
  CARNET_TRY(r.Finish());
  return t;
}

template <typename T, typename F>
Result<std::vector<T>> DecodeList(const Value& v,
                                  const std::string& path,
                                  const Limits& limits,
                                  F decode_one) {
  auto items = v.AsArray();
  if (!items.ok()) return InvalidArgument(path + ": not an array");
  if (items->size() > limits.max_list_entries) {
    return OutOfRange(path + ": more than " + std::to_string(limits.max_list_entries) + " entries");
  }
  std::vector<T> out;
  out.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    CARNET_ASSIGN_OR_RETURN(T one,
                            decode_one((*items)[i], path + "[" + std::to_string(i) + "]", limits));
    out.push_back(std::move(one));
  }
  return out;
}

Value EncodeBody(const ResponseBody& body) {
  Value m = Value::Map({});
  if (const auto* s = std::get_if<StatusResult>(&body)) {
    wire::PutText(m, "state", DossierStateName(s->state));
    wire::PutBool(m, "authorized", s->authorized);
    wire::PutBool(m, "treating_physician", s->treating_physician);
  } else if (const auto* list = std::get_if<DocumentList>(&body)) {
    Value a = Value::Array({});
    for (const auto& d : list->documents) a.Append(EncodeInfo(d));
    return a;
  } else if (const auto* doc = std::get_if<DocumentResult>(&body)) {
    wire::Put(m, "info", EncodeInfo(doc->info));
    wire::PutBytes(m, "content", doc->content);
  } else if (const auto* traces = std::get_if<TraceList>(&body)) {
    Value a = Value::Array({});
    for (const auto& t : traces->entries) a.Append(EncodeTrace(t));
    return a;
  } else if (const auto* ack = std::get_if<Ack>(&body)) {
    if (ack->document_id) wire::PutText(m, "document_id", *ack->document_id);
    if (ack->version) wire::PutUint(m, "version", *ack->version);
    wire::PutUint(m, "trace_index", ack->trace_index);
  } else if (const auto* e = std::get_if<Error>(&body)) {
    wire::PutText(m, "code", ErrorCodeName(e->code));
    wire::PutText(m, "reason", e->reason);
    if (e->rule) wire::PutText(m, "rule", *e->rule);
    if (e->trace_id) wire::PutUint(m, "trace_id", *e->trace_id);
  }
  return m;
}

}  // namespace

namespace internal {
Result<DocumentInfo> DecodeDocumentInfo(const Value& v,
                                        const std::string& path,
                                        const Limits& limits) {
  return DecodeInfo(v, path, limits);
}
Result<std::vector<DocumentInfo>> DecodeInfoList(const Value& v,
                                                 const std::string& path,
                                                 const Limits& limits) {
  return DecodeList<DocumentInfo>(v, path, limits, DecodeInfo);
}
Result<std::vector<TraceEntry>> DecodeTraceList(const Value& v,
                                                const std::string& path,
                                                const Limits& limits) {
  return DecodeList<TraceEntry>(v, path, limits, DecodeTrace);
}
}  // namespace internal

int ResponseHttpStatus(const Response& response) {
  if (const auto* e = std::get_if<Error>(&response.body)) return HttpStatus(e->code);
  return 200;
}

Result<Response> DecodeResponse(ByteView bytes, const Limits& limits) {
  auto value = crypto::cbor::Decode(bytes, wire::CborLimits(limits));
  if (!value.ok()) return value.status().Annotate("response");
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(*value, "response"));
  CARNET_ASSIGN_OR_RETURN(uint64_t version, r.Uint("v"));
  if (version != kProtocolVersion) {
    return InvalidArgument("response.v: unsupported version " + std::to_string(version));
  }
  Response out;
  if (r.Find("rid") != nullptr) {
    CARNET_ASSIGN_OR_RETURN(out.request_id, r.ByteString("rid", 0, limits.max_text_length));
    if (out.request_id->size() != kRequestIdSize) {
      return InvalidArgument("response.rid: must be exactly 16 bytes");
    }
  }
  const Value* body = nullptr;
  size_t index = 0;
  for (size_t i = 0; i < kBodyKeys.size(); ++i) {
    const Value* found = r.Find(kBodyKeys[i]);
    if (found == nullptr) continue;
    if (body != nullptr) return InvalidArgument("response: more than one result or error");
    body = found;
    index = i;
  }
  if (body == nullptr) return InvalidArgument("response: no result and no error");
  CARNET_ASSIGN_OR_RETURN(out.body, internal::DecodeBody(index, *body, limits));
  CARNET_TRY(r.Finish());
  return out;
}

Result<Bytes> EncodeResponse(const Response& response) {
  Value m = Value::Map({});
  wire::PutUint(m, "v", kProtocolVersion);
  if (response.request_id) wire::PutBytes(m, "rid", *response.request_id);
  wire::Put(m, kBodyKeys[response.body.index()], EncodeBody(response.body));
  Bytes out = crypto::cbor::Encode(m);
  auto check = DecodeResponse(out);
  if (!check.ok()) return check.status().Annotate("EncodeResponse");
  return out;
}

}  // namespace carnet::protocol
