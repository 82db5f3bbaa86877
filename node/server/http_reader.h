#pragma once
// HttpRequestReader: incremental HTTP/1.1 request parsing (Boost.Beast's parser) with the
// server's limits, fed with plaintext bytes as they come out of TLS. No I/O, no TLS: the
// connection and the fuzz target (http_request_fuzz) drive it the same way.
//
// Use: Append(bytes), then call Next() until it returns kNeedMore (append more) or kError.
//   kHeaderReady  the header section is complete: header() is valid; the caller may refuse
//                 the request now (404/405/415/411...) without reading the body;
//   kMessageReady the whole request is parsed: TakeRequest() moves it out and re-arms the
//                 reader for the next request on the connection (bytes already appended
//                 after this request stay buffered: pipelining);
//   kError        error() is the HTTP status to answer (400, 411, 413, 431) and
//                 error_detail() says why; the reader is dead, close the connection after
//                 answering.
// Buffered bytes never exceed what Append was given minus what the parser consumed; the
// parser consumes the header only when complete (≤ max_header_bytes) and the body as it
// comes (≤ max_body_bytes in total, checked against Content-Length before any body byte).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "hal/base/bytes.h"
#include "node/server/http_types.h"

namespace carnet::node::server {

struct HttpLimits {
  size_t max_header_bytes = 8 * 1024;
  size_t max_body_bytes = 8 * 1024 * 1024 + 64 * 1024;  // 8 MiB documents + envelope slack
};

struct RequestHeader {
  std::string method;
  std::string target;
  std::string path;
  std::string content_type;
  std::optional<uint64_t> content_length;
  bool chunked = false;
  bool keep_alive = true;
  bool expect_continue = false;  // "Expect: 100-continue"
};

class HttpRequestReader {
 public:
  enum class Event { kNeedMore, kHeaderReady, kMessageReady, kError };

  explicit HttpRequestReader(HttpLimits limits);
  ~HttpRequestReader();
  HttpRequestReader(const HttpRequestReader&) = delete;
  HttpRequestReader& operator=(const HttpRequestReader&) = delete;

  void Append(ByteView bytes);
  Event Next();

  // True when no byte of the next request has been received (the connection is idle).
  bool idle() const { return buffer_.empty() && !started_; }
  size_t buffered() const { return buffer_.size(); }

  const RequestHeader& header() const { return header_; }
  HttpRequest TakeRequest();
  int error() const { return error_; }
  const std::string& error_detail() const { return error_detail_; }

 private:
  struct Parser;
  Event Fail(int status, std::string detail);
  Event OnHeader();

  HttpLimits limits_;
  std::string buffer_;
  std::unique_ptr<Parser> parser_;
  RequestHeader header_;
  bool started_ = false;  // some bytes of the current request were consumed
  bool header_reported_ = false;
  bool message_done_ = false;
  int error_ = 0;
  std::string error_detail_;
};

// The response on the wire: status line, Content-Type (if any), the extra fields (sanitized),
// Content-Length, Connection: keep-alive|close, blank line, body.
std::string SerializeResponse(const HttpResponse& response, bool keep_alive);

// "application/cose; cose-type=\"cose-sign1\"" matches `required` per Route::content_type.
bool MediaTypeMatches(const std::string& actual, const std::string& required);

// The standard reason phrase ("Not Found"), "Unknown" for codes without one.
std::string ReasonPhrase(int status);

}  // namespace carnet::node::server
