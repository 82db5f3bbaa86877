#include "node/server/connection.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <exception>
#include <utility>

#include "hal/base/log.h"
#include "node/server/router.h"

namespace carnet::node::server {
namespace net = boost::asio;
using crypto::tls::TlsState;
using error_code = boost::system::error_code;

namespace {

std::string EndpointText(const net::ip::tcp::socket& socket) {
  error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  std::string addr = ep.address().to_string();
  if (ep.address().is_v6()) addr = "[" + addr + "]";
  return addr + ":" + std::to_string(ep.port());
}

}  // namespace

Connection::Connection(net::ip::tcp::socket socket,
                       ServerShared& shared,
                       std::unique_ptr<crypto::tls::TlsSession> tls)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      shared_(shared),
      tls_(std::move(tls)),
      reader_(HttpLimits{shared.options.max_header_bytes, shared.options.max_body_bytes}) {
  shared_.metrics.ConnectionOpened();
}

Connection::~Connection() {
  shared_.metrics.ConnectionClosed();
  shared_.Unregister(this);
}

void Connection::Start() {
  net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    error_code ec;
    // Responses are one write each: do not let Nagle hold the last segment back.
    self->socket_.set_option(net::ip::tcp::no_delay(true), ec);
    self->peer_.remote_address = EndpointText(self->socket_);
    self->ArmTimer(TimeoutKind::kHandshake, self->shared_.options.handshake_timeout);
    self->DoHandshake();
  });
}

void Connection::BeginDrain() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->state_ == State::kHandshake) {
      self->CloseNow();  // not a request yet: nothing in flight to finish
    } else if (self->state_ == State::kReading && self->reader_.idle() &&
               !self->tls_->HasBufferedInput()) {
      self->CloseGracefully();  // idle keep-alive connection
    }
    // Otherwise a request is being read, handled or written: it ends with Connection: close.
  });
}

void Connection::Abort() {
  net::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
}

void Connection::DoHandshake() {
  auto st = tls_->Handshake();
  Flush();
  if (!st.ok()) {
    shared_.metrics.Handshake(HandshakeResult::kFailed);
    log::Info("tls handshake refused",
              {{"peer", peer_.remote_address}, {"error", st.status().ToString()}});
    close_after_write_ = true;  // send the alert, then close
    state_ = State::kResponding;
    if (!writing_) CloseNow();
    return;
  }
  if (*st == TlsState::kDone) {
    OnHandshakeDone();
  } else {
    ReadSocket();
  }
}

void Connection::OnHandshakeDone() {
  auto der = tls_->PeerCertificateDer();
  if (der.ok()) peer_.client_cert_der = std::move(*der);
  peer_.session_resumed = tls_->SessionReused();
  peer_.cipher_suite = tls_->CipherSuite();
  shared_.metrics.Handshake(peer_.session_resumed ? HandshakeResult::kResumed
                                                  : HandshakeResult::kFull);
  state_ = State::kReading;
  if (shared_.draining.load()) {
    CloseGracefully();
    return;
  }
  ArmTimer(TimeoutKind::kIdle, shared_.options.idle_timeout);
  Pump();
}

