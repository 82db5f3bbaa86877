#pragma once
// The terminals (and the patient portal) this node accepts: which certificates the operator's
// terminal CA issued, to whom, and which were revoked (DESIGN.md §2, §4 step 1 "known,
// unrevoked terminal certificate").
//
// A certificate that chains to the terminal CA is not enough: the CA key could have issued
// certificates outside enrollment (a leaked CSR flow, a test certificate). node/authn accepts a
// client only when the SHA-256 of its exact certificate is recorded here and not revoked.
//
// Stored as JSON (README.md) at config `terminals.registry`, replaced atomically on each change
// (node/directory/atomic_file.h). Not thread-safe: the admin command mutates one instance; the
// server loads its own snapshot and reloads it when the file changes.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/core/hash.h"
#include "crypto/core/pk.h"
#include "crypto/x509/certificate.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::node::authn {

// A terminal signs e-CPS requests for professionals; the portal signs for patients.
enum class ClientRole { kTerminal, kPortal };
std::string_view ClientRoleName(ClientRole role);  // "terminal", "portal"

struct TerminalRecord {
  std::string id;  // the certificate's CN, e.g. "TERM-0001"
  ClientRole role = ClientRole::kTerminal;
  Bytes serial;                        // as Certificate::SerialNumber()
  crypto::Sha256Digest fingerprint{};  // SHA-256 of the certificate DER
  UnixMillis enrolled_at = 0;
  std::optional<UnixMillis> revoked_at;
  bool active() const { return !revoked_at.has_value(); }
};

// The terminal CA, for enrolling and for signing the CRL after a revocation.
struct TerminalCa {
  const crypto::Certificate* cert = nullptr;
  const crypto::PrivateKey* key = nullptr;
  std::string crl_path;  // where Revoke writes the CRL (PEM); "" = no CRL file
  std::chrono::hours crl_validity{24 * 30};
};

struct EnrollOptions {
  ClientRole role = ClientRole::kTerminal;
  std::chrono::hours validity{24 * 365 * 3};
};

// 1..64 characters of [A-Za-z0-9._-].
bool TerminalIdValid(std::string_view id);

class TerminalRegistry {
 public:
  // Loads the registry at `path`; a missing file is an empty registry (created by the first
  // change). A malformed file is an error, never "empty": that would accept nobody silently,
  // or, worse, let a revoked terminal be enrolled again under its old id.
  static Result<TerminalRegistry> Open(std::string path);

  // Verifies the PKCS#10 request (self-signature, EC P-256 key only: the device key), refuses
  // an id that is malformed or already active, issues a certificate with the terminal CA
  // (digitalSignature + EKU clientAuth, random serial, now..now+validity), checks that its CN
  // is `id`, records it and saves. Returns the certificate PEM.
  Result<std::string> Enroll(std::string_view csr_pem,
                             std::string_view id,
                             const TerminalCa& ca,
                             const Clock& clock,
                             const EnrollOptions& options = EnrollOptions{},
                             Random* rng = nullptr);

  // Records a certificate issued elsewhere (the test PKI's terminals); its CN must be `id`.
  Status Register(const crypto::Certificate& cert,
                  std::string_view id,
                  ClientRole role,
                  UnixMillis now);

  // Marks the active record `id` revoked, writes a new CRL of the terminal CA listing every
  // revoked serial (when ca.crl_path is set; before the registry, so that a failure in between
  // leaves the terminal refused by the TLS layer at least), then saves.
  Status Revoke(std::string_view id,
                const TerminalCa& ca,
                const Clock& clock,
                Random* rng = nullptr);

  // A DER CRL of the terminal CA listing every revoked serial; bumps the CRL number.
  Result<Bytes> MakeCrl(const TerminalCa& ca, UnixMillis now, Random* rng = nullptr);

  const TerminalRecord* FindByFingerprint(const crypto::Sha256Digest& fingerprint) const;
  const TerminalRecord* FindActive(std::string_view id) const;
  const std::vector<TerminalRecord>& records() const { return records_; }
  const std::string& path() const { return path_; }

 private:
  explicit TerminalRegistry(std::string path) : path_(std::move(path)) {}
  Status Save() const;
  Status Add(TerminalRecord record);

  std::string path_;
  uint32_t crl_number_ = 0;
  std::vector<TerminalRecord> records_;
};

}  // namespace carnet::node::authn
