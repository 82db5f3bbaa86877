#include "node/server/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <optional>
#include <thread>

#include "crypto/tls/tls_session.h"
#include "hal/base/log.h"
#include "node/server/admin_listener.h"
#include "node/server/connection.h"
#include "node/server/server_shared.h"

namespace carnet::node::server {
namespace net = boost::asio;
using tcp = net::ip::tcp;

bool ServerShared::Register(const std::shared_ptr<Connection>& c) {
  std::lock_guard<std::mutex> lock(mu);
  if (live.size() >= options.max_connections) return false;
  live.emplace(c.get(), c);
  return true;
}

void ServerShared::Unregister(const Connection* c) {
  {
    std::lock_guard<std::mutex> lock(mu);
    live.erase(c);
  }
  cv.notify_all();
}

std::vector<std::shared_ptr<Connection>> ServerShared::Snapshot() {
  std::lock_guard<std::mutex> lock(mu);
  std::vector<std::shared_ptr<Connection>> out;
  for (auto& [ptr, weak] : live) {
    if (auto c = weak.lock()) out.push_back(std::move(c));
  }
  return out;
}

size_t ServerShared::LiveCount() {
  std::lock_guard<std::mutex> lock(mu);
  return live.size();
}

// Member order is destruction order reversed: `shared` outlives the io_context (whose
// destructor destroys the handlers that still own connections); sockets and acceptors go
// before the io_context.
struct Server::Impl {
  ServerShared shared;
  std::unique_ptr<net::thread_pool> workers;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  tcp::acceptor acceptor{net::make_strand(ioc)};
  net::steady_timer accept_retry{acceptor.get_executor()};
  AdminListener admin{ioc, shared.metrics};
  std::vector<std::thread> threads;
  uint16_t port = 0;
  uint16_t admin_port = 0;
  bool started = false;
  bool stopped = false;
  bool drained = false;

  Status Bind();
  void Accept();
  void OnAccept(const boost::system::error_code& ec, tcp::socket socket);
  bool WaitForNoConnections(std::chrono::milliseconds limit);
};

Status Server::Impl::Bind() {
  boost::system::error_code ec;
  auto addr = net::ip::make_address(shared.options.host, ec);
  if (ec) return InvalidArgument("host '" + shared.options.host + "' is not an IP address");
  tcp::endpoint ep(addr, shared.options.port);
  if (acceptor.open(ep.protocol(), ec); ec) return AsioError(ec, "open");
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) {
    return AsioError(ec, "reuse_address");
  }
  if (acceptor.bind(ep, ec); ec) return AsioError(ec, "bind " + shared.options.host);
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    return AsioError(ec, "listen");
  }
  port = acceptor.local_endpoint(ec).port();
  return Status::Ok();
}

void Server::Impl::Accept() {
  // Each connection gets its own strand: its handlers never run concurrently, so its
  // state needs no lock.
  acceptor.async_accept(net::make_strand(ioc),
                        [this](const boost::system::error_code& ec, tcp::socket socket) {
                          OnAccept(ec, std::move(socket));
                        });
}

void Server::Impl::OnAccept(const boost::system::error_code& ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    // EMFILE / ENFILE / ENOBUFS: back off instead of spinning on the error.
    log::Warn("accept failed", {{"error", ec.message()}});
    accept_retry.expires_after(std::chrono::milliseconds(100));
    accept_retry.async_wait([this](const boost::system::error_code& e) {
      if (!e) Accept();
    });
    return;
  }
  auto session = crypto::tls::TlsSession::Create(shared.tls);
  if (shared.draining.load() || !session.ok()) {
    shared.metrics.ConnectionRejected();
  } else {
    auto conn = std::make_shared<Connection>(std::move(socket), shared, std::move(*session));
    // Over the limit the connection is closed at once (no TLS, no 503: a handshake is the
    // expensive part, and refusing it is what protects the node).
    if (shared.Register(conn)) {
      conn->Start();
    } else {
      shared.metrics.ConnectionRejected();
    }
  }
  Accept();
}

