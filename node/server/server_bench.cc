// node_server_bench: rough figures for the README — full and resumed TLS handshakes per
// second and small requests per second, client and server on one machine (the client's CPU
// is counted too). Prints; asserts nothing.
//   node_server_bench [handshakes=40] [requests=2000]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "node/server/testing/server_fixture.h"

using namespace carnet;
using namespace carnet::node::server;
using Clock = std::chrono::steady_clock;

namespace {

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

HttpResponse Ok(const HttpRequest&, const PeerInfo&) {
  HttpResponse r;
  r.body = ToBytes("ok");
  return r;
}

void Handshakes(uint16_t port, int n, bool resumed) {
  auto tls = testing::TerminalTls();
  testing::Connected(port, tls);  // primes the ticket
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    if (!resumed) tls->ForgetSession();
    auto c = testing::Connected(port, tls);
    if (c->session().SessionReused() != resumed) std::abort();
  }
  double s = Since(t0);
  std::printf("%-28s %6d in %6.2f s: %8.1f /s\n",
              resumed ? "resumed handshakes" : "full handshakes", n, s, n / s);
}

void Requests(uint16_t port, int clients, int per_client) {
  auto tls = testing::TerminalTls();
  std::vector<std::unique_ptr<testing::TestClient>> conns;
  for (int i = 0; i < clients; ++i) conns.push_back(testing::Connected(port, tls));
  std::atomic<int> ok{0};
  auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (auto& c : conns) {
    threads.emplace_back([&ok, per_client, c = c.get()] {
      for (int j = 0; j < per_client; ++j) {
        auto r = c->Request("GET", kHealthPath);
        if (r.ok() && r->status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  double s = Since(t0);
  std::printf("requests, %2d keep-alive conn %6d in %6.2f s: %8.1f /s\n", clients, ok.load(), s,
              ok.load() / s);
}

}  // namespace

int main(int argc, char** argv) {
  int handshakes = argc > 1 ? std::atoi(argv[1]) : 40;
  int requests = argc > 2 ? std::atoi(argv[2]) : 2000;
  ServerOptions o = testing::TestOptions();
  o.admin_enabled = false;
  o.max_requests_per_connection = 1u << 30;
  o.io_threads = std::max(1u, std::thread::hardware_concurrency());
  auto server = testing::StartServer(o, NodeRoutes(Ok, Ok, Ok));
  std::printf("io threads %u, P-256, TLS 1.2, %s\n", o.io_threads, "ECDHE-ECDSA-AES128-GCM");
  Handshakes(server->port(), handshakes, false);
  Handshakes(server->port(), handshakes * 10, true);
  Requests(server->port(), 1, requests);
  Requests(server->port(), 8, requests / 8);
  server->Drain();
  return 0;
}
