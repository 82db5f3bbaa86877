// Certificate issuing: builds the TBSCertificate with der.h and signs it with the issuer key.
#include <arpa/inet.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>

#include "crypto/core/hash.h"
#include "crypto/x509/certificate_internal.h"
#include "crypto/x509/csr.h"
#include "crypto/x509/der.h"
#include "crypto/x509/signing_internal.h"

namespace carnet::crypto {
namespace {

Bytes Extension(std::string_view oid, bool critical, ByteView value) {
  if (critical) {
    return der::Sequence({der::Oid(oid), der::Boolean(true), der::Tlv(der::kOctetString, value)});
  }
  return der::Sequence({der::Oid(oid), der::Tlv(der::kOctetString, value)});
}

// keyUsage as a DER named BIT STRING: trailing zero bits dropped (X.690 §11.2.2).
Bytes KeyUsageBits(unsigned ku) {
  auto byte = static_cast<uint8_t>(ku & 0xFF);
  uint8_t unused = 0;
  while (unused < 7 && (byte & (1u << unused)) == 0) ++unused;
  const uint8_t body[2] = {unused, byte};
  return der::Tlv(der::kBitString, ByteView(body, 2));
}

Result<Bytes> SubjectAltName(const IssueParams& p) {
  Bytes names;
  for (const std::string& dns : p.dns_names) {
    if (dns.empty() || dns.size() > 253) return InvalidArgument("bad DNS name in SAN");
    Append(names, der::Tlv(der::ContextPrimitive(2), AsBytes(dns)));
  }
  for (const std::string& ip : p.ip_addresses) {
    uint8_t addr[4];
    if (inet_pton(AF_INET, ip.c_str(), addr) != 1) return InvalidArgument("bad IPv4 '" + ip + "'");
    Append(names, der::Tlv(der::ContextPrimitive(7), ByteView(addr, 4)));
  }
  return der::Tlv(der::kSequence, names);
}

Result<Bytes> Extensions(const IssueParams& p, const PublicKey& subject_key, const PublicKey& ca) {
  Bytes exts;
  Bytes bc_body;
  if (p.is_ca) {
    Append(bc_body, der::Boolean(true));
    if (p.path_len >= 0) Append(bc_body, der::SmallInteger(static_cast<uint32_t>(p.path_len)));
  }
  Append(exts, Extension(MBEDTLS_OID_BASIC_CONSTRAINTS, true, der::Tlv(der::kSequence, bc_body)));
  Append(exts, Extension(MBEDTLS_OID_KEY_USAGE, true, KeyUsageBits(p.key_usage)));
  if (!p.ext_key_usage.empty()) {
    Bytes oids;
    for (ExtendedKeyUsage e : p.ext_key_usage) {
      Append(oids, der::Oid(e == ExtendedKeyUsage::kServerAuth ? MBEDTLS_OID_SERVER_AUTH
                                                               : MBEDTLS_OID_CLIENT_AUTH));
    }
    Append(exts, Extension(MBEDTLS_OID_EXTENDED_KEY_USAGE, false, der::Tlv(der::kSequence, oids)));
  }
  if (!p.dns_names.empty() || !p.ip_addresses.empty()) {
    CARNET_ASSIGN_OR_RETURN(Bytes san, SubjectAltName(p));
    Append(exts, Extension(MBEDTLS_OID_SUBJECT_ALT_NAME, false, san));
  }
  Append(exts, Extension(MBEDTLS_OID_SUBJECT_KEY_IDENTIFIER, false,
                         der::Tlv(der::kOctetString, KeyIdentifier(subject_key))));
  Bytes aki = der::Tlv(der::kSequence, der::Tlv(der::ContextPrimitive(0), KeyIdentifier(ca)));
  Append(exts, Extension(MBEDTLS_OID_AUTHORITY_KEY_IDENTIFIER, false, aki));
  return der::Explicit(3, der::Tlv(der::kSequence, exts));
}

Status CheckParams(const IssueParams& p) {
  if (p.serial.empty() || p.serial.size() > 20)
    return InvalidArgument("serial must be 1..20 bytes");
  bool all_zero = true;
  for (uint8_t b : p.serial) all_zero = all_zero && b == 0;
  if (all_zero) return InvalidArgument("serial must be positive");
  if (p.not_after <= p.not_before) return InvalidArgument("notAfter must be after notBefore");
  if (p.key_usage == 0) return InvalidArgument("a certificate needs a key usage");
  if (!p.is_ca && (p.key_usage & kKuKeyCertSign) != 0) {
    return InvalidArgument("keyCertSign on a non-CA certificate");
  }
  if (!p.is_ca && p.path_len >= 0) return InvalidArgument("pathLen on a non-CA certificate");
  return Status::Ok();
}

}  // namespace

Bytes SignatureAlgorithmFor(KeyType type) {
  if (type == KeyType::kRsa) {
    return der::Sequence({der::Oid(MBEDTLS_OID_PKCS1_SHA256), der::Tlv(der::kNull, {})});
  }
  return der::Sequence({der::Oid(MBEDTLS_OID_ECDSA_SHA256)});
}

Result<Bytes> SignAndWrap(ByteView tbs, const PrivateKey& key, Random& rng) {
  const bool rsa = key.type() == KeyType::kRsa;
  CARNET_ASSIGN_OR_RETURN(
      Bytes sig, key.Sign(rsa ? SignatureScheme::kRs256 : SignatureScheme::kEs256, tbs, rng));
  if (!rsa) {
    // X.509 carries ECDSA signatures as DER SEQUENCE { r, s }; our keys sign raw r||s.
    CARNET_ASSIGN_OR_RETURN(sig, EcdsaRawToDer(sig));
  }
  return der::Sequence({tbs, SignatureAlgorithmFor(key.type()), der::BitString(sig)});
}

Bytes KeyIdentifier(const PublicKey& key) {
  Sha256Digest d = Sha256(key.ToDer());
  return Bytes(d.begin(), d.begin() + 20);
}

Result<Certificate> IssueCertificateForName(ByteView subject_name_der,
                                            const PublicKey& subject_key,
                                            const IssueParams& params,
                                            const Certificate* issuer,
                                            const PrivateKey& issuer_key,
                                            Random& rng) {
  CARNET_TRY(CheckParams(params));
  PublicKey ca_public = issuer_key.public_key();
  if (issuer != nullptr) {
    // Signing with a key that is not the issuer certificate's would produce a certificate
    // nobody can verify; catch the misconfiguration here rather than at the relying party.
    if (issuer->public_key().ToDer() != ca_public.ToDer()) {
      return InvalidArgument("CA key does not match the CA certificate");
    }
    CARNET_TRY(issuer->KeyUsageAllows(Purpose::kCertificateSigning).Annotate("issuing"));
  } else if (subject_key.ToDer() != ca_public.ToDer()) {
    return InvalidArgument("self-signed certificate: subject key is not the signing key");
  }
  Bytes issuer_name = issuer != nullptr ? issuer->SubjectDer()
                                        : Bytes(subject_name_der.begin(), subject_name_der.end());
  CARNET_ASSIGN_OR_RETURN(Bytes not_before, der::Time(params.not_before));
  CARNET_ASSIGN_OR_RETURN(Bytes not_after, der::Time(params.not_after));
  CARNET_ASSIGN_OR_RETURN(Bytes extensions, Extensions(params, subject_key, ca_public));
  Bytes tbs = der::Sequence(
      {der::Explicit(0, der::SmallInteger(2)), der::UnsignedInteger(params.serial),
       SignatureAlgorithmFor(issuer_key.type()), issuer_name,
       der::Sequence({not_before, not_after}), subject_name_der, subject_key.ToDer(), extensions});
  CARNET_ASSIGN_OR_RETURN(Bytes cert, SignAndWrap(tbs, issuer_key, rng));
  return Certificate::FromDer(cert);
}

Result<Certificate> IssueCertificate(const DistinguishedName& subject,
                                     const PublicKey& subject_key,
                                     const IssueParams& params,
                                     const Certificate* issuer,
                                     const PrivateKey& issuer_key,
                                     Random& rng) {
  CARNET_ASSIGN_OR_RETURN(Bytes name, EncodeName(subject));
  return IssueCertificateForName(name, subject_key, params, issuer, issuer_key, rng);
}

Status VerifyTbsSignature(const mbedtls_x509_buf& tbs,
                          mbedtls_md_type_t md_type,
                          mbedtls_pk_type_t sig_pk,
                          const void* sig_opts,
                          mbedtls_pk_context& key,
                          const mbedtls_x509_buf& sig,
                          std::string_view what) {
  const std::string name(what);
  if (md_type != MBEDTLS_MD_SHA256 && md_type != MBEDTLS_MD_SHA384 &&
      md_type != MBEDTLS_MD_SHA512) {
    return Unauthenticated(name + " signed with a hash other than SHA-256/384/512");
  }
  const mbedtls_md_info_t* md = mbedtls_md_info_from_type(md_type);
  if (md == nullptr) return Unauthenticated(name + ": hash not available");
  unsigned char hash[MBEDTLS_MD_MAX_SIZE];
  int ret = mbedtls_md(md, tbs.p, tbs.len, hash);
  if (ret != 0) return MbedtlsError(ret, "hashing " + name);
  if (mbedtls_pk_can_do(&key, sig_pk) == 0) {
    return Unauthenticated(name + ": signature algorithm does not match the key type");
  }
  ret = mbedtls_pk_verify_ext(sig_pk, sig_opts, &key, md_type, hash, mbedtls_md_get_size(md), sig.p,
                              sig.len);
  if (ret != 0) return MbedtlsError(ret, name, StatusCode::kUnauthenticated);
  return Status::Ok();
}

}  // namespace carnet::crypto
