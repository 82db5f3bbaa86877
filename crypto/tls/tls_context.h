#pragma once
// TLS configuration for both ends of the terminal <-> node link (DESIGN.md §3), on mbedTLS 2.28.
//
// Fixed policy, not options (one place to review):
//   - TLS 1.2 only (min = max = 1.2);
//   - cipher suites, in preference order: ECDHE-ECDSA-AES128-GCM-SHA256,
//     ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-ECDSA-CHACHA20-POLY1305-SHA256 — forward secret
//     AEAD suites only, so no CBC padding oracles and no static-key decryption;
//   - ECDHE group and certificate keys: P-256 only; handshake signature hashes SHA-256,
//     SHA-384, SHA-512 (never SHA-1 or MD5); certificate chains: EC keys on P-256 / P-384
//     signed with SHA-256 or better;
//   - the peer must present a certificate (MBEDTLS_SSL_VERIFY_REQUIRED on both sides) that
//     chains to the configured anchors: on the client, the pinned operator CA is the *only*
//     anchor (no system store), and the server name is checked;
//   - renegotiation disabled, and a peer without RFC 5746 secure renegotiation is refused
//     (MBEDTLS_SSL_LEGACY_BREAK_HANDSHAKE): no renegotiation-based injection (CVE-2009-3555);
//   - session tickets (RFC 5077) on: server keys AES-256-GCM, rotated every
//     ticket_key_lifetime_s; the client keeps its last session and resumes it.
//
// A context is immutable once built and may be shared by sessions on several threads: its
// CTR-DRBG and ticket keys are mbedTLS objects with their own mutex (MBEDTLS_THREADING_PTHREAD
// in Debian's build); the client's saved session is behind a mutex here.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/core/pk.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::crypto::tls {

struct ServerOptions {
  std::vector<Bytes> chain_der;      // the node's certificate first, then intermediates
  const PrivateKey* key = nullptr;   // its EC P-256 key; copied, need not outlive the call
  std::vector<Bytes> client_ca_der;  // anchors for client certificates (terminal CA, ...)
  // Revocation lists (DER or PEM) of those anchors: a client whose certificate is listed fails
  // the handshake. mbedTLS judges them at the system clock (an expired list refuses everyone).
  std::vector<Bytes> client_crls;
  uint32_t ticket_key_lifetime_s = 86400;
};

struct ClientOptions {
  std::vector<Bytes> chain_der;      // device certificate first; empty = present none
  const PrivateKey* key = nullptr;   // its EC P-256 key; copied; required with chain_der
  std::vector<Bytes> server_ca_der;  // the pinned operator CA(s): the only trust anchors
  std::string server_name;           // must match the server certificate (SAN dNSName / CN)
  bool resume_sessions = true;       // keep the last session and offer it (ticket) next time
};

class TlsContext {
 public:
  // Fails (kInvalidArgument) on a missing or unparsable certificate or key, a key that is
  // not EC P-256, a key that does not match the leaf certificate, no anchors, or (client)
  // no server name.
  static Result<std::shared_ptr<TlsContext>> Server(const ServerOptions& options);
  static Result<std::shared_ptr<TlsContext>> Client(const ClientOptions& options);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  bool is_server() const;
  // Client: drops the saved session, so that the next handshake is a full one.
  void ForgetSession() const;

  struct Impl;
  Impl* impl() const { return impl_.get(); }  // crypto/tls internal (tls_internal.h)

 private:
  explicit TlsContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The DER of every CERTIFICATE block of a PEM text / file, in order (a chain file is leaf
// first). For a crypto::Certificate, pass its der().
Result<std::vector<Bytes>> CertificatesFromPem(std::string_view pem);
Result<std::vector<Bytes>> CertificatesFromPemFile(const std::string& path);

}  // namespace carnet::crypto::tls
