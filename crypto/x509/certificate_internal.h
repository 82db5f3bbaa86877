#pragma once
// Internal to crypto/: the mbedTLS certificate behind Certificate, and conversions shared by
// the x509 code. Never include outside crypto/.

#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>

#include <optional>

#include "crypto/core/pk_internal.h"
#include "crypto/x509/certificate.h"

namespace carnet::crypto {

struct Certificate::Impl {
  Impl() { mbedtls_x509_crt_init(&crt); }
  ~Impl() { mbedtls_x509_crt_free(&crt); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  mbedtls_x509_crt crt;
  Bytes der;
  std::optional<PublicKey> public_key;
};

// mbedTLS's broken-down UTC time to Unix milliseconds (no leap seconds, as X.509 has none).
UnixMillis X509TimeToMillis(const mbedtls_x509_time& t);

// An X.509 buffer as a ByteView.
inline ByteView BufView(const mbedtls_x509_buf& b) { return ByteView(b.p, b.len); }

// The first attribute with `oid` (an MBEDTLS_OID_* string) in a name, or nullptr.
const mbedtls_x509_name* FindNameAttribute(const mbedtls_x509_name* name, std::string_view oid);

// PEM blocks of `label` ("CERTIFICATE", "X509 CRL", ...) in file order, decoded.
Result<std::vector<Bytes>> DecodePemBlocks(std::string_view pem, std::string_view label);
std::string EncodePem(ByteView der, std::string_view label);

// Reads a whole (small) file; refuses files over `max_bytes`.
Result<Bytes> ReadSmallFile(const std::string& path, size_t max_bytes);

}  // namespace carnet::crypto
