#include "node/service/node_context.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "node/store/key_file.h"

namespace carnet::node::service {
namespace {

Status Annotated(Status s, const std::string& what) {
  if (s.ok()) return s;
  return Status(s.code(), what + ": " + s.message());
}

Result<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  std::string text = out.str();
  if (text.size() > size_t{1024} * 1024) return InvalidArgument(path + ": over 1 MiB");
  return text;
}

bool FileExists(const std::string& path) {
  std::ifstream in(path);
  return static_cast<bool>(in);
}

}  // namespace

NodeContext::~NodeContext() = default;

Result<std::unique_ptr<NodeContext>> NodeContext::OpenStore(const config::NodeConfig& config,
                                                            const ContextOptions& options) {
  std::unique_ptr<NodeContext> ctx(new NodeContext());
  ctx->config_ = config;
  CARNET_TRY(ctx->OpenStoreParts(options));
  return ctx;
}

Result<std::unique_ptr<NodeContext>> NodeContext::Open(const config::NodeConfig& config,
                                                       const ContextOptions& options) {
  std::unique_ptr<NodeContext> ctx(new NodeContext());
  ctx->config_ = config;
  CARNET_TRY(ctx->OpenStoreParts(options));
  CARNET_TRY(ctx->OpenAuthnParts(options));
  return ctx;
}

Status NodeContext::OpenStoreParts(const ContextOptions& options) {
  if (options.clock != nullptr) {
    clock_ = options.clock;
  } else {
    owned_clock_ = std::make_unique<SystemClock>();
    clock_ = owned_clock_.get();
  }
  rng_ = options.rng;
  const auto& c = config_;
  auto kek = store::LoadKeyFile(c.store.kek_file);
  if (!kek.ok()) {
    return Annotated(kek.status(), "store.kek_file " + c.store.kek_file +
                                       " (made by `carnet-node init`; it must be 0600)");
  }
  kek_ = std::move(kek).value();
  auto st = store::SqliteStore::Open(c.store.database);
  if (!st.ok()) return Annotated(st.status(), "store.database " + c.store.database);
  store_ = std::move(st).value();
  auto log = trace::TraceLog::Open(*store_);
  if (!log.ok()) return Annotated(log.status(), "trace log in " + c.store.database);
  trace_log_ = std::move(log).value();
  auto key = crypto::PrivateKey::FromPemFile(c.trace.log_key);
  if (!key.ok()) return Annotated(key.status(), "trace.log_key " + c.trace.log_key);
  log_key_ = std::make_unique<crypto::PrivateKey>(std::move(key).value());
  log_public_key_ = std::make_unique<crypto::PublicKey>(log_key_->public_key());
  return Status();
}

Status NodeContext::OpenAuthnParts(const ContextOptions& options) {
  const auto& t = config_.trust;
  ecps_issuer_ = options.ecps_issuer;
  terminal_trust_ = std::make_unique<crypto::TrustStore>();
  CARNET_TRY(Annotated(terminal_trust_->AddRootPemFile(config_.tls.terminal_ca),
                       "tls.terminal_ca " + config_.tls.terminal_ca));
  if (!config_.terminals.crl.empty() && FileExists(config_.terminals.crl)) {
    CARNET_TRY(Annotated(terminal_trust_->AddCrlPemOrDerFile(config_.terminals.crl),
                         "terminals.crl " + config_.terminals.crl));
  }
  igc_trust_ = std::make_unique<crypto::TrustStore>();
  for (const auto& root : t.igc_roots) {
    CARNET_TRY(Annotated(igc_trust_->AddRootPemFile(root), "trust.igc_roots " + root));
  }
  for (const auto& path : t.igc_intermediates) {
    CARNET_ASSIGN_OR_RETURN(auto certs, crypto::Certificate::FromPemFile(path));
    for (const auto& cert : certs) {
      CARNET_TRY(Annotated(igc_trust_->AddIntermediate(cert), "trust.igc_intermediates " + path));
    }
  }
  for (const auto& crl : t.igc_crls) {
    CARNET_TRY(Annotated(igc_trust_->AddCrlPemOrDerFile(crl), "trust.igc_crls " + crl));
  }
  for (const auto& path : t.ecps_provider_keys) {
    CARNET_ASSIGN_OR_RETURN(std::string pem, ReadSmallFile(path));
    auto key = crypto::PublicKey::FromPem(pem);
    if (!key.ok()) return Annotated(key.status(), "trust.ecps_provider_keys " + path);
    ecps_key_pems_.push_back(std::move(pem));
  }
  if (!t.vitale_ca.empty()) {
    CARNET_ASSIGN_OR_RETURN(std::string pem, ReadSmallFile(t.vitale_ca));
    auto key = crypto::PublicKey::FromPem(pem);
    if (!key.ok()) return Annotated(key.status(), "trust.vitale_ca " + t.vitale_ca);
    vitale_trust_ = crypto::VitaleTrust{std::move(key).value(), t.vitale_ca_reference};
  }
  auto matrix = policy::LoadEmbeddedMatrix();
  if (!matrix.ok()) return Annotated(matrix.status(), "embedded habilitation matrix");
  matrix_ = std::make_unique<policy::HabilitationMatrix>(std::move(matrix).value());
  engine_ = std::make_unique<policy::Engine>(*matrix_);
  CARNET_ASSIGN_OR_RETURN(authn_, LoadAuthn());
  return Status();
}

