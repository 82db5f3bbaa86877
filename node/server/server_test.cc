// The server on real parts: loopback port 0, real TLS (crypto/tls on both ends), a client on
// a plain socket. Routing, errors, keep-alive, resumption, client-certificate refusal,
// metrics on the admin listener.
#include "node/server/server.h"

#include <mutex>
#include <stdexcept>
#include <string>

#include "CppUTest/TestHarness.h"
#include "node/server/testing/server_fixture.h"

namespace carnet::node::server {
namespace {

using testing::Connected;
using testing::TerminalTls;
using testing::TestClient;

std::mutex g_mu;
PeerInfo g_last_peer;

HttpResponse Echo(const HttpRequest& req, const PeerInfo& peer) {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    g_last_peer = peer;
  }
  HttpResponse r;
  r.content_type = "application/cbor";
  r.body = req.body;
  r.headers.emplace_back("X-Method", req.method);
  return r;
}

HttpResponse Fixed(const std::string& text) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = ToBytes(text);
  return r;
}

std::vector<Route> EchoRoutes() {
  auto routes = NodeRoutes(
      Echo, [](const HttpRequest&, const PeerInfo&) { return Fixed("sth"); },
      [](const HttpRequest& req, const PeerInfo& p) { return Echo(req, p); });
  routes.push_back(Route{"GET", "/throws", "", [](const HttpRequest&, const PeerInfo&) {
                           throw std::runtime_error("boom");
                           return HttpResponse{};
                         }});
  return routes;
}

PeerInfo LastPeer() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_last_peer;
}

}  // namespace

TEST_GROUP(Server) {
  std::unique_ptr<Server> server;
  void setup() override { server = testing::StartServer(testing::TestOptions(), EchoRoutes()); }
  void teardown() override { server.reset(); }
};

TEST(Server, KeepAliveRequestsOnOneConnection) {
  auto c = Connected(server->port(), TerminalTls());
  auto r1 = c->Request("POST", kRequestsPath, kCoseSign1ContentType, "\xd2\x84 cose");
  CHECK(r1.ok());
  LONGS_EQUAL(200, r1->status);
  STRCMP_EQUAL("\xd2\x84 cose", r1->body.c_str());
  STRCMP_EQUAL("application/cbor", r1->headers["content-type"].c_str());
  STRCMP_EQUAL("POST", r1->headers["x-method"].c_str());
  CHECK(!r1->closes());
  auto r2 = c->Request("GET", kSthPath);
  LONGS_EQUAL(200, r2->status);
  STRCMP_EQUAL("sth", r2->body.c_str());
  auto r3 = c->Request("GET", kHealthPath);
  LONGS_EQUAL(200, r3->status);
  STRCMP_EQUAL("keep-alive", r3->headers["connection"].c_str());
  LONGS_EQUAL(1, server->metrics().handshakes(HandshakeResult::kFull));
  LONGS_EQUAL(1, server->metrics().requests(kRequestsPath, 200));
  LONGS_EQUAL(1, server->metrics().requests(kSthPath, 200));
}

TEST(Server, PeerInfoAndTicketResumption) {
  auto tls = TerminalTls();
  {
    auto c = Connected(server->port(), tls);
    LONGS_EQUAL(200, c->Request("GET", kHealthPath)->status);
    PeerInfo p = LastPeer();
    CHECK(!p.session_resumed);
    CHECK(p.client_cert_der == testing::Pki().terminal.der);
    CHECK(p.remote_address.rfind("127.0.0.1:", 0) == 0);
    STRCMP_CONTAINS("ECDHE-ECDSA", p.cipher_suite.c_str());
  }
  auto c = Connected(server->port(), tls);
  CHECK(c->session().SessionReused());
  LONGS_EQUAL(200, c->Request("GET", kHealthPath)->status);
  PeerInfo p = LastPeer();
  CHECK(p.session_resumed);
  CHECK(p.client_cert_der == testing::Pki().terminal.der);  // carried by the ticket
  LONGS_EQUAL(1, server->metrics().handshakes(HandshakeResult::kFull));
  LONGS_EQUAL(1, server->metrics().handshakes(HandshakeResult::kResumed));
}

TEST(Server, NoClientCertificateIsRefused) {
  auto c = TestClient::Connect(server->port(), TerminalTls(false));
  CHECK(c.ok());
  Status st = (*c)->Handshake();
  CHECK(!st.ok());
  CHECK((*c)->WaitClosed(3000));
  for (int i = 0; i < 100 && server->metrics().handshakes(HandshakeResult::kFailed) == 0; ++i) {
    usleep(10000);
  }
  LONGS_EQUAL(1, server->metrics().handshakes(HandshakeResult::kFailed));
}

TEST(Server, GarbageInsteadOfTlsIsDropped) {
  auto c = TestClient::Connect(server->port(), TerminalTls());
  CHECK((*c)->SendRaw("GET / HTTP/1.1\r\n\r\n").ok());
  CHECK((*c)->WaitClosed(3000));
}