void Connection::ReadSocket() {
  if (reading_ || state_ == State::kClosed) return;
  reading_ = true;
  socket_.async_read_some(
      net::buffer(read_buf_),
      [self = shared_from_this()](const error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void Connection::OnRead(const error_code& ec, size_t n) {
  reading_ = false;
  if (state_ == State::kClosed) return;
  if (ec) {
    CloseNow();  // EOF or reset: nothing to answer to
    return;
  }
  shared_.metrics.BytesIn(n);
  if (state_ == State::kLingering) {
    ReadSocket();  // discard until the peer closes or the linger timer fires
    return;
  }
  if (!tls_->Feed(ByteView(read_buf_.data(), n)).ok()) {
    CloseNow();
    return;
  }
  if (state_ == State::kHandshake) {
    DoHandshake();
  } else if (state_ == State::kReading) {
    // The first bytes of a new request start its clock: a client that sends one byte a
    // second (slow loris) is cut request_read_timeout later, whatever it sends.
    if (timer_kind_ == TimeoutKind::kIdle) {
      ArmTimer(TimeoutKind::kRequest, shared_.options.request_read_timeout);
    }
    Pump();
  }
}

void Connection::Pump() {
  while (state_ == State::kReading) {
    switch (reader_.Next()) {
      case HttpRequestReader::Event::kHeaderReady:
        if (!OnHeader()) return;
        continue;
      case HttpRequestReader::Event::kMessageReady:
        Dispatch();
        return;
      case HttpRequestReader::Event::kError:
        route_label_ = "unmatched";
        request_done_at_ = std::chrono::steady_clock::now();
        SendResponse(HttpResponse::Text(reader_.error(), reader_.error_detail()), true);
        return;
      case HttpRequestReader::Event::kNeedMore:
        break;
    }
    auto r = tls_->Read(MutableByteView(plain_buf_.data(), plain_buf_.size()));
    Flush();
    if (!r.ok() || r->state == TlsState::kClosed) {
      CloseNow();
      return;
    }
    if (r->state == TlsState::kWantRead) {
      if (shared_.draining.load() && reader_.idle()) {
        CloseGracefully();
      } else {
        ReadSocket();
      }
      return;
    }
    reader_.Append(ByteView(plain_buf_.data(), r->bytes));
  }
}

bool Connection::OnHeader() {
  RouteDecision d = CheckHeader(reader_.header(), shared_.routes);
  route_label_ = d.label;
  if (d.refusal) {
    // Refused before its body is read: the body would follow, so the connection closes.
    request_done_at_ = std::chrono::steady_clock::now();
    SendResponse(*d.refusal, true);
    return false;
  }
  route_ = d.route;
  if (reader_.header().expect_continue) {
    static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    if (!tls_->Write(AsBytes(kContinue)).ok()) {
      CloseNow();
      return false;
    }
    Flush();
  }
  return true;
}

void Connection::Dispatch() {
  HttpRequest req = reader_.TakeRequest();
  ++requests_;
  keep_alive_ = req.keep_alive && requests_ < shared_.options.max_requests_per_connection;
  request_done_at_ = std::chrono::steady_clock::now();
  state_ = State::kHandling;
  DisarmTimer();
  const Route* route = route_;
  net::post(*shared_.workers, [self = shared_from_this(), route, req = std::move(req)] {
    HttpResponse resp;
    try {
      resp = route->handler(req, self->peer_);
    } catch (const std::exception& e) {
      log::Error("handler threw", {{"route", route->path}, {"what", e.what()}});
      resp = HttpResponse::Text(500, "internal error");
    } catch (...) {
      log::Error("handler threw", {{"route", route->path}});
      resp = HttpResponse::Text(500, "internal error");
    }
    net::post(self->socket_.get_executor(),
              [self, resp = std::move(resp)]() mutable { self->OnHandled(std::move(resp)); });
  });
}

void Connection::OnHandled(HttpResponse response) {
  if (state_ != State::kHandling) return;  // cut meanwhile (Stop, drain timeout)
  SendResponse(response, !keep_alive_ || shared_.draining.load());
}

void Connection::SendResponse(const HttpResponse& response, bool close) {
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - request_done_at_).count();
  shared_.metrics.Request(route_label_, response.status, seconds);
  std::string wire = SerializeResponse(response, !close);
  state_ = State::kResponding;
  close_after_write_ = close;
  if (!tls_->Write(AsBytes(wire)).ok() || (close && !tls_->Close().ok())) {
    CloseNow();
    return;
  }
  ArmTimer(TimeoutKind::kWrite, shared_.options.write_timeout);
  Flush();
}

void Connection::Flush() {
  Bytes out = tls_->TakeOutgoing();
  if (out.empty()) return;
  if (pending_.empty()) {
    pending_ = std::move(out);
  } else {
    pending_.insert(pending_.end(), out.begin(), out.end());
  }
  StartWrite();
}

void Connection::StartWrite() {
  if (writing_ || pending_.empty() || state_ == State::kClosed) return;
  writing_ = true;
  in_flight_ = std::move(pending_);
  pending_.clear();
  net::async_write(
      socket_, net::buffer(in_flight_),
      [self = shared_from_this()](const error_code& ec, size_t n) { self->OnWrite(ec, n); });
}

void Connection::OnWrite(const error_code& ec, size_t n) {
  writing_ = false;
  if (state_ == State::kClosed) return;
  if (ec) {
    CloseNow();
    return;
  }
  shared_.metrics.BytesOut(n);
  if (!pending_.empty()) {
    StartWrite();
  } else if (state_ == State::kResponding) {
    OnAllWritten();
  }
}

void Connection::OnAllWritten() {
  if (close_after_write_ || shared_.draining.load()) {
    Linger();
    return;
  }
  state_ = State::kReading;
  if (reader_.idle()) {
    ArmTimer(TimeoutKind::kIdle, shared_.options.idle_timeout);
  } else {
    ArmTimer(TimeoutKind::kRequest, shared_.options.request_read_timeout);
  }
  Pump();  // a pipelined request may already be buffered
}

void Connection::CloseGracefully() {
  state_ = State::kResponding;
  close_after_write_ = true;
  if (!tls_->Close().ok()) {
    CloseNow();
    return;
  }
  ArmTimer(TimeoutKind::kWrite, shared_.options.write_timeout);
  Flush();
  if (!writing_) OnAllWritten();
}

// Half-close, then read and discard for a moment before closing: closing a socket with
// unread input makes the kernel send RST, which can destroy the response we just sent
// (e.g. a 413 sent before the body) before the client reads it (RFC 9112 §9.6).
void Connection::Linger() {
  state_ = State::kLingering;
  error_code ec;
  socket_.shutdown(net::ip::tcp::socket::shutdown_send, ec);
  if (ec) {
    CloseNow();
    return;
  }
  ++timer_gen_;
  timer_.expires_after(std::chrono::seconds(2));
  timer_.async_wait([self = shared_from_this()](const error_code& e) {
    if (!e) self->CloseNow();
  });
  ReadSocket();
}

void Connection::CloseNow() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  DisarmTimer();
  timer_.cancel();
  error_code ec;
  socket_.shutdown(net::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void Connection::ArmTimer(TimeoutKind kind, std::chrono::milliseconds after) {
  uint64_t gen = ++timer_gen_;
  timer_kind_ = kind;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), gen, kind](const error_code& ec) {
    // A re-armed or disarmed timer's earlier wait may still complete without error when it
    // was already queued: the generation tells.
    if (ec || gen != self->timer_gen_ || self->state_ == State::kClosed) return;
    self->shared_.metrics.Timeout(kind);
    log::Debug("connection timed out",
               {{"peer", self->peer_.remote_address}, {"kind", static_cast<int>(kind)}});
    self->CloseNow();
  });
}

void Connection::DisarmTimer() {
  ++timer_gen_;
  timer_kind_ = TimeoutKind::kHandshake;
}

}  // namespace carnet::node::server
