#include "firmware/transport/http.h"

#include <algorithm>
#include <cstdint>

namespace carnet::fw::transport {
namespace {

constexpr std::string_view kVersion = "HTTP/1.1 ";

bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Field-value and reason-phrase characters: VCHAR, obs-text, SP, HTAB (RFC 9110 §5.5).
bool IsFieldChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return u == ' ' || u == '\t' || (u >= 0x21 && u != 0x7F);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

std::string_view TrimOws(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

Result<int> ParseStatusLine(std::string_view line) {
  if (line.substr(0, kVersion.size()) != kVersion) {
    return InvalidArgument("HTTP response does not start with \"HTTP/1.1 \"");
  }
  std::string_view rest = line.substr(kVersion.size());
  if (rest.size() < 4 || rest[3] != ' ' ||
      !std::all_of(rest.begin(), rest.begin() + 3, [](char c) { return c >= '0' && c <= '9'; })) {
    return InvalidArgument("HTTP status line: expected a 3-digit status and a space");
  }
  int status = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  if (status < 100 || status > 599) return InvalidArgument("HTTP status out of range");
  if (status < 200) return InvalidArgument("HTTP 1xx interim responses are not supported");
  std::string_view reason = rest.substr(4);
  if (!std::all_of(reason.begin(), reason.end(), IsFieldChar)) {
    return InvalidArgument("HTTP reason phrase holds a control character");
  }
  return status;
}

Result<uint64_t> ParseContentLength(std::string_view v, size_t max_body) {
  if (v.empty() || v.size() > 19 ||
      !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return InvalidArgument("HTTP Content-Length is not a decimal number");
  }
  uint64_t n = 0;
  for (char c : v) n = n * 10 + static_cast<uint64_t>(c - '0');
  if (n > max_body) {
    return OutOfRange("HTTP body of " + std::to_string(n) + " bytes is over the limit of " +
                      std::to_string(max_body));
  }
  return n;
}

struct Headers {
  std::optional<uint64_t> content_length;
  std::optional<std::string> content_type;
  bool connection_close = false;
};

bool HasCloseToken(std::string_view value) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (EqualsIgnoreCase(TrimOws(value.substr(0, comma)), "close")) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

Status ParseHeaderLine(std::string_view line, size_t max_body, Headers& h) {
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    return InvalidArgument("HTTP obsolete header line folding is not accepted");
  }
  size_t colon = line.find(':');
  std::string_view name = line.substr(0, colon);
  if (colon == std::string_view::npos || name.empty() ||
      !std::all_of(name.begin(), name.end(), IsTchar)) {
    return InvalidArgument("HTTP header line without a valid name and ':'");
  }
  std::string_view value = line.substr(colon + 1);
  if (!std::all_of(value.begin(), value.end(), IsFieldChar)) {
    return InvalidArgument("HTTP header value holds a control character");
  }
  value = TrimOws(value);
  if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
    return Unimplemented("HTTP Transfer-Encoding (chunked) responses are not supported");
  }
  if (EqualsIgnoreCase(name, "Content-Length")) {
    CARNET_ASSIGN_OR_RETURN(uint64_t n, ParseContentLength(value, max_body));
    if (h.content_length && *h.content_length != n) {
      return InvalidArgument("HTTP response with conflicting Content-Length headers");
    }
    h.content_length = n;
  } else if (EqualsIgnoreCase(name, "Content-Type")) {
    if (h.content_type) return InvalidArgument("HTTP response with two Content-Type headers");
    h.content_type = std::string(value);
  } else if (EqualsIgnoreCase(name, "Connection")) {
    h.connection_close = h.connection_close || HasCloseToken(value);
  }
  return Status::Ok();
}

// Cheap checks on an incomplete header section, so that garbage is refused at once rather
// than after 16 KiB: the version prefix, and no bare LF.
Status CheckPrefix(std::string_view text) {
  size_t n = std::min(text.size(), kVersion.size());
  if (text.substr(0, n) != kVersion.substr(0, n)) {
    return InvalidArgument("HTTP response does not start with \"HTTP/1.1 \"");
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
      return InvalidArgument("HTTP response with a bare LF line ending");
    }
    if (text[i] == '\0') return InvalidArgument("HTTP response header holds a NUL byte");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<ParsedResponse>> ParseHttpResponse(ByteView input, size_t max_body) {
  std::string_view text(reinterpret_cast<const char*>(input.data()),
                        std::min(input.size(), kMaxHeaderBytes));
  size_t end = text.find("\r\n\r\n");
  CARNET_TRY(CheckPrefix(end == std::string_view::npos ? text : text.substr(0, end + 2)));
  if (end == std::string_view::npos) {
    if (input.size() >= kMaxHeaderBytes) return OutOfRange("HTTP header section over 16 KiB");
    return std::optional<ParsedResponse>();
  }
  std::string_view head = text.substr(0, end + 2);  // each line ends with CRLF
  size_t eol = head.find("\r\n");
  CARNET_ASSIGN_OR_RETURN(int status, ParseStatusLine(head.substr(0, eol)));
  Headers headers;
  size_t count = 0;
  for (size_t pos = eol + 2; pos < head.size();) {
    size_t next = head.find("\r\n", pos);
    std::string_view line = head.substr(pos, next - pos);
    if (line.find('\r') != std::string_view::npos) {
      return InvalidArgument("HTTP response with a bare CR");
    }
    if (++count > kMaxHeaders) return OutOfRange("HTTP response with over 64 header lines");
    CARNET_TRY(ParseHeaderLine(line, max_body, headers));
    pos = next + 2;
  }
  const bool no_body = status == 204 || status == 304;
  if (no_body && headers.content_length.value_or(0) != 0) {
    return InvalidArgument("HTTP " + std::to_string(status) + " response with a body");
  }
  if (!no_body && !headers.content_length) {
    return InvalidArgument("HTTP response without Content-Length (required here)");
  }
  const size_t body_size = static_cast<size_t>(headers.content_length.value_or(0));
  const size_t header_size = end + 4;
  if (input.size() - header_size < body_size) return std::optional<ParsedResponse>();
  ParsedResponse out;
  out.reply.status = status;
  out.reply.content_type = headers.content_type.value_or("");
  out.reply.body.assign(input.begin() + static_cast<std::ptrdiff_t>(header_size),
                        input.begin() + static_cast<std::ptrdiff_t>(header_size + body_size));
  out.connection_close = headers.connection_close;
  out.consumed = header_size + body_size;
  return std::optional<ParsedResponse>(std::move(out));
}

Result<Bytes> BuildHttpRequest(std::string_view method,
                               std::string_view path,
                               std::string_view host,
                               std::string_view content_type,
                               ByteView body) {
  auto clean = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
      auto u = static_cast<unsigned char>(c);
      return u > 0x20 && u < 0x7F;
    });
  };
  if (path.empty() || path.front() != '/' || !clean(path)) {
    return InvalidArgument("HTTP request path must start with '/' and hold no space or CTL");
  }
  if (!clean(method) || !clean(host) ||
      !std::all_of(content_type.begin(), content_type.end(), IsFieldChar)) {
    return InvalidArgument("HTTP method, host or content type holds a forbidden character");
  }
  std::string head = std::string(method) + " " + std::string(path) +
                     " HTTP/1.1\r\nHost: " + std::string(host) + "\r\nConnection: keep-alive\r\n";
  if (!content_type.empty()) head += "Content-Type: " + std::string(content_type) + "\r\n";
  if (method != "GET" || !body.empty()) {
    head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  head += "\r\n";
  Bytes out = ToBytes(head);
  Append(out, body);
  return out;
}

}  // namespace carnet::fw::transport
