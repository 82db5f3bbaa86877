#pragma once
// node/server internal: the admin listener — plain HTTP on a loopback address, one request
// per connection, `GET /metrics` → Prometheus text (version 0.0.4), anything else 404.
// It shares the server's io_context; a 5 s deadline bounds every admin connection.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "hal/base/status.h"
#include "node/server/metrics.h"

namespace carnet::node::server {

class AdminListener {
 public:
  AdminListener(boost::asio::io_context& ioc, const Metrics& metrics);
  // Refuses (kInvalidArgument) a host that is not a loopback IP address.
  Result<uint16_t> Listen(const std::string& host, uint16_t port);
  void Close();  // thread-safe

 private:
  void Accept();

  boost::asio::io_context& ioc_;
  const Metrics& metrics_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

// The one place where Asio error codes become a Status (STYLE.md), keeping the code.
Status AsioError(const boost::system::error_code& ec, const std::string& what);

}  // namespace carnet::node::server
