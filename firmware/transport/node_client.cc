#include "firmware/transport/node_client.h"

#include <algorithm>
#include <thread>

#include "crypto/core/pk.h"
#include "crypto/tls/tls_context.h"
#include "crypto/tls/tls_session.h"
#include "firmware/transport/tcp_socket.h"
#include "hal/base/log.h"

namespace carnet::fw::transport {
namespace {

using crypto::tls::TlsContext;
using crypto::tls::TlsSession;
using crypto::tls::TlsState;

Deadline After(std::chrono::milliseconds d) { return std::chrono::steady_clock::now() + d; }

// Connection failures and timeouts: the node may simply be unreachable for now. Everything
// else (a refused certificate, a malformed answer, an HTTP status) would fail the same way
// again, so it is not retried.
bool Retryable(const Status& s) {
  return s.code() == StatusCode::kUnavailable || s.code() == StatusCode::kDeadlineExceeded;
}

constexpr size_t kReadChunk = 16 * 1024;

// min(backoff_max, backoff_base * 2^(attempt-2)) for the try `attempt` (2, 3, ...).
std::chrono::milliseconds BackoffCapFor(const NodeClientOptions& opts, int attempt) {
  auto cap = opts.backoff_base;
  for (int i = 2; i < attempt && cap < opts.backoff_max; ++i) cap *= 2;
  return std::min(cap, opts.backoff_max);
}

}  // namespace

struct NodeClient::Impl {
  NodeClientOptions opts;
  std::shared_ptr<TlsContext> ctx;
  std::unique_ptr<TcpSocket> sock;
  std::unique_ptr<TlsSession> tls;
  Bytes inbuf;  // decrypted bytes of the response being read
  NodeClientStats stats;
  // The last Exchange failed on a kept-alive connection before any byte of an answer: the
  // node most likely closed it while idle, just as we wrote (a race no poll can close).
  bool stale_failure = false;

