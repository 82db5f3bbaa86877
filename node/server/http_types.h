#pragma once
// What the server hands to the application and what it expects back. The server knows nothing
// of a request's meaning: it parses HTTP/1.1, checks the route table (path, method, content
// type) and the size limits, and passes everything else to a Handler.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "hal/base/bytes.h"

namespace carnet::node::server {

struct HttpRequest {
  std::string method;        // "GET", "POST", ... as sent
  std::string target;        // request-target, e.g. "/v1/log/sth?x=1"
  std::string path;          // target without the query
  std::string content_type;  // Content-Type field value, "" when absent
  Bytes body;
  bool keep_alive = true;  // what the client asked for (HTTP/1.1 default: true)
};

// Who is on the other end: filled once per connection, after the TLS handshake.
struct PeerInfo {
  Bytes client_cert_der;         // the terminal's leaf certificate (always present: mTLS)
  std::string remote_address;    // "127.0.0.1:53422" / "[::1]:53422"
  bool session_resumed = false;  // the TLS session was resumed from a ticket
  std::string cipher_suite;      // e.g. "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256"
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // "" = no Content-Type field
  Bytes body;
  // Extra fields (e.g. Retry-After). Names and values with CR, LF or NUL are dropped, and the
  // server owns Content-Length, Connection and Date.
  std::vector<std::pair<std::string, std::string>> headers;

  // The server's own error bodies: text/plain, one line "<status> <reason>: <detail>".
  static HttpResponse Text(int status, const std::string& text);
};

// Called on a worker thread (never an I/O thread): it may block, e.g. on a group commit.
// It must not throw; if it does, the client gets a 500 and the error is logged.
using Handler = std::function<HttpResponse(const HttpRequest&, const PeerInfo&)>;

// One entry of the route table. Requests to a path absent from the table get 404, to a known
// path with another method 405 (with Allow), with a content type that does not match
// `content_type` (when not empty) 415 — all before the body is read.
struct Route {
  std::string method;  // exact, case-sensitive (RFC 9110 §9.1)
  std::string path;    // exact match on the target's path
  // Media type the body must have: type/subtype compared case-insensitively, and every
  // parameter given here must be present with the same value (quotes ignored). Empty = any.
  std::string content_type;
  Handler handler;
};

// The node's three routes (DESIGN.md §3), for the app to fill with its handlers.
inline constexpr char kRequestsPath[] = "/v1/requests";
inline constexpr char kSthPath[] = "/v1/log/sth";
inline constexpr char kHealthPath[] = "/v1/health";
inline constexpr char kCoseSign1ContentType[] = "application/cose; cose-type=\"cose-sign1\"";

std::vector<Route> NodeRoutes(Handler requests, Handler sth, Handler health);

}  // namespace carnet::node::server
