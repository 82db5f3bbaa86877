#pragma once
// node/server internal: what every connection of one Server shares. Owned by Server::Impl,
// declared before its io_context so that it outlives every connection (connections are
// destroyed at the latest with the io_context's pending handlers).

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "crypto/tls/tls_context.h"
#include "node/server/http_types.h"
#include "node/server/metrics.h"
#include "node/server/server.h"

namespace boost::asio {
class thread_pool;
}

namespace carnet::node::server {

class Connection;

struct ServerShared {
  ServerOptions options;
  std::vector<Route> routes;
  std::shared_ptr<const crypto::tls::TlsContext> tls;
  Metrics metrics;
  std::atomic<bool> draining{false};
  boost::asio::thread_pool* workers = nullptr;  // set by Start, joined by Stop

  // Live connections, for the limit and for Drain/Stop to reach them.
  std::mutex mu;
  std::condition_variable cv;  // notified when a connection goes away
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> live;

  // Registers `c` unless the limit is reached (then false: the caller drops it).
  bool Register(const std::shared_ptr<Connection>& c);
  void Unregister(const Connection* c);
  std::vector<std::shared_ptr<Connection>> Snapshot();
  size_t LiveCount();
};

}  // namespace carnet::node::server
