// Limits and lifecycle on real parts: header/body sizes, slow loris, idle and handshake
// timeouts, requests per connection, connection limit, many concurrent clients, Drain.
// Timeouts are short here; the checks are on behaviour (closed or not, counters), never on
// how fast something ran.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "CppUTest/TestHarness.h"
#include "node/server/server.h"
#include "node/server/testing/server_fixture.h"

namespace carnet::node::server {
namespace {

using testing::Connected;
using testing::TerminalTls;
using testing::TestClient;
using namespace std::chrono_literals;

HttpResponse Ok(const HttpRequest& req, const PeerInfo&) {
  HttpResponse r;
  r.body = ToBytes("ok " + std::to_string(req.body.size()));
  return r;
}

std::vector<Route> OkRoutes() { return NodeRoutes(Ok, Ok, Ok); }

template <typename F>
void WaitUntil(F done) {
  for (int i = 0; i < 500 && !done(); ++i) std::this_thread::sleep_for(10ms);
}

}  // namespace

TEST_GROUP(ServerLimits){};

TEST(ServerLimits, OversizedHeaderIs431) {
  auto server = testing::StartServer(testing::TestOptions(), OkRoutes());
  auto c = Connected(server->port(), TerminalTls());
  auto r = c->Request("GET", kHealthPath, "", "", "X-Big: " + std::string(9000, 'a') + "\r\n");
  LONGS_EQUAL(431, r->status);
  CHECK(r->closes());
  CHECK(c->WaitClosed(3000));
}

TEST(ServerLimits, OversizedBodyIs413BeforeTheBody) {
  ServerOptions o = testing::TestOptions();
  o.max_body_bytes = 1000;
  auto server = testing::StartServer(o, OkRoutes());
  auto c = Connected(server->port(), TerminalTls());
  // Only the header: the answer must not wait for 1001 bytes that never come.
  CHECK(c->SendPlain(std::string("POST /v1/requests HTTP/1.1\r\nContent-Type: ") +
                     kCoseSign1ContentType + "\r\nContent-Length: 1001\r\n\r\n")
            .ok());
  auto r = c->ReadResponse();
  LONGS_EQUAL(413, r->status);
  CHECK(r->closes());
  // At the limit is fine.
  auto c2 = Connected(server->port(), TerminalTls());
  auto ok = c2->Request("POST", kRequestsPath, kCoseSign1ContentType, std::string(1000, 'b'));
  LONGS_EQUAL(200, ok->status);
  STRCMP_EQUAL("ok 1000", ok->body.c_str());
}

TEST(ServerLimits, LargeBodyOverManyRecords) {
  auto server = testing::StartServer(testing::TestOptions(), OkRoutes());
  auto c = Connected(server->port(), TerminalTls());
  std::string body(3 * 1024 * 1024, 'z');
  auto r = c->Request("POST", kRequestsPath, kCoseSign1ContentType, body);
  LONGS_EQUAL(200, r->status);
  STRCMP_EQUAL("ok 3145728", r->body.c_str());
}

TEST(ServerLimits, SlowLorisIsCutAtTheRequestTimeout) {
  ServerOptions o = testing::TestOptions();
  o.request_read_timeout = 2500ms;
  o.idle_timeout = 10000ms;
  auto server = testing::StartServer(o, OkRoutes());
  auto c = Connected(server->port(), TerminalTls());
  std::string req =
      "GET /v1/health HTTP/1.1\r\nHost: node.test\r\nX-Slow: aaaaaaaaaaaaaaaa\r\n\r\n";
  bool cut = false;
  // One byte (one TLS record) a second: every byte arrives well within any per-read
  // timeout, yet the request as a whole must not outlive request_read_timeout.
  for (size_t i = 0; i < req.size() && !cut; ++i) {
    if (!c->SendPlain(req.substr(i, 1)).ok()) break;
    cut = c->WaitClosed(1000);
  }
  CHECK(cut);
  LONGS_EQUAL(1, server->metrics().timeouts(TimeoutKind::kRequest));
  LONGS_EQUAL(0, server->metrics().requests(kHealthPath, 200));
}

TEST(ServerLimits, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o = testing::TestOptions();
  o.idle_timeout = 500ms;
  auto server = testing::StartServer(o, OkRoutes());
  auto c = Connected(server->port(), TerminalTls());
  LONGS_EQUAL(200, c->Request("GET", kHealthPath)->status);
  CHECK(c->WaitClosed(5000));
  LONGS_EQUAL(1, server->metrics().timeouts(TimeoutKind::kIdle));
}

TEST(ServerLimits, ClientThatDoesNotReadIsCutAtTheWriteTimeout) {
  ServerOptions o = testing::TestOptions();
  o.write_timeout = 1000ms;
  auto big = [](const HttpRequest&, const PeerInfo&) {
    HttpResponse r;
    r.body.assign(32u << 20, 'w');  // far more than the loopback socket buffers hold
    return r;
  };
  auto server = testing::StartServer(o, NodeRoutes(Ok, big, Ok));
  auto c = Connected(server->port(), TerminalTls());
  CHECK(c->SendPlain("GET /v1/log/sth HTTP/1.1\r\n\r\n").ok());  // and never read
  WaitUntil([&] { return server->metrics().timeouts(TimeoutKind::kWrite) == 1; });
  LONGS_EQUAL(1, server->metrics().timeouts(TimeoutKind::kWrite));
  WaitUntil([&] { return server->metrics().connections_open() == 0; });
  LONGS_EQUAL(0, server->metrics().connections_open());
}

TEST(ServerLimits, SilentClientIsCutAtTheHandshakeTimeout) {
  ServerOptions o = testing::TestOptions();
  o.handshake_timeout = 500ms;
  auto server = testing::StartServer(o, OkRoutes());
  auto c = TestClient::Connect(server->port(), TerminalTls());
  CHECK((*c)->WaitClosed(5000));
  LONGS_EQUAL(1, server->metrics().timeouts(TimeoutKind::kHandshake));
}

TEST(ServerLimits, MaxRequestsPerConnection) {
  ServerOptions o = testing::TestOptions();
  o.max_requests_per_connection = 2;
  auto server = testing::StartServer(o, OkRoutes());
  auto c = Connected(server->port(), TerminalTls());
  CHECK(!c->Request("GET", kHealthPath)->closes());
  auto last = c->Request("GET", kHealthPath);
  LONGS_EQUAL(200, last->status);
  CHECK(last->closes());
  CHECK(c->WaitClosed(3000));
}

TEST(ServerLimits, ConnectionLimitRefusesTheNextOne) {
  ServerOptions o = testing::TestOptions();
  o.max_connections = 2;
  auto server = testing::StartServer(o, OkRoutes());
  auto a = Connected(server->port(), TerminalTls());
  auto b = Connected(server->port(), TerminalTls());
  auto c = TestClient::Connect(server->port(), TerminalTls());
  CHECK(!(*c)->Handshake().ok());
  LONGS_EQUAL(200, a->Request("GET", kHealthPath)->status);
  a.reset();  // frees a place
  WaitUntil([&] { return server->metrics().connections_open() < 2; });
  auto d = Connected(server->port(), TerminalTls());
  LONGS_EQUAL(200, d->Request("GET", kHealthPath)->status);
}

TEST(ServerLimits, ManyConcurrentConnections) {
  auto server = testing::StartServer(testing::TestOptions(), OkRoutes());
  auto tls = TerminalTls();
  {
    auto first = Connected(server->port(), tls);  // full handshake once, then tickets
    LONGS_EQUAL(200, first->Request("GET", kHealthPath)->status);
  }
  constexpr int kClients = 48;
  std::atomic<int> ok{0};
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(Connected(server->port(), tls));
  std::vector<std::thread> threads;
  for (auto& client : clients) {
    threads.emplace_back([&ok, c = client.get()] {
      for (int j = 0; j < 5; ++j) {
        auto r = c->Request("POST", kRequestsPath, kCoseSign1ContentType, "abc");
        if (r.ok() && r->status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  LONGS_EQUAL(kClients * 5, ok.load());
  LONGS_EQUAL(kClients + 1, server->metrics().connections_open() + 1);
}

TEST(ServerLimits, DrainFinishesInFlightRequestThenReturns) {
  std::promise<void> entered;
  std::atomic<bool> release{false};
  auto slow = [&](const HttpRequest&, const PeerInfo&) {
    entered.set_value();
    while (!release.load()) std::this_thread::sleep_for(5ms);
    HttpResponse r;
    r.body = ToBytes("slow done");
    return r;
  };
  auto server = testing::StartServer(testing::TestOptions(), NodeRoutes(slow, Ok, Ok));
  auto idle = Connected(server->port(), TerminalTls());
  LONGS_EQUAL(200, idle->Request("GET", kHealthPath)->status);
  auto busy = Connected(server->port(), TerminalTls());
  CHECK(busy->SendPlain(std::string("POST /v1/requests HTTP/1.1\r\nContent-Type: ") +
                        kCoseSign1ContentType + "\r\nContent-Length: 1\r\n\r\nx")
            .ok());
  entered.get_future().wait();
  std::atomic<bool> drained{false};
  std::thread drainer([&] {
    server->Drain();
    drained = true;
  });
  CHECK(idle->WaitClosed(3000));  // idle keep-alive connection closed at once
  std::this_thread::sleep_for(200ms);
  CHECK(!drained.load());  // still waiting for the handler
  release = true;
  auto r = busy->ReadResponse();
  LONGS_EQUAL(200, r->status);
  STRCMP_EQUAL("slow done", r->body.c_str());
  CHECK(r->closes());
  drainer.join();
  CHECK(drained.load());
  LONGS_EQUAL(0, server->metrics().connections_open());
  // No longer accepting.
  auto late = TestClient::Connect(server->port(), TerminalTls());
  CHECK(!late.ok() || !(*late)->Handshake().ok());
}

}  // namespace carnet::node::server
