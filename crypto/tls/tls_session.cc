#include "crypto/tls/tls_session.h"

#include <mbedtls/ssl_internal.h>

#include <algorithm>
#include <cstring>

#include "crypto/tls/tls_error.h"
#include "crypto/tls/tls_internal.h"

namespace carnet::crypto::tls {
namespace {

// BIO callbacks: mbedTLS reads from and writes to the session's buffers, never a socket.
int SendToBuffer(void* ctx, const unsigned char* buf, size_t len) {
  auto* impl = static_cast<TlsSession::Impl*>(ctx);
  impl->outgoing.insert(impl->outgoing.end(), buf, buf + len);
  return static_cast<int>(std::min<size_t>(len, INT32_MAX));
}

int RecvFromBuffer(void* ctx, unsigned char* buf, size_t len) {
  auto* impl = static_cast<TlsSession::Impl*>(ctx);
  size_t available = impl->incoming.size() - impl->incoming_pos;
  if (available == 0) return MBEDTLS_ERR_SSL_WANT_READ;
  size_t n = std::min({len, available, size_t{INT32_MAX}});
  std::memcpy(buf, impl->incoming.data() + impl->incoming_pos, n);
  impl->incoming_pos += n;
  if (impl->incoming_pos == impl->incoming.size()) {
    impl->incoming.clear();
    impl->incoming_pos = 0;
  }
  return static_cast<int>(n);
}

// Latches the first error: mbedTLS contexts must not be used after a fatal error.
Status Fail(TlsSession::Impl& impl, int ret, std::string_view what) {
  // The verification flags only mean something when the peer's certificate was refused.
  uint32_t flags =
      ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED ? mbedtls_ssl_get_verify_result(&impl.ssl) : 0;
  impl.failed = TlsError(ret, what, flags);
  return impl.failed;
}

void SaveSession(TlsSession::Impl& impl) {
  const TlsContext::Impl& ctx = *impl.context->impl();
  if (ctx.is_server || !ctx.resume_sessions) return;
  mbedtls_ssl_session session;
  mbedtls_ssl_session_init(&session);
  if (mbedtls_ssl_get_session(&impl.ssl, &session) == 0) {
    size_t len = 0;
    // First call sizes the blob (BUFFER_TOO_SMALL), the second writes it.
    (void)mbedtls_ssl_session_save(&session, nullptr, 0, &len);
    SecretBytes blob(len);
    if (len > 0 &&
        mbedtls_ssl_session_save(&session, blob.mutable_view().data(), blob.size(), &len) == 0) {
      std::lock_guard<std::mutex> lock(ctx.session_mutex);
      ctx.saved_session = std::move(blob);
    }
  }
  mbedtls_ssl_session_free(&session);  // zeroizes the master secret
}

// Offers the context's saved session, if any. A session that does not load is ignored: the
// handshake is then simply a full one.
void OfferSavedSession(TlsSession::Impl& impl) {
  const TlsContext::Impl& ctx = *impl.context->impl();
  if (ctx.is_server || !ctx.resume_sessions) return;
  SecretBytes blob;
  {
    std::lock_guard<std::mutex> lock(ctx.session_mutex);
    if (ctx.saved_session.empty()) return;
    blob = ctx.saved_session.Clone();
  }
  mbedtls_ssl_session session;
  mbedtls_ssl_session_init(&session);
  if (mbedtls_ssl_session_load(&session, blob.view().data(), blob.size()) == 0) {
    (void)mbedtls_ssl_set_session(&impl.ssl, &session);
  }
  mbedtls_ssl_session_free(&session);
}

Result<TlsState> StateFor(TlsSession::Impl& impl, int ret, std::string_view what) {
  if (ret == MBEDTLS_ERR_SSL_WANT_READ) return TlsState::kWantRead;
  if (ret == MBEDTLS_ERR_SSL_WANT_WRITE) return TlsState::kWantWrite;
  return Fail(impl, ret, what);
}

// mbedTLS 2.28 refuses a client without a certificate silently, which would leave the
// terminal waiting for a Finished that never comes; RFC 5246 §7.4.6 lets the server answer
// with a fatal handshake_failure, so it does. (A refused certificate already gets its alert.)
void AlertIfSilent(TlsSession::Impl& impl, int ret) {
  if (ret != MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE) return;
  (void)mbedtls_ssl_send_alert_message(&impl.ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                       MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE);
}

}  // namespace

std::string_view TlsStateName(TlsState state) {
  switch (state) {
    case TlsState::kDone:
      return "done";
    case TlsState::kWantRead:
      return "want-read";
    case TlsState::kWantWrite:
      return "want-write";
    case TlsState::kClosed:
      return "closed";
  }
  return "?";
}

TlsSession::Impl::Impl() { mbedtls_ssl_init(&ssl); }
TlsSession::Impl::~Impl() { mbedtls_ssl_free(&ssl); }

TlsSession::TlsSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsSession::~TlsSession() = default;

Result<std::unique_ptr<TlsSession>> TlsSession::Create(std::shared_ptr<const TlsContext> context) {
  if (context == nullptr) return InvalidArgument("TLS session needs a context");
  auto impl = std::make_unique<Impl>();
  impl->context = std::move(context);
  const TlsContext::Impl& ctx = *impl->context->impl();
  int ret = mbedtls_ssl_setup(&impl->ssl, &ctx.conf);
  if (ret != 0) return TlsError(ret, "setting up a TLS session");
  if (!ctx.is_server) {
    // Checked against the server certificate's SAN dNSName (or CN) during the handshake.
    ret = mbedtls_ssl_set_hostname(&impl->ssl, ctx.server_name.c_str());
    if (ret != 0) return TlsError(ret, "setting the expected server name");
  }
  // The Impl does not move (unique_ptr), so the BIO pointer stays valid.
  mbedtls_ssl_set_bio(&impl->ssl, impl.get(), SendToBuffer, RecvFromBuffer, nullptr);
  OfferSavedSession(*impl);
  return std::unique_ptr<TlsSession>(new TlsSession(std::move(impl)));
}

Status TlsSession::Feed(ByteView bytes) {
  size_t pending = impl_->incoming.size() - impl_->incoming_pos;
  if (pending + bytes.size() > kMaxBufferedInput) {
    return ResourceExhausted("TLS input buffer full: call Read/Handshake before feeding more");
  }
  impl_->incoming.insert(impl_->incoming.end(), bytes.begin(), bytes.end());
  return Status::Ok();
}

Bytes TlsSession::TakeOutgoing() {
  Bytes out;
  out.swap(impl_->outgoing);
  return out;
}

size_t TlsSession::outgoing_size() const { return impl_->outgoing.size(); }

Result<TlsState> TlsSession::Handshake() {
  Impl& impl = *impl_;
  if (!impl.failed.ok()) return impl.failed;
  if (impl.handshake_done) return TlsState::kDone;
  // Step by step rather than mbedtls_ssl_handshake(), to see whether the server accepted the
  // offered session: handshake->resume is final once the hellos are exchanged, and the
  // handshake structure is freed at the end.
  while (impl.ssl.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
    if (impl.ssl.handshake != nullptr) impl.resumed = impl.ssl.handshake->resume != 0;
    int ret = mbedtls_ssl_handshake_step(&impl.ssl);
    if (ret != 0) {
      AlertIfSilent(impl, ret);
      return StateFor(impl, ret, "TLS handshake");
    }
  }
  impl.handshake_done = true;
  SaveSession(impl);
  return TlsState::kDone;
}

Result<TlsIo> TlsSession::Read(MutableByteView out) {
  Impl& impl = *impl_;
  if (!impl.failed.ok()) return impl.failed;
  if (impl.closed) return TlsIo{TlsState::kClosed, 0};
  if (!impl.handshake_done) return FailedPrecondition("TLS Read before the handshake is done");
  if (out.empty()) return InvalidArgument("TLS Read into an empty buffer");
  int ret = mbedtls_ssl_read(&impl.ssl, out.data(), out.size());
  if (ret > 0) return TlsIo{TlsState::kDone, static_cast<size_t>(ret)};
  if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
    impl.closed = true;
    return TlsIo{TlsState::kClosed, 0};
  }
  CARNET_ASSIGN_OR_RETURN(TlsState state, StateFor(impl, ret, "TLS read"));
  return TlsIo{state, 0};
}

