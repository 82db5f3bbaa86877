#pragma once
// X.509 certificates, as Carnet needs them: parse, read the IGC-Santé subject fields, check the
// key usage for a purpose. Chain and CRL checks are in trust_store.h.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/status.h"

namespace carnet::crypto {

// What a certificate is being used for; each purpose names the key usage / extended key
// usage it requires (checked in one place, KeyUsageAllows).
enum class Purpose {
  kCardAuthentication,  // CPS AUT key: keyUsage digitalSignature
  kCardNonRepudiation,  // CPS SIG key: keyUsage nonRepudiation (contentCommitment)
  kTlsServer,           // node: digitalSignature + EKU serverAuth
  kTlsClient,           // terminal / portal: digitalSignature + EKU clientAuth
  kCertificateSigning,  // a CA: keyCertSign + basicConstraints CA
  kDeviceSigning,       // terminal device key signing an e-CPS request: digitalSignature
};
std::string_view PurposeName(Purpose p);

// The subject fields IGC-Santé puts in a professional's certificate (DESIGN.md §2):
// CN = idNat ("8" + RPPS), SN and GN the names, title the profession label.
struct HolderName {
  std::string id_nat;
  std::string surname;
  std::string given_name;
  std::string title;
};

// True when `rpps` is 11 digits whose Luhn check (over all 11) passes (cards.md §4).
bool RppsLuhnValid(std::string_view rpps);

class Certificate {
 public:
  static Result<Certificate> FromDer(ByteView der);
  // Every certificate in a PEM file, in file order (a chain file is leaf first).
  static Result<std::vector<Certificate>> FromPem(std::string_view pem);
  static Result<std::vector<Certificate>> FromPemFile(const std::string& path);

  Certificate(Certificate&&) noexcept;
  Certificate& operator=(Certificate&&) noexcept;
  ~Certificate();
  Certificate Clone() const;

  const Bytes& der() const;
  // The subject Name as DER, exactly as in the certificate (the issuer name of what it signs).
  Bytes SubjectDer() const;
  std::string ToPem() const;
  std::string SubjectString() const;  // RFC 4514-ish, for messages
  std::string IssuerString() const;
  std::string CommonName() const;
  Bytes SerialNumber() const;
  UnixMillis NotBefore() const;
  UnixMillis NotAfter() const;
  bool IsCa() const;
  const PublicKey& public_key() const;
  // IGC-Santé holder fields; fails when CN is not an idNat-shaped value.
  Result<HolderName> Holder() const;
  // Checks key usage / EKU / basic constraints against the purpose.
  Status KeyUsageAllows(Purpose purpose) const;

  struct Impl;
  Impl* impl() const { return impl_.get(); }  // crypto/ internal

 private:
  explicit Certificate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace carnet::crypto
