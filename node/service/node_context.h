#pragma once
// NodeContext: everything a running node opens from its configuration (node/config), in one
// place, so that `carnet-node serve` and the operator commands (trace, enroll, revoke,
// import-directory, retention) open the same files the same way.
//
// Two depths:
//   - OpenStore(config): the database (node/store SqliteStore, migrations applied), the KEK
//     (store.kek_file, 0600), the trace log over that database and the log signing key
//     (trace.log_key) with its public key. Enough for every operator command that reads or
//     writes the store or the log. Needs no trust anchors.
//   - Open(config): OpenStore plus what request handling needs: the terminal registry
//     (terminals.registry; a missing file is an empty registry), the directory
//     (directory.file; a missing file is an empty directory: every professional is then
//     refused, which `serve` reports on start), the terminal trust store (tls.terminal_ca +
//     terminals.crl), the IGC-Santé trust store (roots, intermediates, CRLs), the pinned
//     e-CPS provider keys, the Vitale CA (for presence proofs), the embedded habilitation
//     matrix with its policy Engine, and the Authenticator built over all of it.
//
// Errors name the file and what to do ("... : run `carnet-node init` or fix store.kek_file").
// The context owns everything; references it hands out live as long as it does. The clock
// and RNG are the system ones unless the options give others (tests).
//
// Thread-safety: after Open, every accessor is safe from any thread; the store, the trace log
// and the authenticator are themselves thread-safe. Reloading (a new directory or registry)
// means opening a new context (or calling ReloadAuthn, below, when no request is in flight).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "crypto/core/secret.h"
#include "crypto/x509/presence_proof.h"
#include "crypto/x509/trust_store.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"
#include "node/authn/authenticator.h"
#include "node/authn/terminal_registry.h"
#include "node/config/config.h"
#include "node/directory/directory.h"
#include "node/policy/engine.h"
#include "node/policy/matrix.h"
#include "node/store/sqlite_store.h"
#include "node/trace/trace_log.h"

namespace carnet::node::service {

// node.conf has no option for the e-CPS provider's issuer yet: every pinned key is taken as
// that of this issuer (the test PKI's provider) unless the options say otherwise.
inline constexpr char kDefaultEcpsIssuer[] = "https://ecps.test.carnet/";

struct ContextOptions {
  const Clock* clock = nullptr;  // nullptr = the system clock (owned by the context)
  Random* rng = nullptr;         // nullptr = the system RNG (owned by the context)
  std::string ecps_issuer = kDefaultEcpsIssuer;
};

class NodeContext {
 public:
  // Store, KEK, trace log, log key only (see above).
  static Result<std::unique_ptr<NodeContext>> OpenStore(const config::NodeConfig& config,
                                                        const ContextOptions& options = {});
  // Everything a serving node needs (see above).
  static Result<std::unique_ptr<NodeContext>> Open(const config::NodeConfig& config,
                                                   const ContextOptions& options = {});
  ~NodeContext();
  NodeContext(const NodeContext&) = delete;
  NodeContext& operator=(const NodeContext&) = delete;

  const config::NodeConfig& config() const { return config_; }
  const Clock& clock() const { return *clock_; }
  Random& rng() const { return *rng_; }

  // --- OpenStore and Open ---
  store::SqliteStore& store() const { return *store_; }
  const crypto::SecretBytes& kek() const { return kek_; }
  trace::TraceLog& trace_log() const { return *trace_log_; }
  const crypto::PrivateKey& log_key() const { return *log_key_; }
  // The public half of log_key (also written at trace.log_public_key).
  const crypto::PublicKey& log_public_key() const { return *log_public_key_; }

  // --- Open only (precondition: the context was made by Open) ---
  const authn::TerminalRegistry& registry() const { return *registry_; }
  const directory::Directory& directory() const { return *directory_; }
  const crypto::TrustStore& terminal_trust() const { return *terminal_trust_; }
  const crypto::TrustStore& igc_trust() const { return *igc_trust_; }
  // nullopt when trust.vitale_ca is not configured: presence proofs cannot be checked and a
  // request carrying one is refused (service README).
  const std::optional<crypto::VitaleTrust>& vitale_trust() const { return vitale_trust_; }
  const policy::HabilitationMatrix& matrix() const { return *matrix_; }
  const policy::Engine& engine() const { return *engine_; }
  const authn::Authenticator& authenticator() const { return *authenticator_; }
  bool has_authn() const { return authenticator_ != nullptr; }

  // Re-reads the registry and the directory and rebuilds the authenticator (after
  // enroll/revoke/import-directory). Not thread-safe: only with no request in flight.
  Status ReloadAuthn();

 private:
  NodeContext() = default;
  Status OpenStoreParts(const ContextOptions& options);
  Status OpenAuthnParts(const ContextOptions& options);
  Status BuildAuthenticator();

  config::NodeConfig config_;
  std::unique_ptr<Clock> owned_clock_;
  std::unique_ptr<Random> owned_rng_;
  const Clock* clock_ = nullptr;
  Random* rng_ = nullptr;

  std::unique_ptr<store::SqliteStore> store_;
  crypto::SecretBytes kek_;
  std::unique_ptr<trace::TraceLog> trace_log_;
  std::unique_ptr<crypto::PrivateKey> log_key_;
  std::unique_ptr<crypto::PublicKey> log_public_key_;

  std::string ecps_issuer_;
  std::unique_ptr<authn::TerminalRegistry> registry_;
  std::unique_ptr<directory::Directory> directory_;
  std::unique_ptr<crypto::TrustStore> terminal_trust_;
  std::unique_ptr<crypto::TrustStore> igc_trust_;
  std::vector<authn::EcpsProvider> providers_;
  std::optional<crypto::VitaleTrust> vitale_trust_;
  std::unique_ptr<policy::HabilitationMatrix> matrix_;
  std::unique_ptr<policy::Engine> engine_;
  std::unique_ptr<authn::Authenticator> authenticator_;
};

}  // namespace carnet::node::service
