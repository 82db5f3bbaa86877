#include "node/server/admin_listener.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>

namespace carnet::node::server {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

Status AsioError(const boost::system::error_code& ec, const std::string& what) {
  std::string msg = what + ": " + ec.message() + " (" + ec.category().name() + ":" +
                    std::to_string(ec.value()) + ")";
  if (ec == net::error::address_in_use || ec == net::error::access_denied) {
    return Unavailable(msg);
  }
  if (ec == net::error::invalid_argument) return InvalidArgument(msg);
  return Internal(msg);
}

namespace {

class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  AdminSession(tcp::socket socket, const Metrics& metrics)
      : stream_(std::move(socket)), metrics_(metrics) {}

  void Run() {
    parser_.header_limit(4096);
    parser_.body_limit(0);
    stream_.expires_after(std::chrono::seconds(5));
    http::async_read(stream_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (!ec) self->Answer();
                     });
  }

 private:
  void Answer() {
    const auto& req = parser_.get();
    res_.version(11);
    res_.keep_alive(false);
    if (req.method() == http::verb::get && req.target() == "/metrics") {
      res_.result(http::status::ok);
      res_.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res_.body() = metrics_.Render();
    } else {
      res_.result(http::status::not_found);
      res_.set(http::field::content_type, "text/plain; charset=utf-8");
      res_.body() = "404 Not Found: only GET /metrics\n";
    }
    res_.prepare_payload();
    http::async_write(stream_, res_, [self = shared_from_this()](beast::error_code, size_t) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }

  beast::tcp_stream stream_;
  const Metrics& metrics_;
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
  http::response<http::string_body> res_;
};

}  // namespace

AdminListener::AdminListener(net::io_context& ioc, const Metrics& metrics)
    : ioc_(ioc), metrics_(metrics), acceptor_(net::make_strand(ioc)) {}

Result<uint16_t> AdminListener::Listen(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  auto addr = net::ip::make_address(host, ec);
  if (ec) return InvalidArgument("admin host '" + host + "' is not an IP address");
  // Metrics say how busy the node is and which routes fail: operators only, never the
  // network the terminals reach.
  if (!addr.is_loopback()) {
    return InvalidArgument("admin host " + host + " is not a loopback address");
  }
  tcp::endpoint ep(addr, port);
  if (acceptor_.open(ep.protocol(), ec); ec) return AsioError(ec, "admin open");
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) {
    return AsioError(ec, "admin reuse_address");
  }
  if (acceptor_.bind(ep, ec); ec) return AsioError(ec, "admin bind " + host);
  if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) {
    return AsioError(ec, "admin listen");
  }
  uint16_t bound = acceptor_.local_endpoint(ec).port();
  Accept();
  return bound;
}

void AdminListener::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         [this](boost::system::error_code ec, tcp::socket socket) {
                           if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
                           if (!ec)
                             std::make_shared<AdminSession>(std::move(socket), metrics_)->Run();
                           Accept();
                         });
}

void AdminListener::Close() {
  net::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
}

}  // namespace carnet::node::server
