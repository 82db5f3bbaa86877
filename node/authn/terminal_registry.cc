#include "node/authn/terminal_registry.h"

#include <algorithm>

#include "crypto/core/random.h"
#include "crypto/x509/crl.h"
#include "crypto/x509/csr.h"
#include "node/authn/terminal_registry_json.h"
#include "node/directory/atomic_file.h"

namespace carnet::node::authn {
namespace {

constexpr size_t kMaxRegistryBytes = size_t{16} * 1024 * 1024;
constexpr int64_t kHourMillis = int64_t{3600} * 1000;

Random& RngOr(Random* rng) { return rng != nullptr ? *rng : crypto::Drbg::ForThread(); }

// 16 random bytes, the top bit clear so that the INTEGER is positive, never all zero at the
// front (RFC 5280 §4.1.2.2: positive, at most 20 octets).
Result<Bytes> RandomSerial(Random& rng) {
  CARNET_ASSIGN_OR_RETURN(Bytes serial, rng.Generate(16));
  serial[0] = static_cast<uint8_t>((serial[0] & 0x7F) | 0x40);
  return serial;
}

Status CheckCa(const TerminalCa& ca) {
  if (ca.cert == nullptr || ca.key == nullptr) {
    return FailedPrecondition("the terminal CA certificate and key are not configured");
  }
  return Status::Ok();
}

}  // namespace

std::string_view ClientRoleName(ClientRole role) {
  return role == ClientRole::kPortal ? "portal" : "terminal";
}

bool TerminalIdValid(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

Result<TerminalRegistry> TerminalRegistry::Open(std::string path) {
  TerminalRegistry reg(std::move(path));
  auto text = ReadFileLimited(reg.path_, kMaxRegistryBytes);
  if (!text.ok() && text.status().code() == StatusCode::kNotFound) return reg;
  if (!text.ok()) return text.status();
  auto file = internal::ParseRegistryJson(*text);
  if (!file.ok()) return file.status().Annotate(reg.path_);
  reg.crl_number_ = file->crl_number;
  reg.records_ = std::move(file->records);
  return reg;
}

Status TerminalRegistry::Save() const {
  return WriteFileAtomically(path_, internal::WriteRegistryJson({crl_number_, records_}), 0644);
}

Status TerminalRegistry::Add(TerminalRecord record) {
  if (FindActive(record.id) != nullptr) {
    return AlreadyExists("terminal " + record.id + " is already enrolled and active");
  }
  if (FindByFingerprint(record.fingerprint) != nullptr) {
    return AlreadyExists("this certificate is already registered");
  }
  records_.push_back(std::move(record));
  Status s = Save();
  if (!s.ok()) records_.pop_back();  // memory and file stay in agreement
  return s;
}

Result<std::string> TerminalRegistry::Enroll(std::string_view csr_pem,
                                             std::string_view id,
                                             const TerminalCa& ca,
                                             const Clock& clock,
                                             const EnrollOptions& options,
                                             Random* rng) {
  CARNET_TRY(CheckCa(ca));
  if (!TerminalIdValid(id)) return InvalidArgument("terminal id: 1..64 of [A-Za-z0-9._-]");
  if (FindActive(id) != nullptr) {
    return AlreadyExists("terminal " + std::string(id) + " is already enrolled and active");
  }
  CARNET_ASSIGN_OR_RETURN(Bytes csr, crypto::CsrFromPem(csr_pem));
  CARNET_ASSIGN_OR_RETURN(crypto::VerifiedCsr request, crypto::VerifyCsr(csr));
  // The device key lives in the terminal's key store and signs e-CPS requests as ES256 and the
  // TLS handshake with ECDHE-ECDSA: anything but P-256 is a misconfigured or foreign requester.
  if (request.public_key.type() != crypto::KeyType::kEcP256) {
    return InvalidArgument("the request's key is not EC P-256");
  }
  crypto::IssueParams params;
  CARNET_ASSIGN_OR_RETURN(params.serial, RandomSerial(RngOr(rng)));
  params.not_before = clock.Now();
  // Never past the CA's own expiry: the chain would stop verifying there anyway, and a
  // certificate that outlives its issuer only hides the date the fleet must be re-enrolled.
  params.not_after =
      std::min(params.not_before + options.validity.count() * kHourMillis, ca.cert->NotAfter());
  params.key_usage = crypto::kKuDigitalSignature;
  params.ext_key_usage = {crypto::ExtendedKeyUsage::kClientAuth};
  CARNET_ASSIGN_OR_RETURN(crypto::Certificate cert,
                          crypto::IssueFromCsr(csr, *ca.cert, *ca.key, params, RngOr(rng)));
  // The CN is what the node compares with the terminal id of every request: a request naming
  // "TERM-0001" must not be accepted from a certificate issued to "TERM-0002".
  if (cert.CommonName() != id) {
    return InvalidArgument("the request's subject CN \"" + cert.CommonName() + "\" is not \"" +
                           std::string(id) + "\"");
  }
  CARNET_TRY(Add(TerminalRecord{std::string(id), options.role, cert.SerialNumber(),
                                crypto::Sha256(cert.der()), params.not_before, std::nullopt}));
  return cert.ToPem();
}

Status TerminalRegistry::Register(const crypto::Certificate& cert,
                                  std::string_view id,
                                  ClientRole role,
                                  UnixMillis now) {
  if (!TerminalIdValid(id)) return InvalidArgument("terminal id: 1..64 of [A-Za-z0-9._-]");
  if (cert.CommonName() != id) {
    return InvalidArgument("certificate CN \"" + cert.CommonName() + "\" is not \"" +
                           std::string(id) + "\"");
  }
  return Add(TerminalRecord{std::string(id), role, cert.SerialNumber(), crypto::Sha256(cert.der()),
                            now, std::nullopt});
}

Result<Bytes> TerminalRegistry::MakeCrl(const TerminalCa& ca, UnixMillis now, Random* rng) {
  CARNET_TRY(CheckCa(ca));
  crypto::CrlParams params;
  params.this_update = now;
  params.next_update = now + ca.crl_validity.count() * kHourMillis;
  params.crl_number = crl_number_ + 1;
  for (const TerminalRecord& r : records_) {
    if (r.revoked_at) params.revoked.push_back({r.serial, *r.revoked_at});
  }
  CARNET_ASSIGN_OR_RETURN(Bytes crl, crypto::MakeCrl(*ca.cert, *ca.key, params, RngOr(rng)));
  crl_number_ = params.crl_number;
  return crl;
}

Status TerminalRegistry::Revoke(std::string_view id,
                                const TerminalCa& ca,
                                const Clock& clock,
                                Random* rng) {
  auto it = std::find_if(records_.begin(), records_.end(),
                         [&](const TerminalRecord& r) { return r.id == id && r.active(); });
  if (it == records_.end()) return NotFound("no active terminal " + std::string(id));
  it->revoked_at = clock.Now();
  Status s = Status::Ok();
  if (!ca.crl_path.empty()) {
    auto crl = MakeCrl(ca, clock.Now(), rng);
    s = crl.ok() ? WriteFileAtomically(ca.crl_path, crypto::CrlToPem(*crl), 0644) : crl.status();
  }
  if (s.ok()) s = Save();
  // The CRL number stays bumped even on failure: numbers may skip, never repeat (RFC 5280).
  if (!s.ok()) it->revoked_at.reset();
  return s;
}

const TerminalRecord* TerminalRegistry::FindByFingerprint(
    const crypto::Sha256Digest& fingerprint) const {
  for (const TerminalRecord& r : records_) {
    if (r.fingerprint == fingerprint) return &r;
  }
  return nullptr;
}

const TerminalRecord* TerminalRegistry::FindActive(std::string_view id) const {
  for (const TerminalRecord& r : records_) {
    if (r.id == id && r.active()) return &r;
  }
  return nullptr;
}

}  // namespace carnet::node::authn
