#pragma once
// Test-only: a tiny EC P-256 certificate hierarchy made in-process with mbedtls_x509write_crt,
// so that TLS tests need no files and no crypto/x509 issuing API. Certificates are valid from
// 2024 to 2099; CAs have basicConstraints CA:TRUE and keyCertSign; leaves have
// digitalSignature and an extendedKeyUsage of serverAuth or clientAuth, and a dNSName SAN.

#include <string>

#include "crypto/core/pk.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::crypto::tls::testing {

struct TestCert {
  PrivateKey key;
  Bytes der;
  std::string subject;  // mbedTLS string form, "CN=...,O=Carnet test"
};

enum class LeafKind { kServer, kClient };

Result<TestCert> MakeTestCa(const std::string& common_name);
// `dns_name` goes into subjectAltName (and the CN is `common_name`).
Result<TestCert> IssueTestLeaf(const TestCert& ca,
                               const std::string& common_name,
                               LeafKind kind,
                               const std::string& dns_name);

}  // namespace carnet::crypto::tls::testing