Result<TlsIo> TlsSession::Write(ByteView data) {
  Impl& impl = *impl_;
  if (!impl.failed.ok()) return impl.failed;
  if (!impl.handshake_done) return FailedPrecondition("TLS Write before the handshake is done");
  if (impl.closed) return FailedPrecondition("TLS Write after close");
  size_t done = 0;
  // mbedtls_ssl_write takes at most one record's worth per call: loop until all is queued.
  while (done < data.size()) {
    int ret = mbedtls_ssl_write(&impl.ssl, data.data() + done, data.size() - done);
    if (ret < 0) {
      CARNET_ASSIGN_OR_RETURN(TlsState state, StateFor(impl, ret, "TLS write"));
      return TlsIo{state, done};
    }
    done += static_cast<size_t>(ret);
  }
  return TlsIo{TlsState::kDone, done};
}

Result<TlsState> TlsSession::Close() {
  Impl& impl = *impl_;
  if (!impl.failed.ok()) return impl.failed;
  if (!impl.handshake_done) return FailedPrecondition("TLS Close before the handshake is done");
  int ret = mbedtls_ssl_close_notify(&impl.ssl);
  impl.closed = true;
  if (ret != 0) return StateFor(impl, ret, "TLS close_notify");
  return TlsState::kDone;
}

bool TlsSession::handshake_done() const { return impl_->handshake_done; }

bool TlsSession::HasBufferedInput() const {
  return impl_->incoming_pos < impl_->incoming.size() ||
         mbedtls_ssl_get_bytes_avail(&impl_->ssl) > 0 || mbedtls_ssl_check_pending(&impl_->ssl);
}

Result<Bytes> TlsSession::PeerCertificateDer() const {
  if (!impl_->handshake_done) return FailedPrecondition("no peer certificate before handshake");
  const mbedtls_x509_crt* peer = mbedtls_ssl_get_peer_cert(&impl_->ssl);
  if (peer == nullptr) return NotFound("the peer presented no certificate");
  return Bytes(peer->raw.p, peer->raw.p + peer->raw.len);
}

bool TlsSession::SessionReused() const { return impl_->handshake_done && impl_->resumed; }

std::string TlsSession::CipherSuite() const {
  const char* name = mbedtls_ssl_get_ciphersuite(&impl_->ssl);
  return name != nullptr ? name : "";
}

int TlsSession::CipherSuiteId() const {
  const char* name = mbedtls_ssl_get_ciphersuite(&impl_->ssl);
  return name != nullptr ? mbedtls_ssl_get_ciphersuite_id(name) : 0;
}

std::string TlsSession::Version() const {
  const char* v = mbedtls_ssl_get_version(&impl_->ssl);
  return v != nullptr ? v : "";
}

}  // namespace carnet::crypto::tls
