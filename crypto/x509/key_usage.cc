// The one table that says what a certificate may be used for. Every check names the attack it
// defeats; Certificate::KeyUsageAllows and TrustStore::Verify both come through here.
#include <mbedtls/oid.h>

#include "crypto/x509/certificate_internal.h"

namespace carnet::crypto {
namespace {

enum class CaRule { kMustNotBeCa, kMustBeCa };

struct UsageRule {
  Purpose purpose;
  unsigned required_ku;      // every bit must be set, and the extension must be present
  unsigned forbidden_ku;     // none of these bits may be set
  const char* required_eku;  // MBEDTLS_OID_* body; EKU must be present and list it (or null)
  CaRule ca;
};

// Notes per row (the attack each check defeats):
//
// kCardAuthentication — the CPS AUT key answers INTERNAL AUTHENTICATE challenges.
//   requires digitalSignature: a SIG certificate (nonRepudiation only) cannot log a
//   professional in, so a signature made for a deposit is never replayed as a login proof.
//   not a CA: a card certificate with CA=TRUE would let its holder mint identities.
//
// kCardNonRepudiation — the CPS SIG key signs deposits.
//   requires nonRepudiation: a TLS client certificate or the AUT certificate cannot sign a
//   deposit. The AUT key signs whatever challenge a server or terminal sends; if its signature
//   counted as a deposit signature, a hostile peer could have the card "sign" a document by
//   sending the document's hash as an authentication challenge.
//   forbids digitalSignature: a key certified for both would be exactly that confusion.
//
// kTlsServer — the node.
//   requires EKU serverAuth: a terminal's client certificate, issued under the same operator
//   root, cannot impersonate the node to other terminals (stolen-terminal MITM).
//
// kTlsClient — terminals and the portal.
//   requires EKU clientAuth: the node's server certificate (or a copy of its key on a
//   compromised front end) cannot log in as a terminal.
//
// kCertificateSigning — an issuing CA.
//   requires basicConstraints CA=TRUE and keyCertSign: a leaf certificate cannot act as a CA
//   and issue "professional" or "terminal" certificates (the classic basicConstraints hole).
//
// kDeviceSigning — a terminal's device key signing e-CPS requests.
//   requires digitalSignature and EKU clientAuth (the terminal certificate's only usage): the
//   node's server key cannot sign requests as if it were a terminal.
constexpr UsageRule kRules[] = {
    {Purpose::kCardAuthentication, MBEDTLS_X509_KU_DIGITAL_SIGNATURE, 0, nullptr,
     CaRule::kMustNotBeCa},
    {Purpose::kCardNonRepudiation, MBEDTLS_X509_KU_NON_REPUDIATION,
     MBEDTLS_X509_KU_DIGITAL_SIGNATURE, nullptr, CaRule::kMustNotBeCa},
    {Purpose::kTlsServer, MBEDTLS_X509_KU_DIGITAL_SIGNATURE, 0, MBEDTLS_OID_SERVER_AUTH,
     CaRule::kMustNotBeCa},
    {Purpose::kTlsClient, MBEDTLS_X509_KU_DIGITAL_SIGNATURE, 0, MBEDTLS_OID_CLIENT_AUTH,
     CaRule::kMustNotBeCa},
    {Purpose::kCertificateSigning, MBEDTLS_X509_KU_KEY_CERT_SIGN, 0, nullptr, CaRule::kMustBeCa},
    {Purpose::kDeviceSigning, MBEDTLS_X509_KU_DIGITAL_SIGNATURE, 0, MBEDTLS_OID_CLIENT_AUTH,
     CaRule::kMustNotBeCa},
};

bool HasEku(const mbedtls_x509_crt& crt, std::string_view oid) {
  for (const mbedtls_x509_sequence* s = &crt.ext_key_usage; s != nullptr; s = s->next) {
    if (s->buf.p != nullptr && ToString(BufView(s->buf)) == oid) return true;
  }
  return false;
}

}  // namespace

std::string_view PurposeName(Purpose p) {
  switch (p) {
    case Purpose::kCardAuthentication:
      return "card authentication";
    case Purpose::kCardNonRepudiation:
      return "card non-repudiation signature";
    case Purpose::kTlsServer:
      return "TLS server";
    case Purpose::kTlsClient:
      return "TLS client";
    case Purpose::kCertificateSigning:
      return "certificate signing";
    case Purpose::kDeviceSigning:
      return "device signing";
  }
  return "unknown purpose";
}

Status Certificate::KeyUsageAllows(Purpose purpose) const {
  const mbedtls_x509_crt& crt = impl_->crt;
  const UsageRule* rule = nullptr;
  for (const UsageRule& r : kRules) {
    if (r.purpose == purpose) rule = &r;
  }
  const std::string what = "certificate '" + SubjectString() + "' not usable for " +
                           std::string(PurposeName(purpose)) + ": ";
  if (rule == nullptr) return Internal(what + "no key usage rule for this purpose");
  // An absent keyUsage extension means "any usage" in RFC 5280; for every purpose here we
  // insist on an explicit one, so a certificate only does what its issuer wrote down.
  if ((crt.ext_types & MBEDTLS_X509_EXT_KEY_USAGE) == 0) {
    return PermissionDenied(what + "no keyUsage extension");
  }
  if ((crt.key_usage & rule->required_ku) != rule->required_ku) {
    return PermissionDenied(what + "keyUsage lacks a required bit");
  }
  if ((crt.key_usage & rule->forbidden_ku) != 0) {
    return PermissionDenied(what + "keyUsage has a bit this purpose forbids");
  }
  if (rule->required_eku != nullptr) {
    if ((crt.ext_types & MBEDTLS_X509_EXT_EXTENDED_KEY_USAGE) == 0) {
      return PermissionDenied(what + "no extendedKeyUsage extension");
    }
    if (!HasEku(crt, rule->required_eku)) {
      return PermissionDenied(what + "extendedKeyUsage lacks the required purpose");
    }
  }
  if (rule->ca == CaRule::kMustBeCa && !IsCa()) {
    return PermissionDenied(what + "not a CA (basicConstraints)");
  }
  if (rule->ca == CaRule::kMustNotBeCa && IsCa()) {
    return PermissionDenied(what + "a CA certificate cannot be used as an end entity");
  }
  return Status::Ok();
}

}  // namespace carnet::crypto
