#include "node/server/http_reader.h"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <cctype>
#include <map>
#include <utility>

namespace carnet::node::server {
namespace http = boost::beast::http;

struct HttpRequestReader::Parser {
  http::request_parser<http::vector_body<uint8_t>> p;
};

HttpRequestReader::HttpRequestReader(HttpLimits limits) : limits_(limits) {}
HttpRequestReader::~HttpRequestReader() = default;

void HttpRequestReader::Append(ByteView bytes) {
  buffer_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

HttpRequestReader::Event HttpRequestReader::Fail(int status, std::string detail) {
  error_ = status;
  error_detail_ = std::move(detail);
  return Event::kError;
}

namespace {

std::string PathOf(std::string_view target) {
  size_t q = target.find_first_of("?#");
  return std::string(target.substr(0, q));
}

bool HasToken(std::string_view value, std::string_view token) {
  // Case-insensitive search for a comma-separated token (Expect: 100-continue).
  std::string v(value);
  std::transform(v.begin(), v.end(), v.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return v.find(token) != std::string::npos;
}

}  // namespace

HttpRequestReader::Event HttpRequestReader::OnHeader() {
  const auto& msg = parser_->p.get();
  header_.method = std::string(msg.method_string());
  header_.target = std::string(msg.target());
  header_.path = PathOf(header_.target);
  header_.content_type = std::string(msg[http::field::content_type]);
  if (auto len = parser_->p.content_length()) header_.content_length = *len;
  header_.chunked = parser_->p.chunked();
  header_.keep_alive = parser_->p.keep_alive();
  header_.expect_continue = HasToken(std::string(msg[http::field::expect]), "100-continue");
  if (header_.target.empty() || header_.target[0] != '/') {
    // Only origin-form (RFC 9112 §3.2.1): no absolute-form proxy requests, no "*".
    return Fail(400, "request target is not an absolute path");
  }
  if (header_.chunked) {
    // Every client of the node (terminal, portal, curl --data-binary) sends Content-Length.
    // Refusing chunked bodies removes a parser path from what a peer can reach, including a
    // debug assertion of Beast 1.74's chunk-header parser that split input trips (found by
    // http_request_fuzz; boostorg/beast#2861).
    return Fail(411, "chunked request bodies are not accepted: send Content-Length");
  }
  return Event::kHeaderReady;
}

HttpRequestReader::Event HttpRequestReader::Next() {
  if (error_ != 0) return Event::kError;
  if (message_done_) return Event::kMessageReady;
  if (!parser_) {
    parser_ = std::make_unique<Parser>();
    parser_->p.header_limit(
        static_cast<uint32_t>(std::min<size_t>(limits_.max_header_bytes, UINT32_MAX)));
    parser_->p.body_limit(static_cast<uint64_t>(limits_.max_body_bytes));
    parser_->p.eager(false);  // stop after the header so the caller can refuse early
  }
  while (true) {
    if (parser_->p.is_header_done() && !header_reported_) {
      header_reported_ = true;
      parser_->p.eager(true);
      return OnHeader();
    }
    if (parser_->p.is_done()) {
      message_done_ = true;
      return Event::kMessageReady;
    }
    if (buffer_.empty()) return Event::kNeedMore;
    boost::system::error_code ec;
    size_t used = parser_->p.put(boost::asio::buffer(buffer_.data(), buffer_.size()), ec);
    buffer_.erase(0, used);
    if (used > 0) started_ = true;
    if (ec == http::error::need_more) {
      if (used == 0) return Event::kNeedMore;
      continue;
    }
    if (ec == http::error::header_limit) {
      return Fail(
          431, "header section larger than " + std::to_string(limits_.max_header_bytes) + " bytes");
    }
    if (ec == http::error::body_limit) {
      return Fail(413, "body larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
    }
    if (ec) return Fail(400, "malformed HTTP request: " + ec.message());
  }
}

HttpRequest HttpRequestReader::TakeRequest() {
  HttpRequest req;
  req.method = std::move(header_.method);
  req.target = std::move(header_.target);
  req.path = std::move(header_.path);
  req.content_type = std::move(header_.content_type);
  req.keep_alive = header_.keep_alive;
  if (parser_ && parser_->p.is_done()) req.body = std::move(parser_->p.get().body());
  parser_.reset();
  header_ = RequestHeader{};
  started_ = false;
  header_reported_ = false;
  message_done_ = false;
  return req;
}

std::string ReasonPhrase(int status) {
  if (status < 100 || status > 999) return "Unknown";
  auto s = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
  return s.empty() ? "Unknown" : std::string(s);
}

namespace {

bool CleanFieldText(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == 0; });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "type/subtype; a=b; c=\"d\"" -> ("type/subtype", {a: b, c: d}); names lower-cased.
std::pair<std::string, std::map<std::string, std::string>> ParseMediaType(std::string_view v) {
  std::map<std::string, std::string> params;
  size_t semi = v.find(';');
  std::string type = Lower(Trim(v.substr(0, semi)));
  while (semi != std::string_view::npos) {
    v.remove_prefix(semi + 1);
    semi = v.find(';');
    std::string_view param = Trim(v.substr(0, semi));
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    params[Lower(Trim(param.substr(0, eq)))] = std::string(value);
  }
  return {type, params};
}

}  // namespace

bool MediaTypeMatches(const std::string& actual, const std::string& required) {
  if (required.empty()) return true;
  auto [want_type, want_params] = ParseMediaType(required);
  auto [got_type, got_params] = ParseMediaType(actual);
  if (want_type != got_type) return false;
  for (const auto& [name, value] : want_params) {
    auto it = got_params.find(name);
    if (it == got_params.end() || it->second != value) return false;
  }
  return true;
}

std::string SerializeResponse(const HttpResponse& response, bool keep_alive) {
  std::string out =
      "HTTP/1.1 " + std::to_string(response.status) + " " + ReasonPhrase(response.status) + "\r\n";
  if (!response.content_type.empty() && CleanFieldText(response.content_type)) {
    out += "Content-Type: " + response.content_type + "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    std::string lower = Lower(name);
    if (name.empty() || !CleanFieldText(name) || !CleanFieldText(value) ||
        name.find(':') != std::string::npos || lower == "content-length" || lower == "connection" ||
        lower == "transfer-encoding") {
      continue;
    }
    out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  out.append(reinterpret_cast<const char*>(response.body.data()), response.body.size());
  return out;
}

HttpResponse HttpResponse::Text(int status, const std::string& text) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  std::string line = std::to_string(status) + " " + ReasonPhrase(status);
  if (!text.empty()) line += ": " + text;
  line += "\n";
  r.body = ToBytes(line);
  return r;
}

}  // namespace carnet::node::server