namespace {

// Size, modification time and inode: what changes when a file is replaced atomically.
std::string Stamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "absent";
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ino);
}

}  // namespace

Result<std::shared_ptr<const NodeContext::Authn>> NodeContext::LoadAuthn() const {
  auto out = std::make_shared<Authn>();
  out->registry_stamp = Stamp(config_.terminals.registry);
  out->directory_stamp = Stamp(config_.directory.file);
  auto reg = authn::TerminalRegistry::Open(config_.terminals.registry);
  if (!reg.ok()) return Annotated(reg.status(), "terminals.registry " + config_.terminals.registry);
  out->registry = std::make_unique<authn::TerminalRegistry>(std::move(reg).value());
  out->directory = std::make_unique<directory::Directory>();
  if (FileExists(config_.directory.file)) {
    auto loaded = directory::Directory::Load(config_.directory.file);
    if (!loaded.ok()) {
      return Annotated(loaded.status(), "directory.file " + config_.directory.file +
                                            " (fix it or re-run `carnet-node import-directory`)");
    }
    *out->directory = std::move(loaded).value();
  }
  authn::AuthenticatorOptions options;
  options.freshness_window = config_.auth.freshness_window;
  options.require_crl = config_.auth.require_crl;
  // The protocol's content limit (8 MiB) holds unless node.conf allows smaller bodies.
  const size_t body = config_.limits.max_body_bytes;
  if (body > options.limits.max_overhead &&
      body - options.limits.max_overhead < options.limits.max_content_size) {
    options.limits.max_content_size = body - options.limits.max_overhead;
  }
  std::vector<authn::EcpsProvider> providers;
  if (!ecps_key_pems_.empty()) {
    providers.emplace_back();
    providers.back().issuer = ecps_issuer_;
    for (const auto& pem : ecps_key_pems_) {
      CARNET_ASSIGN_OR_RETURN(auto key, crypto::PublicKey::FromPem(pem));
      providers.back().keys.push_back(std::move(key));
    }
  }
  out->authenticator =
      std::make_unique<authn::Authenticator>(*terminal_trust_, *out->registry, *igc_trust_,
                                             *out->directory, std::move(providers), options);
  return std::shared_ptr<const Authn>(std::move(out));
}

std::shared_ptr<const NodeContext::Authn> NodeContext::authn() const {
  std::lock_guard<std::mutex> lock(authn_mu_);
  if (authn_ == nullptr || authn_->registry_stamp != Stamp(config_.terminals.registry) ||
      authn_->directory_stamp != Stamp(config_.directory.file)) {
    auto loaded = LoadAuthn();
    if (loaded.ok()) {
      authn_ = std::move(loaded).value();
      reload_status_ = Status();
    } else {
      reload_status_ = loaded.status();
    }
  }
  return authn_;
}

Status NodeContext::ReloadStatus() const {
  std::lock_guard<std::mutex> lock(authn_mu_);
  return reload_status_;
}

}  // namespace carnet::node::service