TEST(Server, UnknownPathIs404AndCloses) {
  auto c = Connected(server->port(), TerminalTls());
  auto r = c->Request("GET", "/v2/nothing");
  LONGS_EQUAL(404, r->status);
  STRCMP_EQUAL("text/plain; charset=utf-8", r->headers["content-type"].c_str());
  STRCMP_CONTAINS("404 Not Found", r->body.c_str());
  CHECK(r->closes());
  CHECK(c->WaitClosed(3000));
  LONGS_EQUAL(1, server->metrics().requests("unmatched", 404));
}

TEST(Server, WrongMethodIs405WithAllow) {
  auto c = Connected(server->port(), TerminalTls());
  auto r = c->Request("GET", kRequestsPath);
  LONGS_EQUAL(405, r->status);
  STRCMP_EQUAL("POST", r->headers["allow"].c_str());
}

TEST(Server, WrongContentTypeIs415) {
  auto c = Connected(server->port(), TerminalTls());
  LONGS_EQUAL(415, c->Request("POST", kRequestsPath, "application/cbor", "x")->status);
}

TEST(Server, PostWithoutLengthIs411) {
  auto c = Connected(server->port(), TerminalTls());
  CHECK(c->SendPlain(std::string("POST /v1/requests HTTP/1.1\r\nContent-Type: ") +
                     kCoseSign1ContentType + "\r\n\r\n")
            .ok());
  LONGS_EQUAL(411, c->ReadResponse()->status);
}

TEST(Server, MalformedRequestIs400) {
  auto c = Connected(server->port(), TerminalTls());
  CHECK(c->SendPlain("GET /v1/health HTTP/1.1\r\nBad Header\r\n\r\n").ok());
  auto r = c->ReadResponse();
  LONGS_EQUAL(400, r->status);
  CHECK(r->closes());
}

TEST(Server, HandlerThatThrowsGives500) {
  auto c = Connected(server->port(), TerminalTls());
  LONGS_EQUAL(500, c->Request("GET", "/throws")->status);
  LONGS_EQUAL(200, c->Request("GET", kHealthPath)->status);  // connection still usable
}

TEST(Server, PipelinedRequestsAnsweredInOrder) {
  auto c = Connected(server->port(), TerminalTls());
  CHECK(c->SendPlain("GET /v1/log/sth HTTP/1.1\r\n\r\nGET /v1/health HTTP/1.1\r\n\r\n").ok());
  auto r1 = c->ReadResponse();
  auto r2 = c->ReadResponse();
  STRCMP_EQUAL("sth", r1->body.c_str());
  STRCMP_EQUAL("GET", r2->headers["x-method"].c_str());
}

TEST(Server, ExpectContinueGetsInterimResponse) {
  auto c = Connected(server->port(), TerminalTls());
  CHECK(c->SendPlain(std::string("POST /v1/requests HTTP/1.1\r\nContent-Type: ") +
                     kCoseSign1ContentType +
                     "\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
            .ok());
  auto interim = c->ReadResponse(/*skip_interim=*/false);
  LONGS_EQUAL(100, interim->status);
  CHECK(c->SendPlain("ok").ok());
  auto r = c->ReadResponse();
  LONGS_EQUAL(200, r->status);
  STRCMP_EQUAL("ok", r->body.c_str());
}

TEST(Server, MetricsOnAdminListener) {
  auto c = Connected(server->port(), TerminalTls());
  LONGS_EQUAL(200, c->Request("GET", kHealthPath)->status);
  std::string text = testing::PlainGet(server->admin_port(), "/metrics");
  STRCMP_CONTAINS("HTTP/1.1 200 OK", text.c_str());
  STRCMP_CONTAINS("text/plain; version=0.0.4", text.c_str());
  STRCMP_CONTAINS("carnet_server_connections_open 1\n", text.c_str());
  STRCMP_CONTAINS("carnet_server_handshakes_total{result=\"full\"} 1\n", text.c_str());
  STRCMP_CONTAINS("carnet_server_requests_total{route=\"/v1/health\",status=\"200\"} 1\n",
                  text.c_str());
  STRCMP_CONTAINS("carnet_server_bytes_sent_total", text.c_str());
  STRCMP_CONTAINS("HTTP/1.1 404", testing::PlainGet(server->admin_port(), "/other").c_str());
}

TEST_GROUP(ServerSetup){};

TEST(ServerSetup, AdminMustBeLoopback) {
  ServerOptions o = testing::TestOptions();
  o.admin_host = "0.0.0.0";
  auto s = Server::Create(o, testing::NodeTls(), EchoRoutes());
  CHECK(s.ok());
  auto port = (*s)->Start();
  CHECK(!port.ok());
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument),
              static_cast<int>(port.status().code()));
}

TEST(ServerSetup, RefusesClientContextAndBadRoutes) {
  CHECK(!Server::Create(testing::TestOptions(), TerminalTls(), EchoRoutes()).ok());
  std::vector<Route> bad = {Route{"GET", "nopath", "", Echo}};
  CHECK(!Server::Create(testing::TestOptions(), testing::NodeTls(), bad).ok());
  std::vector<Route> no_handler = {Route{"GET", "/a", "", nullptr}};
  CHECK(!Server::Create(testing::TestOptions(), testing::NodeTls(), no_handler).ok());
  ServerOptions o = testing::TestOptions();
  o.host = "not-an-ip";
  auto s = Server::Create(o, testing::NodeTls(), EchoRoutes());
  CHECK(!(*s)->Start().ok());
}

}  // namespace carnet::node::server
