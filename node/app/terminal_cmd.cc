// `carnet-node enroll-terminal` and `carnet-node revoke-terminal`: the operator certifies a
// terminal's (or the portal's) device key with the terminal CA and records it in the terminal
// registry, or revokes it (registry + the terminal CA's CRL). node/authn terminal_registry.h
// does the work; this file reads node.conf and the files it names.
#include <cstdio>
#include <string>

#include "crypto/core/pk.h"
#include "crypto/core/random.h"
#include "crypto/x509/certificate.h"
#include "node/app/commands.h"
#include "node/app/operator_cli.h"
#include "node/authn/terminal_registry.h"
#include "node/directory/atomic_file.h"

namespace carnet::node::app {
namespace {

constexpr char kEnrollUsage[] =
    "usage: carnet-node enroll-terminal --config FILE --csr CSR.pem --id ID [--portal] "
    "> CERT.pem\n"
    "\n"
    "Certifies the device key in CSR.pem (PKCS#10, EC P-256 only; its self-signature is\n"
    "checked) with the terminal CA of node.conf ([tls] terminal_ca, terminal_ca_key), records\n"
    "the certificate in the terminal registry ([terminals] registry) and writes it (PEM) on\n"
    "stdout. ID (1..64 of A-Z a-z 0-9 . _ -) becomes the certificate's CN; an ID that is\n"
    "already active is refused (revoke it first). --portal enrolls the patient portal instead\n"
    "of a terminal. The certificate is valid 3 years, never beyond the terminal CA.\n"
    "A running `serve` picks the registry change up when the file changes.\n"
    "Exit 0 enrolled, 1 failed (nothing recorded), 2 usage error.\n";

constexpr char kRevokeUsage[] =
    "usage: carnet-node revoke-terminal --config FILE --id ID\n"
    "\n"
    "Revokes the active terminal ID: writes a new CRL of the terminal CA listing every revoked\n"
    "certificate ([terminals] crl, PEM; first, so that a failure in between still leaves the\n"
    "terminal on the CRL), then marks the registry record revoked, which node/authn refuses\n"
    "(HTTP 401) from the server's next registry reload. When [terminals] crl is not set, the\n"
    "CRL goes to DATA_DIR/terminal-ca.crl.pem and the output says to set [terminals] crl to it.\n"
    "Exit 0 revoked, 1 failed (unknown or already revoked ID...), 2 usage error.\n";

constexpr size_t kMaxCsrBytes = size_t{64} * 1024;
constexpr char kDefaultCrlName[] = "terminal-ca.crl.pem";

// The terminal CA from node.conf: the certificate among [tls] terminal_ca whose public key is
// that of terminal_ca_key (the file may hold several CA certificates during a CA rollover).
struct LoadedCa {
  crypto::Certificate cert;
  crypto::PrivateKey key;
  authn::TerminalCa view() const {
    return authn::TerminalCa{.cert = &cert, .key = &key, .crl_path = crl_path};
  }
  std::string crl_path;
};

// [terminals] crl, or, when it is not set, data_dir/terminal-ca.crl.pem: a revocation always
// produces a CRL, which the operator then names in node.conf (it must exist to be set).
std::string CrlPath(const config::NodeConfig& config) {
  if (!config.terminals.crl.empty()) return config.terminals.crl;
  return config.node.data_dir + "/" + kDefaultCrlName;
}

Result<LoadedCa> LoadTerminalCa(const config::NodeConfig& config) {
  if (config.tls.terminal_ca_key.empty()) {
    return FailedPrecondition(
        "[tls] terminal_ca_key is not set in " + config.config_file +
        ": this node cannot enroll or revoke terminals (set it to the terminal CA's key)");
  }
  auto key = crypto::PrivateKey::FromPemFile(config.tls.terminal_ca_key);
  if (!key.ok())
    return key.status().Annotate("[tls] terminal_ca_key " + config.tls.terminal_ca_key);
  auto certs = crypto::Certificate::FromPemFile(config.tls.terminal_ca);
  if (!certs.ok()) return certs.status().Annotate("[tls] terminal_ca " + config.tls.terminal_ca);
  Bytes spki = key->public_key().ToDer();
  for (crypto::Certificate& cert : *certs) {
    if (cert.public_key().ToDer() == spki) {
      return LoadedCa{std::move(cert), std::move(*key), CrlPath(config)};
    }
  }
  return FailedPrecondition("no certificate in " + config.tls.terminal_ca + " matches the key " +
                            config.tls.terminal_ca_key);
}

struct Common {
  config::NodeConfig config;
  std::string id;
};

// --config and --id, loaded; returns an exit code when it cannot go on.
int LoadCommon(std::string_view cmd, std::string_view usage, const OperatorArgs& a, Common& out) {
  if (!a.error.empty()) return UsageError(cmd, usage, a.error);
  if (!a.positional.empty()) return UsageError(cmd, usage, "unexpected " + a.positional[0]);
  const std::string* config_path = a.Value("--config");
  const std::string* id = a.Value("--id");
  if (config_path == nullptr) return UsageError(cmd, usage, "missing --config FILE");
  if (id == nullptr) return UsageError(cmd, usage, "missing --id ID");
  if (!authn::TerminalIdValid(*id)) {
    return UsageError(cmd, usage, "ID '" + *id + "' must be 1..64 of [A-Za-z0-9._-]");
  }
  auto config = LoadOperatorConfig(*config_path);
  if (!config.ok()) return Fail(cmd, kExitFailed, config.status().message());
  out.config = std::move(*config);
  out.id = *id;
  return 0;
}

}  // namespace

int RunEnrollTerminal(Args args) {
  constexpr std::string_view kCmd = "enroll-terminal";
  OperatorArgs a = ParseOperatorArgs(args, {"--config", "--csr", "--id"}, {"--portal"});
  if (a.help) {
    std::fputs(kEnrollUsage, stdout);
    return 0;
  }
  if (a.error.empty() && a.Value("--csr") == nullptr) a.error = "missing --csr CSR.pem";
  Common c;
  if (int rc = LoadCommon(kCmd, kEnrollUsage, a, c); rc != 0) return rc;
  auto csr = ReadFileLimited(*a.Value("--csr"), kMaxCsrBytes);
  if (!csr.ok()) return Fail(kCmd, kExitFailed, csr.status().Annotate(*a.Value("--csr")).message());
  auto ca = LoadTerminalCa(c.config);
  if (!ca.ok()) return Fail(kCmd, kExitFailed, ca.status().message());
  auto registry = authn::TerminalRegistry::Open(c.config.terminals.registry);
  if (!registry.ok()) return Fail(kCmd, kExitFailed, registry.status().message());
  authn::EnrollOptions options;
  if (a.Has("--portal")) options.role = authn::ClientRole::kPortal;
  auto pem = registry->Enroll(*csr, c.id, ca->view(), SystemClock::Instance(), options,
                              &crypto::Drbg::ForThread());
  if (!pem.ok()) return Fail(kCmd, kExitFailed, pem.status().message());
  std::fputs(pem->c_str(), stdout);
  std::fprintf(stderr, "enrolled %s %s in %s\n", std::string(ClientRoleName(options.role)).c_str(),
               c.id.c_str(), c.config.terminals.registry.c_str());
  return 0;
}

int RunRevokeTerminal(Args args) {
  constexpr std::string_view kCmd = "revoke-terminal";
  OperatorArgs a = ParseOperatorArgs(args, {"--config", "--id"}, {});
  if (a.help) {
    std::fputs(kRevokeUsage, stdout);
    return 0;
  }
  Common c;
  if (int rc = LoadCommon(kCmd, kRevokeUsage, a, c); rc != 0) return rc;
  auto ca = LoadTerminalCa(c.config);
  if (!ca.ok()) return Fail(kCmd, kExitFailed, ca.status().message());
  auto registry = authn::TerminalRegistry::Open(c.config.terminals.registry);
  if (!registry.ok()) return Fail(kCmd, kExitFailed, registry.status().message());
  Status s =
      registry->Revoke(c.id, ca->view(), SystemClock::Instance(), &crypto::Drbg::ForThread());
  if (!s.ok()) return Fail(kCmd, kExitFailed, s.message());
  std::printf("revoked %s in %s; CRL written to %s\n", c.id.c_str(),
              c.config.terminals.registry.c_str(), ca->crl_path.c_str());
  if (c.config.terminals.crl.empty()) {
    std::printf("set [terminals] crl = %s in %s so that serve loads it\n", ca->crl_path.c_str(),
                c.config.config_file.c_str());
  }
  return 0;
}

}  // namespace carnet::node::app
