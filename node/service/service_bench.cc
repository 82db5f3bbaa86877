// In-process figures for README.md (not a CTest test: it prints, it does not judge).
// node_service_bench [-v]: N deposits then N reads of one dossier through RequestService, the
// requests signed beforehand (RSA card signatures are the terminal's cost, not the node's).

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "node/service/service_test_env.h"

namespace carnet::node::service::testing {

TEST_GROUP(ServiceBench){};

TEST(ServiceBench, DepositThenRead) {
  constexpr int kCount = 200;
  ServiceEnv env;
  CHECK_EQUAL(200, env.PostGp(GpRequest(protocol::Action::kOpen)).http_status);
  CHECK_EQUAL(200, env.PostGp(GpRequest(protocol::Action::kRecordCareTeam)).http_status);
  std::vector<Bytes> deposits;
  std::vector<Bytes> reads;
  const std::string content(4096, 'x');
  for (int i = 0; i < kCount; ++i) {
    protocol::Request d = GpRequest(protocol::Action::kDeposit);
    d.args = DepositOf("bench-" + std::to_string(i), content);
    deposits.push_back(authn::testing::SignSig(d));
    protocol::Request r = GpRequest(protocol::Action::kRead);
    r.args = protocol::DocumentRef{"bench-" + std::to_string(i), {}};
    reads.push_back(authn::testing::SignAut(r));
  }
  auto run = [&](const std::vector<Bytes>& bodies, const char* what) {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& b : bodies) {
      server::HttpResponse a = env.service().Handle(b, authn::testing::Term1());
      CHECK_EQUAL(200, a.status);
    }
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("\n%s: %d in %.2f s = %.0f/s (%.2f ms each)\n", what, kCount, s, kCount / s,
                1000 * s / kCount);
  };
  run(deposits, "deposit (4 KiB, one transaction + fsync each)");
  run(reads, "read (4 KiB, decrypt + sealed answer stored)");

  // The same dossier, 8 threads: deposits run concurrently and share group commits.
  constexpr int kThreads = 8;
  std::vector<Bytes> more;
  for (int i = 0; i < kCount; ++i) {
    protocol::Request d = GpRequest(protocol::Action::kDeposit);
    d.args = DepositOf("par-" + std::to_string(i), content);
    more.push_back(authn::testing::SignSig(d));
  }
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); i < more.size(); i += kThreads) {
        if (env.service().Handle(more[i], authn::testing::Term1()).status != 200) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  LONGS_EQUAL(0, failures.load());
  std::printf("\ndeposit, %d threads: %d in %.2f s = %.0f/s\n", kThreads, kCount, s, kCount / s);
}

}  // namespace carnet::node::service::testing
