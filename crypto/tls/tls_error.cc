#include "crypto/tls/tls_error.h"

#include <mbedtls/error.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>

#include <array>
#include <string>

#include "crypto/core/mbedtls_util.h"

namespace carnet::crypto::tls {
namespace {

StatusCode CodeFor(int ret) {
  switch (ret) {
    case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
    case MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE:
    case MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED:
    case MBEDTLS_ERR_SSL_PEER_VERIFY_FAILED:
    case MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE:
    case MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE_VERIFY:
    case MBEDTLS_ERR_SSL_BAD_HS_SERVER_KEY_EXCHANGE:
    case MBEDTLS_ERR_SSL_BAD_HS_FINISHED:
      return StatusCode::kUnauthenticated;
    case MBEDTLS_ERR_SSL_NO_CIPHER_CHOSEN:
    case MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE:
    case MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION:
      return StatusCode::kFailedPrecondition;
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
      return StatusCode::kAborted;
    case MBEDTLS_ERR_SSL_ALLOC_FAILED:
      return StatusCode::kResourceExhausted;
    case MBEDTLS_ERR_SSL_INVALID_RECORD:
    case MBEDTLS_ERR_SSL_INVALID_MAC:
    case MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE:
    case MBEDTLS_ERR_SSL_UNEXPECTED_RECORD:
    case MBEDTLS_ERR_SSL_BAD_HS_CLIENT_HELLO:
    case MBEDTLS_ERR_SSL_BAD_HS_SERVER_HELLO:
    case MBEDTLS_ERR_SSL_BAD_HS_CLIENT_KEY_EXCHANGE:
    case MBEDTLS_ERR_SSL_BAD_HS_CLIENT_KEY_EXCHANGE_RP:
    case MBEDTLS_ERR_SSL_BAD_HS_CLIENT_KEY_EXCHANGE_CS:
    case MBEDTLS_ERR_SSL_BAD_HS_CHANGE_CIPHER_SPEC:
    case MBEDTLS_ERR_SSL_BAD_HS_NEW_SESSION_TICKET:
    case MBEDTLS_ERR_SSL_BAD_HS_SERVER_HELLO_DONE:
    case MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE_REQUEST:
    case MBEDTLS_ERR_SSL_NON_FATAL:
      return StatusCode::kInvalidArgument;
    default:
      return StatusCode::kInternal;
  }
}

}  // namespace

Status TlsError(int ret, std::string_view what, uint32_t verify_flags) {
  Status s = MbedtlsError(ret, what, CodeFor(ret));
  if (verify_flags == 0) return s;
  // Spell out why the peer's certificate was refused ("The certificate is not correctly
  // signed by the trusted CA", "The certificate Common Name (CN) does not match ...").
  std::array<char, 512> info{};
  int n = mbedtls_x509_crt_verify_info(info.data(), info.size(), "", verify_flags);
  std::string reasons = n > 0 ? std::string(info.data(), static_cast<size_t>(n)) : "";
  for (char& c : reasons) {
    if (c == '\n') c = ';';
  }
  while (!reasons.empty() && (reasons.back() == ';' || reasons.back() == ' ')) reasons.pop_back();
  return Status(StatusCode::kUnauthenticated, s.message() + ": peer certificate: " + reasons);
}

}  // namespace carnet::crypto::tls
