// Response bodies: each result variant and the error, decoded strictly.
#include "crypto/core/hash.h"
#include "crypto/protocol/response_internal.h"
#include "crypto/protocol/wire.h"

namespace carnet::protocol::internal {
namespace {

using crypto::cbor::Value;
using wire::MapReader;

constexpr size_t kMaxReasonLength = 1024;

Result<StatusResult> DecodeStatus(const Value& v, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, "response.status"));
  StatusResult s;
  CARNET_ASSIGN_OR_RETURN(std::string state, r.Text("state", limits.max_text_length));
  auto parsed = ParseDossierState(state);
  if (!parsed.ok()) return parsed.status().Annotate("response.status.state");
  s.state = *parsed;
  CARNET_ASSIGN_OR_RETURN(s.authorized, r.Bool("authorized"));
  CARNET_ASSIGN_OR_RETURN(s.treating_physician, r.Bool("treating_physician"));
  CARNET_TRY(r.Finish());
  return s;
}

Result<DocumentResult> DecodeDocument(const Value& v, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, "response.document"));
  DocumentResult d;
  CARNET_ASSIGN_OR_RETURN(const Value* info, r.Required("info"));
  CARNET_ASSIGN_OR_RETURN(d.info, DecodeDocumentInfo(*info, "response.document.info", limits));
  CARNET_ASSIGN_OR_RETURN(d.content, r.ByteString("content", 0, limits.max_content_size));
  CARNET_TRY(r.Finish());
  // The terminal shows what the node says it stored: size and hash must agree with it.
  if (d.content.size() != d.info.content_size) {
    return InvalidArgument("response.document.content: size differs from info.size");
  }
  if (crypto::Sha256(d.content) != d.info.content_sha256) {
    return InvalidArgument("response.document.content: SHA-256 differs from info.sha256");
  }
  return d;
}

Result<Ack> DecodeAck(const Value& v, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, "response.ack"));
  Ack a;
  CARNET_ASSIGN_OR_RETURN(a.document_id, r.OptionalText("document_id", limits.max_text_length));
  CARNET_ASSIGN_OR_RETURN(a.version, r.OptionalUint("version"));
  if (a.version && !a.document_id) {
    return InvalidArgument("response.ack.version: only with a document_id");
  }
  if (a.version && *a.version == 0) {
    return InvalidArgument("response.ack.version: versions start at 1");
  }
  CARNET_ASSIGN_OR_RETURN(a.trace_index, r.Uint("trace_index"));
  CARNET_TRY(r.Finish());
  return a;
}

Result<Error> DecodeError(const Value& v, const Limits& limits) {
  CARNET_ASSIGN_OR_RETURN(MapReader r, MapReader::Open(v, "response.error"));
  Error e;
  CARNET_ASSIGN_OR_RETURN(std::string code, r.Text("code", limits.max_text_length));
  auto parsed = ParseErrorCode(code);
  if (!parsed.ok()) return parsed.status().Annotate("response.error.code");
  e.code = *parsed;
  CARNET_ASSIGN_OR_RETURN(e.reason, r.Text("reason", kMaxReasonLength));
  CARNET_ASSIGN_OR_RETURN(e.rule, r.OptionalText("rule", limits.max_text_length));
  // A policy denial always names its rule; nothing else has one.
  if (e.code == ErrorCode::kDenied && !e.rule) {
    return InvalidArgument("response.error.rule: missing (required with denied)");
  }
  if (e.code != ErrorCode::kDenied && e.rule) {
    return InvalidArgument("response.error.rule: only allowed with denied");
  }
  CARNET_ASSIGN_OR_RETURN(e.trace_id, r.OptionalUint("trace_id"));
  CARNET_TRY(r.Finish());
  return e;
}

}  // namespace

Result<ResponseBody> DecodeBody(size_t index, const Value& v, const Limits& limits) {
  switch (index) {
    case 0: {
      CARNET_ASSIGN_OR_RETURN(auto s, DecodeStatus(v, limits));
      return ResponseBody(s);
    }
    case 1: {
      CARNET_ASSIGN_OR_RETURN(auto list, DecodeInfoList(v, "response.documents", limits));
      return ResponseBody(DocumentList{std::move(list)});
    }
    case 2: {
      CARNET_ASSIGN_OR_RETURN(auto d, DecodeDocument(v, limits));
      return ResponseBody(std::move(d));
    }
    case 3: {
      CARNET_ASSIGN_OR_RETURN(auto list, DecodeTraceList(v, "response.traces", limits));
      return ResponseBody(TraceList{std::move(list)});
    }
    case 4: {
      CARNET_ASSIGN_OR_RETURN(auto a, DecodeAck(v, limits));
      return ResponseBody(std::move(a));
    }
    default: {
      CARNET_ASSIGN_OR_RETURN(auto e, DecodeError(v, limits));
      return ResponseBody(std::move(e));
    }
  }
}

}  // namespace carnet::protocol::internal
