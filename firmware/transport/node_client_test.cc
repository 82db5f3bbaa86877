// NodeClient against a TLS server on loopback (crypto/tls + sockets), with the operator
// hierarchy of crypto/x509's test PKI written to a temporary directory and read back as PEM.
#include "firmware/transport/node_client.h"

#include <CppUTest/TestHarness.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "crypto/tls/tls_context.h"
#include "crypto/x509/pki.h"
#include "firmware/transport/testing/test_tls_server.h"

namespace carnet::fw::transport {
namespace {

using testing::Response;
using testing::TestAnswer;
using testing::TestRequest;
using testing::TestTlsServer;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Two operator hierarchies: "ours" (pinned by the terminal) and a foreign one.
struct Pkis {
  std::string dir;
  crypto::TestPki ours;
  crypto::TestPki foreign;
};

const Pkis& GetPkis() {
  static Pkis* pkis = [] {
    auto* p = new Pkis();
    char tmpl[] = "/tmp/carnet-transport-pki-XXXXXX";
    p->dir = mkdtemp(tmpl);
    p->ours = std::move(crypto::BuildTestPki({.seed = "transport-ours", .small = true})).value();
    p->foreign =
        std::move(crypto::BuildTestPki({.seed = "transport-foreign", .small = true})).value();
    Status written = crypto::WriteTestPki(p->ours, p->dir + "/pki", true);
    CHECK_TRUE_TEXT(written.ok(), written.ToString().c_str());
    std::atexit([] { std::filesystem::remove_all(GetPkis().dir); });
    return p;
  }();
  return *pkis;
}

std::shared_ptr<crypto::tls::TlsContext> ServerContext(const crypto::TestPki& pki) {
  crypto::tls::ServerOptions o;
  o.chain_der = {pki.node->cert.der()};
  o.key = &pki.node->key;
  o.client_ca_der = {GetPkis().ours.operator_root->cert.der()};
  return std::move(crypto::tls::TlsContext::Server(o)).value();
}

NodeClientOptions ClientOptions(uint16_t port) {
  const std::string base = GetPkis().dir + "/pki/operator/";
  NodeClientOptions o;
  o.host = "localhost";
  o.port = port;
  o.device_key_pem = crypto::SecretBytes(AsBytes(ReadFile(base + "terminals/TERM-0001.key.pem")));
  o.certificate_chain_pem = ReadFile(base + "terminals/TERM-0001.chain.pem");
  o.operator_ca_pem = ReadFile(base + "root.crt.pem");
  o.connect_timeout = std::chrono::milliseconds(2000);
  o.handshake_timeout = std::chrono::milliseconds(5000);
  o.request_timeout = std::chrono::milliseconds(5000);
  o.backoff_base = std::chrono::milliseconds(1);
  o.backoff_max = std::chrono::milliseconds(4);
  return o;
}

std::unique_ptr<NodeClient> MakeClient(NodeClientOptions o) {
  auto c = NodeClient::Create(std::move(o));
  CHECK_TRUE_TEXT(c.ok(), c.status().ToString().c_str());
  return std::move(c).value();
}

TestAnswer Echo(const TestRequest& r) {
  return {Response(200, "application/cbor", r.method + " " + r.path + " " + ToString(r.body)),
          false, false};
}

// A port with nothing listening: bind an ephemeral port, then close it.
uint16_t DeadPort() {
  auto server = TestTlsServer::Start(ServerContext(GetPkis().ours), Echo);
  return (*server)->port();
}

int Code(const Status& s) { return static_cast<int>(s.code()); }

}  // namespace

TEST_GROUP(NodeClient){};

TEST(NodeClient, PostAndGetOverMutualTls) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), Echo)).value();
  auto client = MakeClient(ClientOptions(server->port()));
  auto reply = client->Post("/v1/requests", "application/cose", AsBytes("signed"));
  CHECK_TRUE_TEXT(reply.ok(), reply.status().ToString().c_str());
  LONGS_EQUAL(200, reply->status);
  STRCMP_EQUAL("application/cbor", reply->content_type.c_str());
  STRCMP_EQUAL("POST /v1/requests signed", ToString(reply->body).c_str());
  auto get = client->Get("/v1/health");
  CHECK_TRUE(get.ok());
  STRCMP_EQUAL("GET /v1/health ", ToString(get->body).c_str());
}

