#include "firmware/transport/http.h"

#include <CppUTest/TestHarness.h>

namespace carnet::fw::transport {
namespace {

Result<std::optional<ParsedResponse>> Parse(std::string_view text, size_t max = 1024) {
  return ParseHttpResponse(AsBytes(text), max);
}

int Code(std::string_view text, size_t max = 1024) {
  return static_cast<int>(Parse(text, max).status().code());
}

const int kInvalid = static_cast<int>(StatusCode::kInvalidArgument);

}  // namespace

TEST_GROUP(HttpResponse){};

TEST(HttpResponse, ParsesACompleteResponse) {
  auto r = Parse(
      "HTTP/1.1 201 Created\r\nContent-Type: application/cbor\r\ncontent-length: 3\r\n"
      "X-Trace:  abc \r\n\r\nxyzEXTRA");
  CHECK_TRUE(r.ok());
  CHECK_TRUE(r->has_value());
  const ParsedResponse& p = **r;
  LONGS_EQUAL(201, p.reply.status);
  STRCMP_EQUAL("application/cbor", p.reply.content_type.c_str());
  STRCMP_EQUAL("xyz", ToString(p.reply.body).c_str());
  CHECK_FALSE(p.connection_close);
  LONGS_EQUAL(std::string_view("HTTP/1.1 201 Created\r\nContent-Type: application/cbor\r\n"
                               "content-length: 3\r\nX-Trace:  abc \r\n\r\nxyz")
                  .size(),
              p.consumed);
}

TEST(HttpResponse, IncompleteIsNotAnError) {
  const std::string full = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  for (size_t n = 0; n < full.size(); ++n) {
    auto r = Parse(full.substr(0, n));
    CHECK_TRUE_TEXT(r.ok(), r.status().ToString().c_str());
    CHECK_FALSE(r->has_value());
  }
  CHECK_TRUE((*Parse(full)).has_value());
}

TEST(HttpResponse, ConnectionCloseAndEmptyBodies) {
  auto r = Parse("HTTP/1.1 503 Busy\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n");
  CHECK_TRUE((*r)->connection_close);
  LONGS_EQUAL(0, (*r)->reply.body.size());
  auto no_content = Parse("HTTP/1.1 204 No Content\r\n\r\n");
  CHECK_TRUE(no_content.ok());
  LONGS_EQUAL(204, (*no_content)->reply.status);
  auto empty_reason = Parse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
  CHECK_TRUE(empty_reason.ok() && empty_reason->has_value());
}

TEST(HttpResponse, RejectsBadStatusLines) {
  LONGS_EQUAL(kInvalid, Code("HTTP/1.0 200 OK\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("GARBAGE"));  // refused before the header section ends
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 20 OK\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 2x0 OK\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200OK\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 099 X\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 600 X\r\nContent-Length: 0\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 100 Continue\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n"));
}

TEST(HttpResponse, RejectsBadLineEndingsAndHeaders) {
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\nContent-Length: 0\n\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nA: b\rc\r\nContent-Length: 0\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\n: empty\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nA: x\r\n folded\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code(std::string("HTTP/1.1 200 OK\r\nA: x\0y\r\n\r\n", 28)));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nContent-Type: a\r\nContent-Type: b\r\n"
                             "Content-Length: 0\r\n\r\n"));
}

TEST(HttpResponse, RejectsBadContentLength) {
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\n\r\n"));  // required
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"));
  LONGS_EQUAL(kInvalid, Code("HTTP/1.1 204 X\r\nContent-Length: 2\r\n\r\nab"));
  // Two equal values are one value.
  CHECK_TRUE(Parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na").ok());
}

TEST(HttpResponse, RefusesTransferEncoding) {
  LONGS_EQUAL(static_cast<int>(StatusCode::kUnimplemented),
              Code("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
}

TEST(HttpResponse, EnforcesLimits) {
  const int kOutOfRange = static_cast<int>(StatusCode::kOutOfRange);
  LONGS_EQUAL(kOutOfRange, Code("HTTP/1.1 200 OK\r\nContent-Length: 1025\r\n\r\n", 1024));
  std::string many = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 65; ++i) many += "A: b\r\n";
  LONGS_EQUAL(kOutOfRange, Code(many + "Content-Length: 0\r\n\r\n"));
  std::string huge = "HTTP/1.1 200 OK\r\nA: " + std::string(kMaxHeaderBytes, 'x');
  LONGS_EQUAL(kOutOfRange, Code(huge));
}

TEST_GROUP(HttpRequest){};

TEST(HttpRequest, BuildsPostAndGet) {
  auto post = BuildHttpRequest("POST", "/v1/requests", "node.example",
                               "application/cose; cose-type=\"cose-sign1\"", AsBytes("AB"));
  CHECK_TRUE(post.ok());
  STRCMP_EQUAL(
      "POST /v1/requests HTTP/1.1\r\nHost: node.example\r\nConnection: keep-alive\r\n"
      "Content-Type: application/cose; cose-type=\"cose-sign1\"\r\nContent-Length: 2\r\n\r\nAB",
      ToString(*post).c_str());
  auto get = BuildHttpRequest("GET", "/v1/health", "h", "", {});
  STRCMP_EQUAL("GET /v1/health HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n",
               ToString(*get).c_str());
}

TEST(HttpRequest, RejectsInjection) {
  CHECK_FALSE(BuildHttpRequest("GET", "v1", "h", "", {}).ok());
  CHECK_FALSE(BuildHttpRequest("GET", "/a b", "h", "", {}).ok());
  CHECK_FALSE(BuildHttpRequest("GET", "/a\r\nX: y", "h", "", {}).ok());
  CHECK_FALSE(BuildHttpRequest("GET", "/", "h\r\nX: y", "", {}).ok());
  CHECK_FALSE(BuildHttpRequest("POST", "/", "h", "a\r\nX: y", {}).ok());
}

}  // namespace carnet::fw::transport
