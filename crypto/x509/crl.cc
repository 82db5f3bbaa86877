#include "crypto/x509/crl.h"

#include <mbedtls/md.h>
#include <mbedtls/oid.h>

#include <cstring>

#include "crypto/x509/crl_internal.h"
#include "crypto/x509/der.h"
#include "crypto/x509/signing_internal.h"

namespace carnet::crypto {

Result<std::unique_ptr<ParsedCrl>> ParseCrlDer(ByteView der) {
  if (der.empty()) return InvalidArgument("empty CRL");
  if (der.size() > kMaxCrlDer) return OutOfRange("CRL larger than 8 MiB");
  auto parsed = std::make_unique<ParsedCrl>();
  int ret = mbedtls_x509_crl_parse_der(&parsed->crl, der.data(), der.size());
  if (ret != 0) return MbedtlsError(ret, "parsing CRL", StatusCode::kInvalidArgument);
  if (parsed->crl.raw.len != der.size()) return InvalidArgument("trailing bytes after CRL");
  return parsed;
}

Status CheckCrlSignature(const mbedtls_x509_crl& crl, mbedtls_x509_crt& ca) {
  // A CA restricted to certificate signing must not be able to revoke (or un-revoke, by
  // publishing an empty list) certificates of another CA that happens to share its name.
  if ((ca.ext_types & MBEDTLS_X509_EXT_KEY_USAGE) != 0 &&
      (ca.key_usage & MBEDTLS_X509_KU_CRL_SIGN) == 0) {
    return Unauthenticated("CRL issuer's keyUsage lacks cRLSign");
  }
  return VerifyTbsSignature(crl.tbs, crl.sig_md, crl.sig_pk, crl.sig_opts, ca.pk, crl.sig,
                            "CRL signature");
}

bool CrlListsSerial(const mbedtls_x509_crl& crl, const mbedtls_x509_buf& serial) {
  for (const mbedtls_x509_crl_entry* e = &crl.entry; e != nullptr; e = e->next) {
    if (e->serial.p == nullptr) continue;
    if (e->serial.len == serial.len && std::memcmp(e->serial.p, serial.p, serial.len) == 0) {
      return true;
    }
  }
  return false;
}

Result<Bytes> MakeCrl(const Certificate& issuer,
                      const PrivateKey& issuer_key,
                      const CrlParams& params,
                      Random& rng) {
  if (issuer.public_key().ToDer() != issuer_key.public_key().ToDer()) {
    return InvalidArgument("CRL: CA key does not match the CA certificate");
  }
  if (!issuer.IsCa()) return InvalidArgument("CRL: issuer is not a CA");
  if (params.next_update <= params.this_update) {
    return InvalidArgument("CRL: nextUpdate must be after thisUpdate");
  }
  CARNET_ASSIGN_OR_RETURN(Bytes this_update, der::Time(params.this_update));
  CARNET_ASSIGN_OR_RETURN(Bytes next_update, der::Time(params.next_update));
  Bytes entries;
  for (const RevokedCertificate& r : params.revoked) {
    if (r.serial.empty()) return InvalidArgument("CRL: empty serial");
    CARNET_ASSIGN_OR_RETURN(Bytes when, der::Time(r.revocation_date));
    Append(entries, der::Sequence({der::UnsignedInteger(r.serial), when}));
  }
  Bytes crl_number =
      der::Sequence({der::Oid(MBEDTLS_OID_CRL_NUMBER),
                     der::Tlv(der::kOctetString, der::SmallInteger(params.crl_number))});
  Bytes aki = der::Sequence(
      {der::Oid(MBEDTLS_OID_AUTHORITY_KEY_IDENTIFIER),
       der::Tlv(der::kOctetString,
                der::Tlv(der::kSequence,
                         der::Tlv(der::ContextPrimitive(0), KeyIdentifier(issuer.public_key()))))});
  Bytes tbs = der::Sequence({der::SmallInteger(1), SignatureAlgorithmFor(issuer_key.type()),
                             issuer.SubjectDer(), this_update, next_update,
                             // RFC 5280 §5.1.2.6: absent, not empty, when nothing is revoked.
                             entries.empty() ? Bytes() : der::Tlv(der::kSequence, entries),
                             der::Explicit(0, der::Sequence({aki, crl_number}))});
  return SignAndWrap(tbs, issuer_key, rng);
}

std::string CrlToPem(ByteView crl_der) { return EncodePem(crl_der, "X509 CRL"); }

}  // namespace carnet::crypto