TEST(NodeClient, KeepsOneConnectionAlive) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), Echo)).value();
  auto client = MakeClient(ClientOptions(server->port()));
  for (int i = 0; i < 5; ++i) CHECK_TRUE(client->Post("/v1/requests", "a/b", AsBytes("x")).ok());
  LONGS_EQUAL(1, client->stats().connections);
  LONGS_EQUAL(5, client->stats().requests);
  LONGS_EQUAL(1, server->connections());
  LONGS_EQUAL(5, server->requests());
}

TEST(NodeClient, ReconnectsWithSessionResumption) {
  // The node closes the connection after each answer: every request reconnects.
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), [](auto& r) {
                  TestAnswer a = Echo(r);
                  a.close_after = true;
                  return a;
                })).value();
  auto client = MakeClient(ClientOptions(server->port()));
  for (int i = 0; i < 3; ++i) {
    auto reply = client->Get("/v1/health");
    CHECK_TRUE_TEXT(reply.ok(), reply.status().ToString().c_str());
  }
  LONGS_EQUAL(3, client->stats().connections);
  LONGS_EQUAL(2, client->stats().resumed_sessions);  // all but the first
  LONGS_EQUAL(2, server->resumed());
  LONGS_EQUAL(0, client->stats().retries);  // a closed idle connection is not a failure
}

TEST(NodeClient, KeptAliveConnectionClosedOnUseIsRetriedAtOnce) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), [](auto& r) {
                  static int calls = 0;
                  TestAnswer a = Echo(r);
                  // The second request meets a node that drops the connection unanswered.
                  a.no_answer = a.close_after = (++calls == 2);
                  return a;
                })).value();
  NodeClientOptions o = ClientOptions(server->port());
  o.sleep = [](std::chrono::milliseconds) { FAIL("no backoff expected"); };
  auto client = MakeClient(std::move(o));
  CHECK_TRUE(client->Get("/1").ok());
  auto second = client->Get("/2");
  CHECK_TRUE_TEXT(second.ok(), second.status().ToString().c_str());
  LONGS_EQUAL(1, client->stats().stale_reconnects);
  LONGS_EQUAL(0, client->stats().retries);
  LONGS_EQUAL(2, client->stats().connections);
  LONGS_EQUAL(3, server->requests());
}

TEST(NodeClient, ConnectionCloseHeaderIsHonoured) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), [](auto&) {
                  return TestAnswer{
                      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: "
                      "0\r\n\r\n",
                      false, false};
                })).value();
  auto client = MakeClient(ClientOptions(server->port()));
  CHECK_TRUE(client->Get("/a").ok());
  CHECK_TRUE(client->Get("/b").ok());
  LONGS_EQUAL(2, client->stats().connections);
}

TEST(NodeClient, UnpinnedServerIsRefusedWithoutRetry) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().foreign), Echo)).value();
  auto client = MakeClient(ClientOptions(server->port()));
  auto reply = client->Post("/v1/requests", "a/b", AsBytes("x"));
  LONGS_EQUAL(Code(Unauthenticated("")), Code(reply.status()));
  LONGS_EQUAL(0, client->stats().retries);
  LONGS_EQUAL(0, server->requests());
}

TEST(NodeClient, WrongServerNameIsRefused) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), Echo)).value();
  NodeClientOptions o = ClientOptions(server->port());
  o.server_name = "node.other.example";
  auto client = MakeClient(std::move(o));
  LONGS_EQUAL(Code(Unauthenticated("")), Code(client->Get("/").status()));
}

TEST(NodeClient, ServerDownRetriesWithBackoffThenUnavailable) {
  NodeClientOptions o = ClientOptions(DeadPort());
  o.max_attempts = 4;
  o.backoff_base = std::chrono::milliseconds(100);
  o.backoff_max = std::chrono::milliseconds(250);
  std::vector<std::chrono::milliseconds> slept;
  o.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
  auto client = MakeClient(std::move(o));
  auto reply = client->Post("/v1/requests", "a/b", AsBytes("x"));
  LONGS_EQUAL(Code(Unavailable("")), Code(reply.status()));
  CHECK_TRUE(reply.status().message().find("after 4 attempts") != std::string::npos);
  LONGS_EQUAL(3, client->stats().retries);
  LONGS_EQUAL(3, slept.size());
  // Full jitter: each sleep within [0, cap], caps 100, 200, 250 (capped).
  LONGS_EQUAL(100, client->BackoffCap(2).count());
  LONGS_EQUAL(200, client->BackoffCap(3).count());
  LONGS_EQUAL(250, client->BackoffCap(4).count());
  for (size_t i = 0; i < slept.size(); ++i) {
    CHECK_TRUE(slept[i] <= client->BackoffCap(static_cast<int>(i) + 2));
  }
}

