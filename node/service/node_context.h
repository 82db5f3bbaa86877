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
// and the authenticator are themselves thread-safe. The registry and directory are reloaded
// when their files change (authn(), below).

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "crypto/core/random.h"
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
  Random* rng = nullptr;         // nullptr = crypto::Drbg::ForThread() on each call
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
  // The options' RNG, else the calling thread's DRBG (a DRBG is not shared between threads).
  Random& rng() const { return rng_ != nullptr ? *rng_ : crypto::Drbg::ForThread(); }

  // --- OpenStore and Open ---
  store::SqliteStore& store() const { return *store_; }
  const crypto::SecretBytes& kek() const { return kek_; }
  trace::TraceLog& trace_log() const { return *trace_log_; }
  const crypto::PrivateKey& log_key() const { return *log_key_; }
  // The public half of log_key (also written at trace.log_public_key).
  const crypto::PublicKey& log_public_key() const { return *log_public_key_; }

  // --- Open only (precondition: the context was made by Open) ---
  const crypto::TrustStore& terminal_trust() const { return *terminal_trust_; }
  const crypto::TrustStore& igc_trust() const { return *igc_trust_; }
  // nullopt when trust.vitale_ca is not configured: presence proofs cannot be checked and a
  // request carrying one is refused (service README).
  const std::optional<crypto::VitaleTrust>& vitale_trust() const { return vitale_trust_; }
  const policy::HabilitationMatrix& matrix() const { return *matrix_; }
  const policy::Engine& engine() const { return *engine_; }

  // The registry, directory and authenticator as of the files on disk: when
  // terminals.registry or directory.file changed since the last call (enroll-terminal,
  // revoke-terminal, import-directory while serving), they are re-read first, so a revoked
  // terminal is refused from its next request on. A file that no longer loads keeps the last
  // good snapshot (and the error is returned by ReloadStatus). Thread-safe; a request keeps
  // the snapshot it started with.
  struct Authn {
    std::unique_ptr<authn::TerminalRegistry> registry;
    std::unique_ptr<directory::Directory> directory;
    std::unique_ptr<authn::Authenticator> authenticator;
    std::string registry_stamp;  // size, mtime and inode of the files read
    std::string directory_stamp;
  };
  std::shared_ptr<const Authn> authn() const;
  Status ReloadStatus() const;

 private:
  NodeContext() = default;
  Status OpenStoreParts(const ContextOptions& options);
  Status OpenAuthnParts(const ContextOptions& options);
  Result<std::shared_ptr<const Authn>> LoadAuthn() const;

  config::NodeConfig config_;
  std::unique_ptr<Clock> owned_clock_;
  const Clock* clock_ = nullptr;
  Random* rng_ = nullptr;

  std::unique_ptr<store::SqliteStore> store_;
  crypto::SecretBytes kek_;
  std::unique_ptr<trace::TraceLog> trace_log_;
  std::unique_ptr<crypto::PrivateKey> log_key_;
  std::unique_ptr<crypto::PublicKey> log_public_key_;

  std::string ecps_issuer_;
  std::unique_ptr<crypto::TrustStore> terminal_trust_;
  std::unique_ptr<crypto::TrustStore> igc_trust_;
  std::vector<std::string> ecps_key_pems_;  // PublicKey does not copy: parsed per build
  std::optional<crypto::VitaleTrust> vitale_trust_;
  std::unique_ptr<policy::HabilitationMatrix> matrix_;
  std::unique_ptr<policy::Engine> engine_;
  mutable std::mutex authn_mu_;
  mutable std::shared_ptr<const Authn> authn_;
  mutable Status reload_status_;
};

}  // namespace carnet::node::service
