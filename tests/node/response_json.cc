// ResponseToJson: a node response (crypto/protocol DecodeResponse, strict) as one JSON object,
// so that shell tests can read it with python3 or grep. Document content is summarised by size
// and SHA-256 and given in full as hex only (it is test data).
#include <type_traits>

#include "crypto/protocol/response.h"
#include "hal/base/json.h"
#include "tests/node/reqgen.h"

namespace carnet::tests::reqgen {
namespace {

using json::Value;
using protocol::DocumentInfo;

Value Str(std::string_view s) { return Value::String(std::string(s)); }
Value Int(uint64_t v) { return Value::Int(static_cast<int64_t>(v)); }

Value InfoJson(const DocumentInfo& info) {
  Value m = Value::MakeObject();
  m.Set("id", Str(info.metadata.id));
  m.Set("type", Str(info.metadata.type_code));
  m.Set("title", Str(info.metadata.title));
  m.Set("content_type", Str(info.metadata.content_type));
  m.Set("masked", Value::Bool(info.metadata.masked));
  m.Set("invisible_patient", Value::Bool(info.metadata.invisible_patient));
  m.Set("invisible_legal_reps", Value::Bool(info.metadata.invisible_legal_reps));
  Value conf = Value::MakeArray();
  for (const auto& c : info.metadata.confidentiality) conf.Append(Str(c));
  m.Set("confidentiality", std::move(conf));
  if (info.metadata.replaces) m.Set("replaces", Str(*info.metadata.replaces));
  Value v = Value::MakeObject();
  v.Set("metadata", std::move(m));
  v.Set("version", Int(info.version));
  v.Set("author", Str(info.author));
  v.Set("status", Str(protocol::DocumentStatusName(info.status)));
  v.Set("deposited_at", Value::Int(info.deposited_at));
  v.Set("size", Int(info.content_size));
  v.Set("sha256", Str(HexEncode(info.content_sha256)));
  return v;
}

Value TraceJson(const protocol::TraceEntry& t) {
  Value v = Value::MakeObject();
  v.Set("index", Int(t.index));
  v.Set("time", Value::Int(t.time));
  v.Set("actor", Str(t.actor));
  v.Set("action", Str(protocol::ActionName(t.action)));
  v.Set("mode", Str(protocol::ModeName(t.mode)));
  v.Set("allowed", Value::Bool(t.allowed));
  v.Set("rule", Str(t.rule));
  if (t.document_id) v.Set("document_id", Str(*t.document_id));
  v.Set("terminal", Str(t.terminal_id));
  v.Set("rid", Str(HexEncode(t.request_id)));
  return v;
}

Value BodyJson(const protocol::ResponseBody& body) {
  return std::visit(
      [](const auto& b) -> Value {
        using T = std::decay_t<decltype(b)>;
        Value v = Value::MakeObject();
        if constexpr (std::is_same_v<T, protocol::StatusResult>) {
          v.Set("state", Str(protocol::DossierStateName(b.state)));
          v.Set("authorized", Value::Bool(b.authorized));
          v.Set("treating_physician", Value::Bool(b.treating_physician));
        } else if constexpr (std::is_same_v<T, protocol::DocumentList>) {
          v = Value::MakeArray();
          for (const auto& d : b.documents) v.Append(InfoJson(d));
        } else if constexpr (std::is_same_v<T, protocol::DocumentResult>) {
          v.Set("info", InfoJson(b.info));
          v.Set("content_hex", Str(HexEncode(b.content)));
        } else if constexpr (std::is_same_v<T, protocol::TraceList>) {
          v = Value::MakeArray();
          for (const auto& t : b.entries) v.Append(TraceJson(t));
        } else if constexpr (std::is_same_v<T, protocol::Ack>) {
          if (b.document_id) v.Set("document_id", Str(*b.document_id));
          if (b.version) v.Set("version", Int(*b.version));
          v.Set("trace_index", Int(b.trace_index));
        } else {
          v.Set("code", Str(protocol::ErrorCodeName(b.code)));
          v.Set("reason", Str(b.reason));
          if (b.rule) v.Set("rule", Str(*b.rule));
          if (b.trace_id) v.Set("trace_id", Int(*b.trace_id));
        }
        return v;
      },
      body);
}

// The CDDL's key for each ResponseBody alternative, in variant order.
constexpr std::string_view kBodyKeys[] = {"status", "documents", "document",
                                          "traces", "ack",       "error"};

}  // namespace

Result<std::string> ResponseToJson(ByteView cbor) {
  CARNET_ASSIGN_OR_RETURN(protocol::Response r, protocol::DecodeResponse(cbor));
  Value v = Value::MakeObject();
  v.Set("v", Value::Int(1));
  if (r.request_id) v.Set("rid", Str(HexEncode(*r.request_id)));
  v.Set(std::string(kBodyKeys[r.body.index()]), BodyJson(r.body));
  v.Set("http_status", Value::Int(protocol::ResponseHttpStatus(r)));
  return json::Write(v);
}

}  // namespace carnet::tests::reqgen
