#pragma once
// The node → terminal response (DESIGN.md §3): a canonical CBOR map, not signed (it travels
// inside the mutual-TLS session). Exact CDDL in README.md. Exactly one of: a result (status,
// documents, document, traces, ack) or an error {code, reason, rule?, trace_id?} whose code
// fixes the HTTP status.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/protocol/request.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/status.h"

namespace carnet::protocol {

enum class DossierState { kNone, kOpen, kClosed };
std::string_view DossierStateName(DossierState state);  // "none", "open", "closed"
Result<DossierState> ParseDossierState(std::string_view name);

enum class DocumentStatus { kCurrent, kObsolete, kArchived, kDeleted };
std::string_view DocumentStatusName(DocumentStatus status);  // "current", "obsolete", ...
Result<DocumentStatus> ParseDocumentStatus(std::string_view name);

// Error codes, each with one HTTP status.
enum class ErrorCode {
  kMalformed,        // 400: the request does not decode or fails a shape check
  kUnauthenticated,  // 401: terminal, signature, chain, CRL, directory, freshness
  kDenied,           // 403: the policy engine denied; `rule` names the rule id
  kConflict,         // 409: request id replayed with other content, version conflict
  kTooLarge,         // 413
  kRateLimited,      // 429
  kUnavailable,      // 503
};
std::string_view ErrorCodeName(ErrorCode code);  // "malformed", "unauthenticated", "denied",
                                                 // "conflict", "too_large", "rate_limited",
                                                 // "unavailable"
Result<ErrorCode> ParseErrorCode(std::string_view name);
int HttpStatus(ErrorCode code);  // 400 401 403 409 413 429 503
Result<ErrorCode> ErrorCodeFromHttpStatus(int http_status);

struct StatusResult {  // status
  DossierState state = DossierState::kNone;
  bool authorized = false;          // the actor may read in normal mode
  bool treating_physician = false;  // the actor is the designated treating physician
};

struct DocumentInfo {
  DocumentMetadata metadata;  // as deposited (replaces kept for a replacement)
  uint64_t version = 1;
  std::string author;  // idNat (or the patient's INS for class 90)
  DocumentStatus status = DocumentStatus::kCurrent;
  UnixMillis deposited_at = 0;
  uint64_t content_size = 0;
  Sha256Digest content_sha256{};
};

struct DocumentList {  // list
  std::vector<DocumentInfo> documents;
};

struct DocumentResult {  // read
  DocumentInfo info;
  Bytes content;  // SHA-256 must equal info.content_sha256 and size info.content_size
};

struct TraceEntry {
  uint64_t index = 0;  // leaf index in the trace log
  UnixMillis time = 0;
  std::string actor;  // idNat or INS
  Action action = Action::kStatus;
  Mode mode = Mode::kNormal;
  bool allowed = false;
  std::string rule;                        // rule id that decided
  std::optional<std::string> document_id;  // when the action is about one document
  std::string terminal_id;
  Bytes request_id;  // 16 bytes
};

struct TraceList {  // traces
  std::vector<TraceEntry> entries;
};

struct Ack {  // every write, lifecycle, record or setting action
  std::optional<std::string> document_id;
  std::optional<uint64_t> version;
  uint64_t trace_index = 0;
};

struct Error {
  ErrorCode code = ErrorCode::kMalformed;
  std::string reason;               // human text, at most 1024 bytes
  std::optional<std::string> rule;  // policy rule id (403), e.g. "AUTHORIZATION_REQUIRED"
  std::optional<uint64_t> trace_id;
};

using ResponseBody =
    std::variant<StatusResult, DocumentList, DocumentResult, TraceList, Ack, Error>;

struct Response {
  std::optional<Bytes> request_id;  // echoed when the request decoded far enough (16 bytes)
  ResponseBody body;
};

// The HTTP status for a response: 200 for a result, HttpStatus(code) for an error.
int ResponseHttpStatus(const Response& response);

// Canonical CBOR; fails (InvalidArgument) when DecodeResponse would refuse the result.
Result<Bytes> EncodeResponse(const Response& response);
// Strict, like DecodePayload: canonical, no unknown / duplicate / missing keys, typed and
// bounded fields, DocumentResult content matching its size and hash.
Result<Response> DecodeResponse(ByteView bytes, const Limits& limits = Limits{});

}  // namespace carnet::protocol
