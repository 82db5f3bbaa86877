#include "tests/bench/tls_load.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "crypto/tls/tls_session.h"
#include "node/server/testing/test_client.h"

namespace carnet::bench {
namespace {

using node::server::testing::TestClient;

Result<std::unique_ptr<TestClient>> Open(uint16_t port,
                                         std::shared_ptr<const crypto::tls::TlsContext> tls) {
  CARNET_ASSIGN_OR_RETURN(auto c, TestClient::Connect(port, std::move(tls), 60000));
  CARNET_TRY(c->Handshake());
  return c;
}

// Handshakes in a loop for about `seconds` (at least 5); returns how many ran and how long.
Result<std::pair<int, double>> HandshakeLoop(
    uint16_t port,
    const std::shared_ptr<const crypto::tls::TlsContext>& tls,
    bool resumed,
    double seconds) {
  int n = 0;
  auto t0 = Clock::now();
  while (n < 5 || SecondsSince(t0) < seconds) {
    if (!resumed) tls->ForgetSession();
    CARNET_ASSIGN_OR_RETURN(auto c, Open(port, tls));
    if (c->session().SessionReused() != resumed) {
      return Internal(resumed ? "the peer did not resume the session (tickets off?)"
                              : "a forgotten session was resumed");
    }
    ++n;
  }
  return std::make_pair(n, SecondsSince(t0));
}

}  // namespace

Result<HandshakeRates> MeasureHandshakes(uint16_t port,
                                         std::shared_ptr<const crypto::tls::TlsContext> client,
                                         double seconds) {
  HandshakeRates r;
  CARNET_ASSIGN_OR_RETURN(auto full, HandshakeLoop(port, client, false, seconds));
  CARNET_TRY(Open(port, client).status());  // primes the ticket
  CARNET_ASSIGN_OR_RETURN(auto resumed, HandshakeLoop(port, client, true, seconds));
  r.full = full.first;
  r.full_per_s = full.first / full.second;
  r.resumed = resumed.first;
  r.resumed_per_s = resumed.first / resumed.second;
  return r;
}

namespace {

// What the connection threads share.
struct Shared {
  Shared(uint16_t p, std::shared_ptr<const crypto::tls::TlsContext> c, int expected)
      : port(p), client(std::move(c)), expected_status(expected) {}

  const uint16_t port;
  const std::shared_ptr<const crypto::tls::TlsContext> client;
  const int expected_status;
  std::mutex mu;  // guards latencies and first_failure
  std::vector<double> latencies;
  std::string first_failure;
  std::atomic<size_t> ok{0}, failed{0}, reconnects{0};

  void Fail(const std::string& why) {
    ++failed;
    std::lock_guard<std::mutex> lock(mu);
    if (first_failure.empty()) first_failure = why;
  }
};

// One connection's requests, in order; stops at the first transport error.
void Drive(Shared& sh,
           std::unique_ptr<TestClient>& conn,
           size_t count,
           const std::function<RequestSpec(size_t i)>& next) {
  std::vector<double> mine;
  mine.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const RequestSpec spec = next(i);
    const auto s0 = Clock::now();
    if (conn == nullptr) {  // the peer closed after the last answer: resume the session
      auto reopened = Open(sh.port, sh.client);
      if (!reopened.ok()) {
        sh.Fail(reopened.status().ToString());
        break;
      }
      conn = std::move(*reopened);
      ++sh.reconnects;
    }
    auto r = conn->Request(spec.method, spec.target, spec.content_type,
                           spec.body != nullptr ? *spec.body : "");
    const double took = SecondsSince(s0);
    if (!r.ok()) {
      sh.Fail(r.status().ToString());
      break;  // the connection is gone
    }
    if (r->closes()) conn.reset();
    if (r->status != sh.expected_status) {
      sh.Fail("HTTP " + std::to_string(r->status) + " " + r->body.substr(0, 160));
      continue;
    }
    ++sh.ok;
    mine.push_back(took);
  }
  std::lock_guard<std::mutex> lock(sh.mu);
  sh.latencies.insert(sh.latencies.end(), mine.begin(), mine.end());
}

}  // namespace

LoadResult RunLoad(uint16_t port,
                   std::shared_ptr<const crypto::tls::TlsContext> client,
                   int connections,
                   size_t per_connection,
                   int expected_status,
                   const RequestSpec& warmup,
                   const std::function<RequestSpec(int connection, size_t i)>& next) {
  Shared sh(port, client, expected_status);
  std::vector<std::unique_ptr<TestClient>> conns;
  Must(Open(port, client), "priming the TLS ticket").reset();
  for (int i = 0; i < connections; ++i) {
    auto c = Must(Open(port, client), "opening a load connection");
    auto w = c->Request(warmup.method, warmup.target, warmup.content_type,
                        warmup.body != nullptr ? *warmup.body : "");
    if (!w.ok()) MustOk(w.status(), "warm-up request");
    if (w->closes()) c.reset();  // reopened (resumed) by the first request
    conns.push_back(std::move(c));
  }
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int ci = 0; ci < connections; ++ci) {
    threads.emplace_back([&, ci] {
      Drive(sh, conns[static_cast<size_t>(ci)], per_connection,
            [&next, ci](size_t i) { return next(ci, i); });
    });
  }
  for (auto& t : threads) t.join();
  LoadResult result;
  result.seconds = SecondsSince(t0);
  result.ok = sh.ok.load();
  result.failed = sh.failed.load();
  result.reconnects = sh.reconnects.load();
  result.first_failure = sh.first_failure;
  result.latency = Summarize(std::move(sh.latencies));
  return result;
}

std::shared_ptr<const crypto::tls::TlsContext> TerminalClientTls(const std::string& cert_path,
                                                                 const std::string& key_path,
                                                                 const std::string& root_path) {
  crypto::PrivateKey key = LoadKey(key_path);
  crypto::tls::ClientOptions o;
  o.chain_der = {LoadCert(cert_path).der()};
  o.key = &key;
  o.server_ca_der = {LoadCert(root_path).der()};
  o.server_name = "localhost";
  return Must(crypto::tls::TlsContext::Client(o), "terminal TLS context");
}

void AddHandshakeRows(Table& table, const std::string& peer, const HandshakeRates& r) {
  table.Add("mTLS handshakes", peer + ", full", Fmt("%.1f /s", r.full_per_s),
            Fmt("n=%d, one client thread, P-256 ECDHE-ECDSA, client cert required", r.full));
  table.Add("mTLS handshakes", peer + ", resumed (ticket)", Fmt("%.1f /s", r.resumed_per_s),
            Fmt("n=%d, one client thread", r.resumed));
}

void AddLoadRow(Table& table,
                const std::string& section,
                const std::string& what,
                const LoadResult& r,
                int connections) {
  std::string note = Fmt("%d conn, n=%zu ok", connections, r.ok);
  if (r.reconnects > 0) {
    note += Fmt(", peer closed after each answer: %zu resumed handshakes included", r.reconnects);
  }
  if (r.failed > 0) note += Fmt(", %zu FAILED (first: %s)", r.failed, r.first_failure.c_str());
  table.Add(section, what,
            Fmt("%.1f /s, p50 %.2f ms, p99 %.2f ms", r.per_s(), r.latency.p50_ms, r.latency.p99_ms),
            note);
}

}  // namespace carnet::bench
