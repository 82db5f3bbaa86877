#pragma once
// node/server internal: one accepted TCP connection: its TLS session, its HTTP reader, its
// timers. Everything below runs on the connection's strand (the socket's executor), except
// the handler, which runs on a worker and posts its response back.
//
// States: kHandshake → kReading ⇄ (kHandling → kResponding) → kLingering → kClosed.
// One deadline timer, re-armed per phase: handshake (accept → Finished), idle (waiting for
// the first byte of a request), request (first byte → complete request: slow loris), write
// (response → all bytes sent). kHandling has none: the handler's time is the app's business
// (Drain bounds it).

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "crypto/tls/tls_session.h"
#include "node/server/http_reader.h"
#include "node/server/server_shared.h"

namespace carnet::node::server {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket,
             ServerShared& shared,
             std::unique_ptr<crypto::tls::TlsSession> tls);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Thread-safe: each posts to the strand.
  void Start();
  void BeginDrain();
  void Abort();

 private:
  enum class State { kHandshake, kReading, kHandling, kResponding, kLingering, kClosed };

  void DoHandshake();
  void OnHandshakeDone();
  void ReadSocket();
  void OnRead(const boost::system::error_code& ec, size_t n);
  void Pump();
  bool OnHeader();
  void Dispatch();
  void OnHandled(HttpResponse response);
  void SendResponse(const HttpResponse& response, bool close);
  void Flush();
  void StartWrite();
  void OnWrite(const boost::system::error_code& ec, size_t n);
  void OnAllWritten();
  void CloseGracefully();
  void Linger();
  void CloseNow();
  void ArmTimer(TimeoutKind kind, std::chrono::milliseconds after);
  void DisarmTimer();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  ServerShared& shared_;
  std::unique_ptr<crypto::tls::TlsSession> tls_;
  HttpRequestReader reader_;
  PeerInfo peer_;

  State state_ = State::kHandshake;
  bool reading_ = false;
  bool writing_ = false;
  bool close_after_write_ = false;
  bool keep_alive_ = true;
  unsigned requests_ = 0;
  const Route* route_ = nullptr;
  std::string route_label_;
  std::chrono::steady_clock::time_point request_done_at_;

  uint64_t timer_gen_ = 0;
  TimeoutKind timer_kind_ = TimeoutKind::kHandshake;

  std::array<uint8_t, 16 * 1024> read_buf_{};
  std::array<uint8_t, 16 * 1024> plain_buf_{};
  Bytes pending_;    // TLS records waiting for the current write to finish
  Bytes in_flight_;  // the buffer of the current async_write
};

}  // namespace carnet::node::server
