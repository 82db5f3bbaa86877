#pragma once
// Internal to crypto/tls (and its tests): the mbedTLS objects behind TlsContext and
// TlsSession. Never include outside crypto/.

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>

#include <mutex>

#include "crypto/core/secret.h"
#include "crypto/tls/tls_context.h"
#include "crypto/tls/tls_session.h"
#include "hal/base/random.h"

namespace carnet::crypto::tls {

struct TlsContext::Impl {
  Impl();
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  bool is_server = false;
  bool resume_sessions = false;
  std::string server_name;
  SystemRandom* entropy = nullptr;  // seeds and reseeds `drbg`
  mbedtls_ctr_drbg_context drbg;    // mutex-protected by mbedTLS: shared by all sessions
  mbedtls_x509_crt own_chain;
  mbedtls_pk_context own_key;
  mbedtls_x509_crt anchors;
  mbedtls_x509_crl anchor_crls;        // server: revocation lists of the client CAs (may be empty)
  mbedtls_ssl_ticket_context tickets;  // server only
  mbedtls_ssl_config conf;

  // Client: the last established session, serialized (it holds the master secret).
  mutable std::mutex session_mutex;
  mutable SecretBytes saved_session;
};

struct TlsSession::Impl {
  Impl();
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::shared_ptr<const TlsContext> context;
  mbedtls_ssl_context ssl;
  Bytes incoming;  // received, not yet consumed by mbedTLS, from incoming_pos
  size_t incoming_pos = 0;
  Bytes outgoing;  // records produced, not yet taken
  bool handshake_done = false;
  bool resumed = false;
  bool closed = false;
  Status failed;  // the first error; the session is dead once set
};

}  // namespace carnet::crypto::tls
