#include "crypto/x509/csr.h"

#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/x509_csr.h>

#include "crypto/x509/certificate_internal.h"
#include "crypto/x509/der.h"
#include "crypto/x509/signing_internal.h"

namespace carnet::crypto {
namespace {

constexpr size_t kMaxCsrDer = 16 * 1024;

struct ParsedCsr {
  ParsedCsr() { mbedtls_x509_csr_init(&csr); }
  ~ParsedCsr() { mbedtls_x509_csr_free(&csr); }
  ParsedCsr(const ParsedCsr&) = delete;
  ParsedCsr& operator=(const ParsedCsr&) = delete;
  mbedtls_x509_csr csr;
};

// The same algorithm policy as the trust store: a weak requested key would end up in a
// certificate the node then trusts.
Status CheckRequestedKey(mbedtls_pk_context& pk) {
  if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA) {
    if (mbedtls_pk_get_bitlen(&pk) < 2048) return InvalidArgument("CSR: RSA key under 2048 bits");
    return Status::Ok();
  }
  if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY) {
    if (mbedtls_pk_ec(pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
      return InvalidArgument("CSR: EC key not on P-256");
    }
    return Status::Ok();
  }
  return InvalidArgument("CSR: unsupported key type");
}

Status CheckCsrSignature(mbedtls_x509_csr& csr) {
  return VerifyTbsSignature(csr.cri, csr.sig_md, csr.sig_pk, csr.sig_opts, csr.pk, csr.sig,
                            "CSR self-signature");
}

}  // namespace

Result<Bytes> MakeCsr(const PrivateKey& key, const DistinguishedName& subject, Random& rng) {
  CARNET_ASSIGN_OR_RETURN(Bytes name, EncodeName(subject));
  // CertificationRequestInfo: version 0, subject, SPKI, attributes [0] (empty set).
  Bytes info =
      der::Sequence({der::SmallInteger(0), name, key.public_key().ToDer(), der::Tlv(0xA0, {})});
  return SignAndWrap(info, key, rng);
}

std::string CsrToPem(ByteView csr_der) { return EncodePem(csr_der, "CERTIFICATE REQUEST"); }

Result<Bytes> CsrFromPem(std::string_view pem) {
  CARNET_ASSIGN_OR_RETURN(auto blocks, DecodePemBlocks(pem, "CERTIFICATE REQUEST"));
  return std::move(blocks.front());
}

Result<VerifiedCsr> VerifyCsr(ByteView csr_der) {
  if (csr_der.empty()) return InvalidArgument("empty CSR");
  if (csr_der.size() > kMaxCsrDer) return OutOfRange("CSR larger than 16 KiB");
  ParsedCsr parsed;
  int ret = mbedtls_x509_csr_parse_der(&parsed.csr, csr_der.data(), csr_der.size());
  if (ret != 0) return MbedtlsError(ret, "parsing CSR", StatusCode::kInvalidArgument);
  if (parsed.csr.raw.len != csr_der.size()) return InvalidArgument("trailing bytes after CSR");
  CARNET_TRY(CheckRequestedKey(parsed.csr.pk));
  CARNET_TRY(CheckCsrSignature(parsed.csr));
  CARNET_ASSIGN_OR_RETURN(PublicKey key, PublicKeyFromMbedtls(parsed.csr.pk));
  char buf[512];
  int n = mbedtls_x509_dn_gets(buf, sizeof buf, &parsed.csr.subject);
  ByteView subject = BufView(parsed.csr.subject_raw);
  return VerifiedCsr{Bytes(subject.begin(), subject.end()),
                     n < 0 ? std::string("?") : std::string(buf, static_cast<size_t>(n)),
                     std::move(key)};
}

Result<Certificate> IssueFromCsr(ByteView csr_der,
                                 const Certificate& ca,
                                 const PrivateKey& ca_key,
                                 const IssueParams& params,
                                 Random& rng) {
  CARNET_ASSIGN_OR_RETURN(VerifiedCsr req, VerifyCsr(csr_der));
  return IssueCertificateForName(req.subject_der, req.public_key, params, &ca, ca_key, rng);
}

}  // namespace carnet::crypto