bool Server::Impl::WaitForNoConnections(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lock(shared.mu);
  return shared.cv.wait_for(lock, limit, [this] { return shared.live.empty(); });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options,
                                               std::shared_ptr<const crypto::tls::TlsContext> tls,
                                               std::vector<Route> routes) {
  if (!tls || !tls->is_server()) return InvalidArgument("server needs a TLS server context");
  for (const Route& r : routes) {
    if (!r.handler || r.path.empty() || r.path[0] != '/' || r.method.empty()) {
      return InvalidArgument("route '" + r.method + " " + r.path + "' is incomplete");
    }
  }
  if (options.max_connections == 0 || options.max_requests_per_connection == 0 ||
      options.max_header_bytes < 64) {
    return InvalidArgument("server limits must allow at least one request");
  }
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (options.io_threads == 0) options.io_threads = cores;
  if (options.worker_threads == 0) options.worker_threads = 4 * options.io_threads;
  auto impl = std::make_unique<Impl>();
  impl->shared.options = std::move(options);
  impl->shared.routes = std::move(routes);
  impl->shared.tls = std::move(tls);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<uint16_t> Server::Start() {
  Impl& m = *impl_;
  if (m.started) return FailedPrecondition("server already started");
  CARNET_TRY(m.Bind());
  if (m.shared.options.admin_enabled) {
    CARNET_ASSIGN_OR_RETURN(
        m.admin_port, m.admin.Listen(m.shared.options.admin_host, m.shared.options.admin_port));
  }
  m.started = true;
  m.workers = std::make_unique<net::thread_pool>(m.shared.options.worker_threads);
  m.shared.workers = m.workers.get();
  m.work.emplace(m.ioc.get_executor());
  m.Accept();
  for (unsigned i = 0; i < m.shared.options.io_threads; ++i) {
    m.threads.emplace_back([&m] { m.ioc.run(); });
  }
  log::Info("server listening", {{"port", unsigned{m.port}},
                                 {"admin_port", unsigned{m.admin_port}},
                                 {"io_threads", m.shared.options.io_threads},
                                 {"worker_threads", m.shared.options.worker_threads}});
  return m.port;
}

uint16_t Server::port() const { return impl_->port; }
uint16_t Server::admin_port() const { return impl_->admin_port; }
const Metrics& Server::metrics() const { return impl_->shared.metrics; }

void Server::Drain() {
  Impl& m = *impl_;
  if (!m.started || m.stopped || m.drained) return;
  m.drained = true;
  m.shared.draining.store(true);
  net::post(m.acceptor.get_executor(), [&m] {
    boost::system::error_code ec;
    m.acceptor.close(ec);
    m.accept_retry.cancel();
  });
  for (auto& c : m.shared.Snapshot()) c->BeginDrain();
  if (!m.WaitForNoConnections(m.shared.options.drain_timeout)) {
    log::Warn("drain timeout: cutting connections", {{"left", uint64_t{m.shared.LiveCount()}}});
    for (auto& c : m.shared.Snapshot()) c->Abort();
    if (!m.WaitForNoConnections(std::chrono::seconds(5))) {
      log::Warn("connections still held after drain (handlers still running)");
    }
  }
  log::Info("server drained");
}

void Server::Stop() {
  Impl& m = *impl_;
  if (!m.started || m.stopped) return;
  m.stopped = true;
  m.shared.draining.store(true);
  net::post(m.acceptor.get_executor(), [&m] {
    boost::system::error_code ec;
    m.acceptor.close(ec);
    m.accept_retry.cancel();
  });
  m.admin.Close();
  for (auto& c : m.shared.Snapshot()) c->Abort();
  m.work.reset();
  // Workers first: a handler still running posts its response to the io_context, which
  // must still be running to take it (the connection is closed by then and drops it).
  m.workers->join();
  m.ioc.stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
}

}  // namespace carnet::node::server
