#pragma once
// The terminal's HTTP/1.1 codec: requests it writes and a strict, bounded parser for the
// responses it reads from the node. The node is trusted to be the node (pinned mTLS), but a
// parser of network bytes must never crash, loop or allocate without bound on what it gets.
//
// Accepted responses (anything else is kInvalidArgument with the reason, or kUnimplemented
// for Transfer-Encoding):
//   status-line = "HTTP/1.1" SP 3DIGIT (200..599, or 1xx refused: we never send Expect)
//                 SP reason-phrase CRLF            (reason: visible chars, SP, HTAB)
//   header      = token ":" OWS value OWS CRLF    (no obs-fold, no bare LF, no NUL/CTL)
//   then CRLF, then exactly Content-Length bytes of body.
// Limits: header section ≤ kMaxHeaderBytes, ≤ kMaxHeaders lines, body ≤ the caller's limit.
// Content-Length is required except for 204 and 304 (no body); repeated Content-Length
// headers must agree; "Transfer-Encoding" (chunked or any) is refused, so the body length is
// never ambiguous (no request smuggling / desync between what we and the node think).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::fw::transport {

inline constexpr size_t kMaxHeaderBytes = 16 * 1024;
inline constexpr size_t kMaxHeaders = 64;
inline constexpr size_t kDefaultMaxBody = 8u << 20;

struct HttpReply {
  int status = 0;
  std::string content_type;  // as sent, empty if absent
  Bytes body;
};

struct ParsedResponse {
  HttpReply reply;
  bool connection_close = false;  // "Connection: close" seen: do not reuse the connection
  size_t consumed = 0;            // bytes of the input this response used
};

// Parses one response at the start of `input`. nullopt: incomplete so far (read more and
// call again with the longer input); an error: malformed or over a limit (the connection must
// be dropped). A complete response followed by more bytes is returned with `consumed` < size.
Result<std::optional<ParsedResponse>> ParseHttpResponse(ByteView input, size_t max_body);

// "POST /path HTTP/1.1" with Host, Content-Type, Content-Length, Connection: keep-alive.
// `path` must start with '/' and hold no CR, LF, SP or CTL (kInvalidArgument).
Result<Bytes> BuildHttpRequest(std::string_view method,
                               std::string_view path,
                               std::string_view host,
                               std::string_view content_type,
                               ByteView body);

}  // namespace carnet::fw::transport
