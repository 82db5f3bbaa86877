#include "crypto/x509/certificate.h"

#include <mbedtls/oid.h>

#include <cstdlib>

#include "crypto/x509/certificate_internal.h"

namespace carnet::crypto {
namespace {

// A certificate larger than this is not one of ours (card certificates are ~1.5 KiB); the
// bound keeps a hostile peer from making us parse megabytes.
constexpr size_t kMaxCertificateDer = 16 * 1024;
constexpr size_t kMaxPemFile = 1024 * 1024;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = m > 2 ? m - 3 : m + 9;
  const unsigned doy = (153 * mp + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string NameToString(const mbedtls_x509_name& name) {
  char buf[1024];
  int n = mbedtls_x509_dn_gets(buf, sizeof buf, &name);
  return n < 0 ? std::string("<unprintable name>") : std::string(buf, static_cast<size_t>(n));
}

std::string AttributeValue(const mbedtls_x509_name* a) {
  return a == nullptr ? std::string() : ToString(BufView(a->val));
}

}  // namespace

UnixMillis X509TimeToMillis(const mbedtls_x509_time& t) {
  int64_t days = DaysFromCivil(t.year, static_cast<unsigned>(t.mon), static_cast<unsigned>(t.day));
  int64_t secs = days * 86400 + t.hour * 3600 + t.min * 60 + t.sec;
  return secs * 1000;
}

const mbedtls_x509_name* FindNameAttribute(const mbedtls_x509_name* name, std::string_view oid) {
  for (const mbedtls_x509_name* n = name; n != nullptr; n = n->next) {
    if (n->oid.p != nullptr && ToString(BufView(n->oid)) == oid) return n;
  }
  return nullptr;
}

bool RppsLuhnValid(std::string_view rpps) {
  if (rpps.size() != 11) return false;
  int sum = 0;
  for (size_t i = 0; i < rpps.size(); ++i) {
    char c = rpps[rpps.size() - 1 - i];
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

Certificate::Certificate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Certificate::Certificate(Certificate&&) noexcept = default;
Certificate& Certificate::operator=(Certificate&&) noexcept = default;
Certificate::~Certificate() = default;

Result<Certificate> Certificate::FromDer(ByteView der) {
  if (der.empty()) return InvalidArgument("empty certificate");
  if (der.size() > kMaxCertificateDer) {
    return OutOfRange("certificate larger than " + std::to_string(kMaxCertificateDer) + " bytes");
  }
  auto impl = std::make_unique<Impl>();
  int ret = mbedtls_x509_crt_parse_der(&impl->crt, der.data(), der.size());
  if (ret != 0) return MbedtlsError(ret, "parsing certificate", StatusCode::kInvalidArgument);
  // mbedTLS accepts trailing bytes after the certificate SEQUENCE; we do not, so that one
  // certificate has exactly one encoding here.
  if (impl->crt.raw.len != der.size()) return InvalidArgument("trailing bytes after certificate");
  impl->der.assign(der.begin(), der.end());
  CARNET_ASSIGN_OR_RETURN(PublicKey key, PublicKeyFromMbedtls(impl->crt.pk));
  impl->public_key.emplace(std::move(key));
  return Certificate(std::move(impl));
}

Result<std::vector<Certificate>> Certificate::FromPem(std::string_view pem) {
  if (pem.size() > kMaxPemFile) return OutOfRange("PEM input too large");
  CARNET_ASSIGN_OR_RETURN(auto blocks, DecodePemBlocks(pem, "CERTIFICATE"));
  std::vector<Certificate> out;
  for (const Bytes& der : blocks) {
    CARNET_ASSIGN_OR_RETURN(Certificate c, FromDer(der));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Certificate>> Certificate::FromPemFile(const std::string& path) {
  CARNET_ASSIGN_OR_RETURN(Bytes text, ReadSmallFile(path, kMaxPemFile));
  auto certs = FromPem(ToString(text));
  if (!certs.ok()) return certs.status().Annotate(path);
  return certs;
}

Certificate Certificate::Clone() const {
  auto copy = FromDer(impl_->der);
  // The bytes parsed once already; failing now would be a bug, not bad input.
  if (!copy.ok()) std::abort();
  return std::move(copy).value();
}

const Bytes& Certificate::der() const { return impl_->der; }
Bytes Certificate::SubjectDer() const {
  ByteView s = BufView(impl_->crt.subject_raw);
  return Bytes(s.begin(), s.end());
}
std::string Certificate::ToPem() const { return EncodePem(impl_->der, "CERTIFICATE"); }
std::string Certificate::SubjectString() const { return NameToString(impl_->crt.subject); }
std::string Certificate::IssuerString() const { return NameToString(impl_->crt.issuer); }

std::string Certificate::CommonName() const {
  return AttributeValue(FindNameAttribute(&impl_->crt.subject, MBEDTLS_OID_AT_CN));
}

Bytes Certificate::SerialNumber() const {
  ByteView s = BufView(impl_->crt.serial);
  return Bytes(s.begin(), s.end());
}

UnixMillis Certificate::NotBefore() const { return X509TimeToMillis(impl_->crt.valid_from); }
UnixMillis Certificate::NotAfter() const { return X509TimeToMillis(impl_->crt.valid_to); }

bool Certificate::IsCa() const {
  return (impl_->crt.ext_types & MBEDTLS_X509_EXT_BASIC_CONSTRAINTS) != 0 &&
         impl_->crt.ca_istrue != 0;
}

const PublicKey& Certificate::public_key() const { return *impl_->public_key; }

Result<HolderName> Certificate::Holder() const {
  const mbedtls_x509_name* subject = &impl_->crt.subject;
  const mbedtls_x509_name* cn = FindNameAttribute(subject, MBEDTLS_OID_AT_CN);
  if (cn == nullptr) return InvalidArgument("certificate subject has no CN");
  // Two CNs would let a certificate claim two identities, depending on which one a reader
  // picks; refuse rather than choose.
  if (FindNameAttribute(cn->next, MBEDTLS_OID_AT_CN) != nullptr) {
    return InvalidArgument("certificate subject has more than one CN");
  }
  HolderName h;
  h.id_nat = AttributeValue(cn);
  if (h.id_nat.size() != 12 || h.id_nat[0] != '8' || !RppsLuhnValid(h.id_nat.substr(1))) {
    return InvalidArgument("subject CN '" + h.id_nat + "' is not an idNat (\"8\" + RPPS with a " +
                           "valid Luhn digit)");
  }
  h.surname = AttributeValue(FindNameAttribute(subject, MBEDTLS_OID_AT_SUR_NAME));
  h.given_name = AttributeValue(FindNameAttribute(subject, MBEDTLS_OID_AT_GIVEN_NAME));
  h.title = AttributeValue(FindNameAttribute(subject, MBEDTLS_OID_AT_TITLE));
  return h;
}

}  // namespace carnet::crypto
