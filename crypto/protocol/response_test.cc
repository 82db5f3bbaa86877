#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/protocol/protocol_test_util.h"

namespace carnet::protocol {
namespace {

using namespace testing;

Value BaseOf(size_t index) { return Parse(*EncodeResponse(SampleResponses()[index])); }

void ExpectReject(const Value& v,
                  const char* needle,
                  const Limits& limits = Limits{},
                  StatusCode code = StatusCode::kInvalidArgument) {
  auto r = DecodeResponse(crypto::cbor::Encode(v), limits);
  CHECK_FALSE_TEXT(r.ok(), needle);
  STRCMP_CONTAINS(needle, r.status().message().c_str());
  CHECK_EQUAL_TEXT(static_cast<int>(code), static_cast<int>(r.status().code()), needle);
}

TEST_GROUP(ProtocolResponse){};

TEST(ProtocolResponse, EveryVariantRoundTrips) {
  for (const Response& in : SampleResponses()) {
    auto bytes = EncodeResponse(in);
    CHECK_TEXT(bytes.ok(), bytes.status().message().c_str());
    auto out = DecodeResponse(*bytes);
    CHECK_TEXT(out.ok(), out.status().message().c_str());
    CHECK_EQUAL(in.body.index(), out->body.index());
    CHECK(in.request_id == out->request_id);
    CHECK(*EncodeResponse(*out) == *bytes);
  }
  auto list = *DecodeResponse(*EncodeResponse(SampleResponses()[1]));
  const auto& docs = std::get<DocumentList>(list.body).documents;
  CHECK_EQUAL(2u, docs.size());
  CHECK_EQUAL(2u, docs[0].version);
  STRCMP_EQUAL("doc-1", docs[0].metadata.id.c_str());
  auto traces = *DecodeResponse(*EncodeResponse(SampleResponses()[3]));
  const auto& t = std::get<TraceList>(traces.body).entries.at(0);
  CHECK(t.mode == Mode::kBrisDeGlace);
  STRCMP_EQUAL("AUTHORIZATION_REQUIRED", t.rule.c_str());
  auto denied = *DecodeResponse(*EncodeResponse(SampleResponses()[6]));
  CHECK_EQUAL(9u, *std::get<Error>(denied.body).trace_id);
  auto empty = *DecodeResponse(*EncodeResponse(Response{std::nullopt, DocumentList{}}));
  CHECK(std::get<DocumentList>(empty.body).documents.empty());
}

TEST(ProtocolResponse, HttpStatusTable) {
  const std::pair<ErrorCode, int> table[] = {
      {ErrorCode::kMalformed, 400},  {ErrorCode::kUnauthenticated, 401},
      {ErrorCode::kDenied, 403},     {ErrorCode::kConflict, 409},
      {ErrorCode::kTooLarge, 413},   {ErrorCode::kRateLimited, 429},
      {ErrorCode::kUnavailable, 503}};
  for (const auto& [code, http] : table) {
    CHECK_EQUAL(http, HttpStatus(code));
    CHECK(*ErrorCodeFromHttpStatus(http) == code);
    CHECK(*ParseErrorCode(ErrorCodeName(code)) == code);
  }
  CHECK_FALSE(ErrorCodeFromHttpStatus(500).ok());
  CHECK_EQUAL(200, ResponseHttpStatus(SampleResponses()[0]));
  CHECK_EQUAL(403, ResponseHttpStatus(SampleResponses()[6]));
}

TEST(ProtocolResponse, RejectsEnvelope) {
  ExpectReject(Value::Int(1), "response: not a map");
  ExpectReject(With(BaseOf(0), {"v"}, Value::Int(3)), "response.v: unsupported version 3");
  ExpectReject(With(BaseOf(0), {"v"}, std::nullopt), "response.v: missing");
  ExpectReject(With(BaseOf(0), {"rid"}, Value::ByteString(Bytes(8))),
               "response.rid: must be exactly 16 bytes");
  ExpectReject(With(BaseOf(0), {"status"}, std::nullopt), "response: no result and no error");
  ExpectReject(With(BaseOf(0), {"ack"}, *BaseOf(4).Find(Value::Text("ack"))),
               "response: more than one result or error");
  ExpectReject(With(BaseOf(0), {"extra"}, Value::Int(1)), "response: unknown key \"extra\"");
}

TEST(ProtocolResponse, RejectsBodies) {
  ExpectReject(With(BaseOf(0), {"status", "state"}, Value::Text("deleted")),
               "response.status.state: unknown dossier state");
  ExpectReject(With(BaseOf(0), {"status", "authorized"}, std::nullopt),
               "response.status.authorized: missing");
  ExpectReject(With(BaseOf(1), {"documents"}, Value::Map({})), "response.documents: not an array");
  Limits one;
  one.max_list_entries = 1;
  ExpectReject(BaseOf(1), "response.documents: more than 1 entries", one, StatusCode::kOutOfRange);
  ExpectReject(
      With(BaseOf(2), {"document", "content"}, Value::ByteString(ToBytes("%PDF-1.4 samplE"))),
      "response.document.content: SHA-256 differs from info.sha256");
  ExpectReject(With(BaseOf(2), {"document", "content"}, Value::ByteString(ToBytes("x"))),
               "response.document.content: size differs from info.size");
  ExpectReject(With(BaseOf(2), {"document", "info", "version"}, Value::Int(0)),
               "response.document.info.version: versions start at 1");
  ExpectReject(With(BaseOf(2), {"document", "info", "author"}, Value::Text("someone")),
               "response.document.info.author: neither an idNat nor an INS");
  ExpectReject(With(BaseOf(2), {"document", "info", "status"}, Value::Text("gone")),
               "response.document.info.status: unknown document status");
  ExpectReject(With(BaseOf(3), {"traces"}, Value::Array({Value::Map({})})),
               "response.traces[0].index: missing");
  ExpectReject(With(BaseOf(4), {"ack", "document_id"}, std::nullopt),
               "response.ack.version: only with a document_id");
  ExpectReject(With(BaseOf(4), {"ack", "trace_index"}, std::nullopt),
               "response.ack.trace_index: missing");
  ExpectReject(With(BaseOf(5), {"error", "code"}, Value::Text("teapot")),
               "response.error.code: unknown error code");
  ExpectReject(With(BaseOf(5), {"error", "rule"}, Value::Text("X")),
               "response.error.rule: only allowed with denied");
  ExpectReject(With(BaseOf(6), {"error", "rule"}, std::nullopt),
               "response.error.rule: missing (required with denied)");
  ExpectReject(With(BaseOf(5), {"error", "reason"}, Value::Text(std::string(1025, 'r'))),
               "response.error.reason: longer than 1024");
}

TEST(ProtocolResponse, TraceEntryRejections) {
  Value traces = BaseOf(3);
  auto entry = [&](std::string_view key, std::optional<Value> v) {
    const Value* list = traces.Find(Value::Text("traces"));
    Value e = With((*list->AsArray())[0], {key}, std::move(v));
    return With(traces, {"traces"}, Value::Array({e}));
  };
  ExpectReject(entry("rid", Value::ByteString(Bytes(3))), "response.traces[0].rid: shorter");
  ExpectReject(entry("action", Value::Text("peek")), "response.traces[0].action: unknown action");
  ExpectReject(entry("mode", Value::Text("x")), "response.traces[0].mode: unknown mode");
  ExpectReject(entry("actor", Value::Text("x")), "response.traces[0].actor: neither");
  ExpectReject(entry("allowed", Value::Int(0)), "response.traces[0].allowed: not a boolean");
  ExpectReject(entry("note", Value::Text("x")), "response.traces[0]: unknown key \"note\"");
}

TEST(ProtocolResponse, EncoderRefusesWhatTheDecoderWould) {
  Response r{std::nullopt, Error{ErrorCode::kDenied, "no", std::nullopt, std::nullopt}};
  STRCMP_CONTAINS("EncodeResponse: response.error.rule: missing",
                  EncodeResponse(r).status().message().c_str());
  Response doc = SampleResponses()[2];
  std::get<DocumentResult>(doc.body).content.push_back(0);
  CHECK_FALSE(EncodeResponse(doc).ok());
}

}  // namespace
}  // namespace carnet::protocol