  void Drop() {
    tls.reset();
    sock.reset();
  }
  Status FlushTls(Deadline deadline) {
    Bytes out = tls->TakeOutgoing();
    if (out.empty()) return Status::Ok();
    return sock->SendAll(out, deadline);
  }
  Status Handshake(Deadline deadline);
  Status Connect();
  Result<size_t> ReadPlain(Deadline deadline);
  Result<HttpReply> Exchange(ByteView request);
  Result<HttpReply> Send(ByteView request);
  std::chrono::milliseconds Backoff(int attempt);
};

Status NodeClient::Impl::Handshake(Deadline deadline) {
  uint8_t buf[kReadChunk];
  while (true) {
    auto st = tls->Handshake();
    // Send what the step produced — on failure that is the alert telling the node why.
    Status sent = FlushTls(deadline);
    CARNET_TRY(st);
    CARNET_TRY(sent);
    if (*st == TlsState::kDone) return Status::Ok();
    CARNET_ASSIGN_OR_RETURN(size_t n, sock->Receive(buf, deadline));
    if (n == 0) return Unavailable("the node closed the connection during the TLS handshake");
    CARNET_TRY(tls->Feed(ByteView(buf, n)));
  }
}

Status NodeClient::Impl::Connect() {
  CARNET_ASSIGN_OR_RETURN(sock,
                          TcpSocket::Connect(opts.host, opts.port, After(opts.connect_timeout)));
  CARNET_ASSIGN_OR_RETURN(tls, TlsSession::Create(ctx));
  Status hs = Handshake(After(opts.handshake_timeout));
  if (!hs.ok()) {
    Drop();
    return hs.Annotate("TLS handshake with " + opts.host);
  }
  ++stats.connections;
  if (tls->SessionReused()) ++stats.resumed_sessions;
  log::Debug(
      "connected to the node",
      {{"host", opts.host}, {"resumed", tls->SessionReused()}, {"suite", tls->CipherSuite()}});
  return Status::Ok();
}

// Appends decrypted bytes to `inbuf`; returns how many (0: the node closed the connection).
Result<size_t> NodeClient::Impl::ReadPlain(Deadline deadline) {
  uint8_t buf[kReadChunk];
  size_t appended = 0;
  while (true) {
    auto io = tls->Read(MutableByteView(buf, sizeof buf));
    Status sent = FlushTls(deadline);  // Read may answer with an alert
    CARNET_TRY(io.status());
    CARNET_TRY(sent);
    if (io->state == TlsState::kDone) {
      inbuf.insert(inbuf.end(), buf, buf + io->bytes);
      appended += io->bytes;
      continue;
    }
    if (io->state == TlsState::kClosed || appended > 0) return appended;
    CARNET_ASSIGN_OR_RETURN(size_t n, sock->Receive(buf, deadline));
    if (n == 0) return size_t{0};
    CARNET_TRY(tls->Feed(ByteView(buf, n)));
  }
}

// One try: (re)connect if needed, write the request, read one complete response.
Result<HttpReply> NodeClient::Impl::Exchange(ByteView request) {
  const Deadline deadline = After(opts.request_timeout);
  // A kept-alive connection that became readable while idle was closed by the node (or
  // carries bytes nobody asked for): never send a request into it.
  if (sock && sock->ReadableNow()) Drop();
  const bool reused = sock != nullptr;
  stale_failure = false;
  if (!sock) CARNET_TRY(Connect());
  inbuf.clear();
  auto written = tls->Write(request);
  Status status = written.ok() ? FlushTls(deadline) : written.status();
  while (status.ok()) {
    auto parsed = ParseHttpResponse(inbuf, opts.max_response_body);
    if (!parsed.ok()) {
      status = parsed.status().Annotate("response from the node");
      break;
    }
    if (parsed->has_value()) {
      ParsedResponse& r = **parsed;
      if (r.connection_close || r.consumed != inbuf.size()) Drop();
      ++stats.requests;
      return std::move(r.reply);
    }
    auto n = ReadPlain(deadline);
    status = !n.ok()   ? n.status()
             : *n == 0 ? Unavailable("the node closed the connection before answering")
                       : Status::Ok();
  }
  stale_failure = reused && inbuf.empty();
  Drop();
  return status;
}

std::chrono::milliseconds NodeClient::Impl::Backoff(int attempt) {
  const auto cap = BackoffCapFor(opts, attempt);
  if (!opts.jitter || cap.count() <= 0) return cap;
  Random& rng = opts.rng ? *opts.rng : SystemRandom::Instance();
  auto r = rng.Generate(8);
  if (!r.ok()) return cap;  // no randomness: fall back to the bound, still a backoff
  uint64_t v = ReadU64Be(*r);
  return std::chrono::milliseconds(
      static_cast<int64_t>(v % (static_cast<uint64_t>(cap.count()) + 1)));
}

Result<HttpReply> NodeClient::Impl::Send(ByteView request) {
  Status last;
  bool fresh_retry_used = false;
  for (int attempt = 1; attempt <= opts.max_attempts; ++attempt) {
    if (attempt > 1 && stale_failure && !fresh_retry_used) {
      // One immediate retry on a new connection, not counted: not the node being down.
      fresh_retry_used = true;
      ++stats.stale_reconnects;
      --attempt;
    } else if (attempt > 1) {
      ++stats.retries;
      auto delay = Backoff(attempt);
      if (opts.sleep) {
        opts.sleep(delay);
      } else {
        std::this_thread::sleep_for(delay);
      }
    }
    auto reply = Exchange(request);
    if (reply.ok() || !Retryable(reply.status())) return reply;
    last = reply.status();
    log::Info("node request failed, will retry",
              {{"attempt", attempt}, {"error", last.ToString()}});
  }
  return Unavailable("node unreachable after " + std::to_string(opts.max_attempts) +
                     " attempts; last: " + last.ToString());
}

NodeClient::NodeClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

NodeClient::~NodeClient() { Close(); }

Result<std::unique_ptr<NodeClient>> NodeClient::Create(NodeClientOptions options) {
  if (options.host.empty() || options.port == 0) return InvalidArgument("node host and port");
  if (options.max_attempts < 1) return InvalidArgument("max_attempts must be at least 1");
  CARNET_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::FromPem(options.device_key_pem));
  options.device_key_pem.Clear();  // the TLS context keeps its own copy
  crypto::tls::ClientOptions tls;
  CARNET_ASSIGN_OR_RETURN(tls.chain_der,
                          crypto::tls::CertificatesFromPem(options.certificate_chain_pem));
  CARNET_ASSIGN_OR_RETURN(tls.server_ca_der,
                          crypto::tls::CertificatesFromPem(options.operator_ca_pem));
  if (tls.chain_der.empty()) return InvalidArgument("no device certificate in the chain PEM");
  if (tls.server_ca_der.empty()) return InvalidArgument("no operator CA certificate to pin");
  tls.key = &key;
  tls.server_name = options.server_name.empty() ? options.host : options.server_name;
  tls.resume_sessions = true;
  auto impl = std::make_unique<Impl>();
  CARNET_ASSIGN_OR_RETURN(impl->ctx, TlsContext::Client(tls));
  impl->opts = std::move(options);
  return std::unique_ptr<NodeClient>(new NodeClient(std::move(impl)));
}

Result<HttpReply> NodeClient::Post(std::string_view path,
                                   std::string_view content_type,
                                   ByteView body) {
  CARNET_ASSIGN_OR_RETURN(Bytes request,
                          BuildHttpRequest("POST", path, impl_->opts.host, content_type, body));
  return impl_->Send(request);
}

Result<HttpReply> NodeClient::Get(std::string_view path) {
  CARNET_ASSIGN_OR_RETURN(Bytes request, BuildHttpRequest("GET", path, impl_->opts.host, "", {}));
  return impl_->Send(request);
}

void NodeClient::Close() {
  if (impl_->sock && impl_->tls) {
    if (impl_->tls->Close().ok()) {
      impl_->FlushTls(After(std::chrono::milliseconds(200))).IgnoreError();
    }
  }
  impl_->Drop();
}

const NodeClientStats& NodeClient::stats() const { return impl_->stats; }

std::chrono::milliseconds NodeClient::BackoffCap(int attempt) const {
  return BackoffCapFor(impl_->opts, attempt);
}

}  // namespace carnet::fw::transport
