#include "crypto/tls/testing/test_pki.h"

#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include <array>

#include "crypto/core/mbedtls_util.h"
#include "crypto/core/pk_internal.h"
#include "crypto/core/random.h"

namespace carnet::crypto::tls::testing {
namespace {

struct Writer {
  Writer() {
    mbedtls_x509write_crt_init(&crt);
    mbedtls_mpi_init(&serial);
  }
  ~Writer() {
    mbedtls_x509write_crt_free(&crt);
    mbedtls_mpi_free(&serial);
  }
  mbedtls_x509write_cert crt;
  mbedtls_mpi serial;
};

Status Check(int ret, const char* what) {
  return ret == 0 ? Status::Ok() : MbedtlsError(ret, what);
}

// DER of SEQUENCE { OBJECT IDENTIFIER id-kp-serverAuth / id-kp-clientAuth } (RFC 5280).
Bytes ExtKeyUsage(LeafKind kind) {
  return {0x30, 0x0a, 0x06, 0x08,
          0x2b, 0x06, 0x01, 0x05,
          0x05, 0x07, 0x03, static_cast<uint8_t>(kind == LeafKind::kServer ? 0x01 : 0x02)};
}

// DER of GeneralNames with one dNSName ([2] IMPLICIT IA5String); names < 126 bytes.
Bytes SubjectAltName(const std::string& dns) {
  Bytes out = {0x30, static_cast<uint8_t>(dns.size() + 2), 0x82, static_cast<uint8_t>(dns.size())};
  Append(out, AsBytes(dns));
  return out;
}

Status SetExtension(Writer& w, const char* oid, size_t oid_len, const Bytes& value) {
  return Check(
      mbedtls_x509write_crt_set_extension(&w.crt, oid, oid_len, 0, value.data(), value.size()),
      "setting an extension");
}

// Common fields, then signs with `issuer_key` and returns the DER.
Result<Bytes> Finish(Writer& w,
                     const std::string& subject,
                     const std::string& issuer,
                     PrivateKey& subject_key,
                     const PrivateKey& issuer_key) {
  static int next_serial = 1;
  mbedtls_x509write_crt_set_version(&w.crt, MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(&w.crt, MBEDTLS_MD_SHA256);
  CARNET_TRY(Check(mbedtls_mpi_lset(&w.serial, next_serial++), "serial"));
  CARNET_TRY(Check(mbedtls_x509write_crt_set_serial(&w.crt, &w.serial), "serial"));
  CARNET_TRY(Check(mbedtls_x509write_crt_set_validity(&w.crt, "20240101000000", "20991231235959"),
                   "validity"));
  CARNET_TRY(Check(mbedtls_x509write_crt_set_subject_name(&w.crt, subject.c_str()), "subject"));
  CARNET_TRY(Check(mbedtls_x509write_crt_set_issuer_name(&w.crt, issuer.c_str()), "issuer"));
  mbedtls_x509write_crt_set_subject_key(&w.crt, &subject_key.impl()->pk);
  mbedtls_x509write_crt_set_issuer_key(&w.crt, &issuer_key.impl()->pk);
  std::array<unsigned char, 2048> buf{};
  Drbg& rng = Drbg::ForThread();
  int len = mbedtls_x509write_crt_der(&w.crt, buf.data(), buf.size(), &Drbg::MbedRng, &rng);
  if (len <= 0) return MbedtlsError(len, "writing a test certificate");
  return Bytes(buf.end() - len, buf.end());
}

}  // namespace

Result<TestCert> MakeTestCa(const std::string& common_name) {
  CARNET_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::GenerateEcP256(Drbg::ForThread()));
  std::string subject = "CN=" + common_name + ",O=Carnet test";
  Writer w;
  CARNET_TRY(Check(mbedtls_x509write_crt_set_basic_constraints(&w.crt, 1, -1), "basic c."));
  CARNET_TRY(Check(mbedtls_x509write_crt_set_key_usage(
                       &w.crt, MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN),
                   "key usage"));
  CARNET_ASSIGN_OR_RETURN(Bytes der, Finish(w, subject, subject, key, key));
  return TestCert{std::move(key), std::move(der), subject};
}

Result<TestCert> IssueTestLeaf(const TestCert& ca,
                               const std::string& common_name,
                               LeafKind kind,
                               const std::string& dns_name) {
  CARNET_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::GenerateEcP256(Drbg::ForThread()));
  std::string subject = "CN=" + common_name + ",O=Carnet test";
  Writer w;
  CARNET_TRY(Check(mbedtls_x509write_crt_set_basic_constraints(&w.crt, 0, -1), "basic c."));
  CARNET_TRY(Check(mbedtls_x509write_crt_set_key_usage(&w.crt, MBEDTLS_X509_KU_DIGITAL_SIGNATURE),
                   "key usage"));
  CARNET_TRY(SetExtension(w, MBEDTLS_OID_EXTENDED_KEY_USAGE,
                          MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE), ExtKeyUsage(kind)));
  CARNET_TRY(SetExtension(w, MBEDTLS_OID_SUBJECT_ALT_NAME,
                          MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME),
                          SubjectAltName(dns_name)));
  CARNET_ASSIGN_OR_RETURN(Bytes der, Finish(w, subject, ca.subject, key, ca.key));
  return TestCert{std::move(key), std::move(der), subject};
}

}  // namespace carnet::crypto::tls::testing
