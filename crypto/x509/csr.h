#pragma once
// Certificate requests and issuing: `carnet-terminal enroll` makes a PKCS#10 request with its
// device key; `carnet-node enroll-terminal` checks the request's self-signature and issues a
// certificate with the operator's terminal CA. The test PKI (pki.h) issues through the same
// code, so what tests trust is what production issues.

#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "crypto/x509/certificate.h"
#include "crypto/x509/name.h"
#include "hal/base/random.h"

namespace carnet::crypto {

// keyUsage bits, with mbedTLS's values (the first byte of the BIT STRING).
inline constexpr unsigned kKuDigitalSignature = 0x80;
inline constexpr unsigned kKuNonRepudiation = 0x40;
inline constexpr unsigned kKuKeyEncipherment = 0x20;
inline constexpr unsigned kKuKeyCertSign = 0x04;
inline constexpr unsigned kKuCrlSign = 0x02;

enum class ExtendedKeyUsage { kServerAuth, kClientAuth };

struct IssueParams {
  Bytes serial;  // big-endian, 1..20 bytes, positive (RFC 5280 §4.1.2.2)
  UnixMillis not_before = 0;
  UnixMillis not_after = 0;
  unsigned key_usage = 0;  // kKu* bits; written as a critical keyUsage extension
  std::vector<ExtendedKeyUsage> ext_key_usage;
  bool is_ca = false;
  int path_len = -1;                      // CA only; -1 = no pathLenConstraint
  std::vector<std::string> dns_names;     // subjectAltName dNSName
  std::vector<std::string> ip_addresses;  // subjectAltName iPAddress, dotted IPv4
};

// Issues a certificate for `subject_key` under `issuer` / `issuer_key` (SHA-256 with RSA
// PKCS#1 v1.5 or ECDSA, by the issuer key's type). A null `issuer` makes a self-signed
// certificate (the subject is then also the issuer). Fails if `issuer_key` is not the key of
// `issuer`, or the parameters are inconsistent (no key usage, serial out of range...).
Result<Certificate> IssueCertificate(const DistinguishedName& subject,
                                     const PublicKey& subject_key,
                                     const IssueParams& params,
                                     const Certificate* issuer,
                                     const PrivateKey& issuer_key,
                                     Random& rng);
// The same with the subject Name already DER-encoded (copied verbatim, e.g. from a CSR).
Result<Certificate> IssueCertificateForName(ByteView subject_name_der,
                                            const PublicKey& subject_key,
                                            const IssueParams& params,
                                            const Certificate* issuer,
                                            const PrivateKey& issuer_key,
                                            Random& rng);

// PKCS#10 (RFC 2986) request for `key`'s public key and `subject`, signed with `key`. DER.
Result<Bytes> MakeCsr(const PrivateKey& key, const DistinguishedName& subject, Random& rng);
std::string CsrToPem(ByteView csr_der);
// The DER of the first "CERTIFICATE REQUEST" PEM block.
Result<Bytes> CsrFromPem(std::string_view pem);

// What a CSR asks for, after its self-signature verified (proof that the requester holds the
// private key: without it, anyone could get a certificate for someone else's public key and
// claim their signatures).
struct VerifiedCsr {
  Bytes subject_der;
  std::string subject;  // printable, for logs and confirmation prompts
  PublicKey public_key;
};
Result<VerifiedCsr> VerifyCsr(ByteView csr_der);

// VerifyCsr, then IssueCertificateForName with the CSR's subject and key.
Result<Certificate> IssueFromCsr(ByteView csr_der,
                                 const Certificate& ca,
                                 const PrivateKey& ca_key,
                                 const IssueParams& params,
                                 Random& rng);

}  // namespace carnet::crypto
