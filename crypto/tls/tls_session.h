#pragma once
// One TLS connection, transport-agnostic: no socket inside. The owner moves bytes between the
// session and its transport (an Asio socket on the node, a blocking socket on the terminal,
// another session in tests).
//
// Buffers and ownership:
//   - Feed(bytes) copies bytes received from the transport into the session's input buffer
//     (at most kMaxBufferedInput unconsumed bytes; more is kResourceExhausted).
//   - Every call that produces records (Handshake, Write, Read — which may answer alerts —,
//     Close) appends them to the output buffer; TakeOutgoing() hands the whole buffer over
//     (the caller owns it and writes all of it to the transport). Call it after each call.
//   - Read(out) decrypts into the caller's buffer; Write(data) encrypts all of `data` (split
//     into as many records as needed) before returning.
//
// States (TlsState) returned with success:
//   kDone      the step finished (handshake complete; Read returned bytes > 0; Write
//              consumed all the data; Close queued close_notify);
//   kWantRead  more input is needed: Feed bytes from the transport, then call again;
//   kWantWrite never returned in this buffered mode (output is never refused); kept for
//              transports that bound it;
//   kClosed    (Read) the peer sent close_notify: no more data will come.
// Errors are a Status (TlsError, tls_error.h: peer certificate refused -> kUnauthenticated,
// malformed input -> kInvalidArgument, ...). After an error the session is dead: every later
// call returns the same error, but TakeOutgoing() still gives the alert to send.
//
// Read contract: after Handshake or a Read returns kDone, more data may already be buffered:
// keep calling Read until it returns kWantRead (HasBufferedInput() tells the same).
//
// A session is used by one thread at a time; its context may be shared.

#include <cstddef>
#include <memory>
#include <string>

#include "crypto/tls/tls_context.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::crypto::tls {

enum class TlsState { kDone, kWantRead, kWantWrite, kClosed };
std::string_view TlsStateName(TlsState state);

struct TlsIo {
  TlsState state;
  size_t bytes;  // Read: bytes written into `out`; Write: bytes of `data` consumed
};

class TlsSession {
 public:
  static constexpr size_t kMaxBufferedInput = 1 << 20;

  static Result<std::unique_ptr<TlsSession>> Create(std::shared_ptr<const TlsContext> context);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  Status Feed(ByteView bytes);
  Bytes TakeOutgoing();
  size_t outgoing_size() const;

  Result<TlsState> Handshake();
  Result<TlsIo> Read(MutableByteView out);
  Result<TlsIo> Write(ByteView data);
  // Queues close_notify. The session cannot send data afterwards.
  Result<TlsState> Close();

  bool handshake_done() const;
  bool HasBufferedInput() const;

  // After the handshake: the peer's leaf certificate (DER) — on the node, the terminal's
  // certificate, whose subject names the terminal. Also on resumed sessions (the ticket
  // carries it). kFailedPrecondition before the handshake.
  Result<Bytes> PeerCertificateDer() const;
  bool SessionReused() const;
  std::string CipherSuite() const;  // e.g. "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256"
  int CipherSuiteId() const;        // IANA number, e.g. 0xC02B
  std::string Version() const;      // "TLSv1.2"

  struct Impl;
  Impl* impl() const { return impl_.get(); }  // crypto/tls internal (tls_internal.h)

 private:
  explicit TlsSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace carnet::crypto::tls
