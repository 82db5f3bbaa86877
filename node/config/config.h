#pragma once
// The node's configuration file (node.conf): what `carnet-node serve` listens on, which keys
// and trust anchors it uses, its limits and retention periods.
//
// Format: INI. `[section]` lines, `key = value` lines, whole-line `#` comments, blank lines.
// The parser is strict, because a typo in a security setting must not silently fall back to
// a default (a misspelt `require_crl = on` would otherwise leave CRL checks off):
//   - an unknown section or key, a duplicate key or section, a key before any section, a line
//     that is neither, a value of the wrong type or out of range, a trailing inline comment,
//     a control character, a line over 4096 bytes or a file over 1 MiB are all refused with
//     kInvalidArgument "<file>:<line>: <reason>";
//   - options left out take their documented default (DefaultConfigText lists every option,
//     its type, range and default — `carnet-node config defaults` prints it).
// Value types: string; path (relative paths resolve against the config file's directory);
// path list (comma-separated); integer with a range; duration `<n>ms|s|m|h|d` with a range;
// bool `on|off|true|false|yes|no`; host:port (`[::1]:8444` for IPv6, port 0 = any free port).
//
// LoadConfig = read + ParseConfig + ValidateConfigFiles: every configured file exists (key
// files readable by their owner only: a key others can read may already have leaked), the
// admin listener is on loopback, the data directory exists. Trust anchors may be left empty
// (a node just initialised without a test PKI): CheckReadyToServe names what is missing.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hal/base/status.h"

namespace carnet::node::config {

struct NodeConfig {
  std::string config_file;  // absolute path of the file read ("" for ParseConfig text)
  std::string base_dir;     // absolute; relative paths were resolved against it

  struct Node {
    std::string data_dir;
  } node;

  struct Listen {
    std::string host;  // terminals' listener
    uint16_t port = 0;
    std::string admin_host;  // always a loopback address
    uint16_t admin_port = 0;
  } listen;

  struct Tls {
    std::string cert;             // server certificate chain, PEM, leaf first
    std::string key;              // its private key (0600)
    std::string terminal_ca;      // CA certificate(s) that issue terminal/portal client certs
    std::string terminal_ca_key;  // "" = this node cannot enroll terminals
    bool tickets = true;
    std::chrono::milliseconds ticket_lifetime{0};
  } tls;

  struct Limits {
    size_t max_connections = 0;
    size_t max_header_bytes = 0;
    size_t max_body_bytes = 0;
    size_t max_requests_per_connection = 0;
    std::chrono::milliseconds handshake_timeout{0};
    std::chrono::milliseconds idle_timeout{0};
    std::chrono::milliseconds request_timeout{0};
    unsigned io_threads = 0;  // 0 = one per core
    unsigned worker_threads = 0;
  } limits;

  struct Trust {
    std::vector<std::string> igc_roots;  // IGC-Santé root certificates (PEM)
    std::vector<std::string> igc_intermediates;
    std::vector<std::string> igc_crls;            // DER or PEM
    std::string vitale_ca;                        // Vitale CA public key (PEM), "" = not configured
    std::string vitale_ca_reference;              // its CAR as written in the cards' CVCs
    std::vector<std::string> ecps_provider_keys;  // pinned id_token signing keys (PEM)
  } trust;

  struct Auth {
    std::chrono::milliseconds freshness_window{0};
    bool require_crl = true;
  } auth;

  struct Store {
    std::string database;
    std::string kek_file;  // 0600
    size_t group_commit_max_batch = 0;
  } store;

  struct Trace {
    std::string log_key;  // ES256 signing key of the signed tree heads (0600)
    std::string log_public_key;
  } trace;

  struct Directory {
    std::string file;  // RPPS extract; may not exist yet
  } directory;

  struct Terminals {
    std::string registry;  // created by enroll-terminal; may not exist yet
    std::string crl;       // "" = no terminal CRL
  } terminals;

  struct Retention {
    int closed_years = 0;
    int early_deletion_months = 0;
  } retention;
};

// Every option at its default, paths resolved against `base_dir` (made absolute). For tests
// and for tools that need a NodeConfig without a file.
NodeConfig DefaultConfig(const std::string& base_dir);

// Parses `text` (no file-system access). `origin` names the text in error messages.
Result<NodeConfig> ParseConfig(std::string_view text,
                               const std::string& base_dir,
                               std::string_view origin = "node.conf");

// The file-system checks described above, on an already parsed configuration.
Status ValidateConfigFiles(const NodeConfig& config);

// Reads `path` (at most 1 MiB), parses it with its directory as base, validates.
Result<NodeConfig> LoadConfig(const std::string& path);

// kFailedPrecondition listing what `serve` needs and the file leaves unconfigured (IGC-Santé
// roots and CRLs, Vitale CA, e-CPS provider keys), or OK.
Status CheckReadyToServe(const NodeConfig& config);

// A complete, commented configuration: every section and option with its documentation,
// type, range and default. `overrides` are "section.key" -> value written instead of the
// default (the default is still named in the comment). Unknown names are kInvalidArgument.
struct ConfigOverride {
  std::string name;  // "tls.cert"
  std::string value;
};
Result<std::string> DefaultConfigText(const std::vector<ConfigOverride>& overrides = {});

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(std::string_view host);

}  // namespace carnet::node::config