TEST(NodeClient, BackoffWithoutJitterSleepsTheCap) {
  NodeClientOptions o = ClientOptions(DeadPort());
  o.max_attempts = 3;
  o.jitter = false;
  o.backoff_base = std::chrono::milliseconds(10);
  o.backoff_max = std::chrono::milliseconds(1000);
  std::vector<std::chrono::milliseconds> slept;
  o.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
  auto client = MakeClient(std::move(o));
  CHECK_FALSE(client->Get("/").ok());
  LONGS_EQUAL(2, slept.size());
  LONGS_EQUAL(10, slept[0].count());
  LONGS_EQUAL(20, slept[1].count());
}

TEST(NodeClient, NodeComingBackIsReachedByARetry) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), [](auto& r) {
                  static int calls = 0;
                  // The first request is accepted but never answered: the client times out.
                  TestAnswer a = Echo(r);
                  a.no_answer = (calls++ == 0);
                  return a;
                })).value();
  NodeClientOptions o = ClientOptions(server->port());
  o.request_timeout = std::chrono::milliseconds(300);
  auto client = MakeClient(std::move(o));
  auto reply = client->Post("/v1/requests", "a/b", AsBytes("same-request-id"));
  CHECK_TRUE_TEXT(reply.ok(), reply.status().ToString().c_str());
  LONGS_EQUAL(1, client->stats().retries);
  LONGS_EQUAL(2, server->requests());  // the same body twice: idempotent at the node
}

TEST(NodeClient, MalformedResponseIsAClearErrorNotRetried) {
  auto server =
      std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), [](auto&) {
        return TestAnswer{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, false};
      })).value();
  auto client = MakeClient(ClientOptions(server->port()));
  auto reply = client->Get("/");
  LONGS_EQUAL(Code(Unimplemented("")), Code(reply.status()));
  CHECK_TRUE(reply.status().message().find("response from the node") != std::string::npos);
  LONGS_EQUAL(0, client->stats().retries);
}

TEST(NodeClient, GarbageResponseIsInvalidArgument) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), [](auto&) {
                  return TestAnswer{"SMTP ready\r\n\r\n", false, false};
                })).value();
  auto client = MakeClient(ClientOptions(server->port()));
  LONGS_EQUAL(Code(InvalidArgument("")), Code(client->Get("/").status()));
}

TEST(NodeClient, HttpErrorsAreAnswersNotFailures) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), [](auto&) {
                  return TestAnswer{Response(503, "application/cbor", "busy"), false, false};
                })).value();
  auto client = MakeClient(ClientOptions(server->port()));
  auto reply = client->Post("/v1/requests", "a/b", AsBytes("x"));
  CHECK_TRUE(reply.ok());
  LONGS_EQUAL(503, reply->status);
  LONGS_EQUAL(0, client->stats().retries);
}

TEST(NodeClient, OversizedResponseIsRefused) {
  auto server = std::move(TestTlsServer::Start(ServerContext(GetPkis().ours), [](auto&) {
                  return TestAnswer{Response(200, "a/b", std::string(2048, 'x')), false, false};
                })).value();
  NodeClientOptions o = ClientOptions(server->port());
  o.max_response_body = 1024;
  auto client = MakeClient(std::move(o));
  LONGS_EQUAL(Code(OutOfRange("")), Code(client->Get("/").status()));
}

TEST(NodeClient, CreateRejectsBadCredentials) {
  NodeClientOptions o = ClientOptions(443);
  o.operator_ca_pem = "";
  LONGS_EQUAL(Code(InvalidArgument("")), Code(NodeClient::Create(std::move(o)).status()));
  NodeClientOptions o2 = ClientOptions(443);
  o2.device_key_pem = crypto::SecretBytes(AsBytes("not a key"));
  CHECK_FALSE(NodeClient::Create(std::move(o2)).ok());
  NodeClientOptions o3 = ClientOptions(443);
  o3.max_attempts = 0;
  LONGS_EQUAL(Code(InvalidArgument("")), Code(NodeClient::Create(std::move(o3)).status()));
}

}  // namespace carnet::fw::transport
