// The option table: the single source of node.conf's sections, keys, types, ranges, defaults
// and documentation.
#include "node/config/config_options.h"

#include <array>

namespace carnet::node::config::internal {
namespace {

using V = ValueType;
constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kMiB = 1024 * 1024;

#define SET(field, member) [](NodeConfig& c, const Value& v) { c.field = v.member; }
#define SET_AS(field, type) \
  [](NodeConfig& c, const Value& v) { c.field = static_cast<type>(v.integer); }

constexpr std::array kSections = {
    SectionSpec{"node", "The node itself."},
    SectionSpec{"listen", "Network listeners."},
    SectionSpec{"tls", "Mutual TLS towards terminals and the portal (DESIGN.md section 3)."},
    SectionSpec{"limits", "Resource limits: what one client can make the node spend."},
    SectionSpec{"trust", "Trust anchors for professionals' and patients' cards and e-CPS."},
    SectionSpec{"auth", "Request authentication."},
    SectionSpec{"store", "Document store (SQLite with envelope encryption, DESIGN.md section 5)."},
    SectionSpec{"trace", "Trace log (RFC 6962 Merkle tree with signed tree heads)."},
    SectionSpec{"directory", "Professionals' directory (extract of the RPPS, keyed by idNat)."},
    SectionSpec{"terminals", "Enrolled terminals."},
    SectionSpec{"retention", "Retention periods (DMP rules, DESIGN.md section 4 item 8)."},
};

const OptionSpec kOptions[] = {
    {"node", "data_dir", V::kPath, "data", false, 0, 0,
     "Directory of the node's state (database, directory, terminal registry). Must exist.",
     SET(node.data_dir, text)},

    {"listen", "address", V::kHostPort, "0.0.0.0:8443", false, 0, 0,
     "Where terminals connect (mutual TLS). Port 0 picks a free port (tests).",
     [](NodeConfig& c, const Value& v) {
       c.listen.host = v.host;
       c.listen.port = v.port;
     }},
    {"listen", "admin_address", V::kHostPort, "127.0.0.1:8444", false, 0, 0,
     "Administration listener. Must be a loopback address: it is not authenticated by TLS.",
     [](NodeConfig& c, const Value& v) {
       c.listen.admin_host = v.host;
       c.listen.admin_port = v.port;
     }},

    {"tls", "cert", V::kPath, "keys/node.crt.pem", false, 0, 0,
     "Server certificate chain (PEM, leaf first). Must exist.", SET(tls.cert, text)},
    {"tls", "key", V::kPath, "keys/node.key.pem", false, 0, 0,
     "Server private key (PEM). Must exist, mode 0600 or stricter.", SET(tls.key, text)},
    {"tls", "terminal_ca", V::kPath, "keys/terminal-ca.crt.pem", false, 0, 0,
     "CA certificate(s) that issue terminal and portal client certificates. Must exist.",
     SET(tls.terminal_ca, text)},
    {"tls", "terminal_ca_key", V::kPath, "keys/terminal-ca.key.pem", true, 0, 0,
     "Private key of that CA, used by enroll-terminal; empty = this node does not enroll. "
     "When set: must exist, mode 0600.",
     SET(tls.terminal_ca_key, text)},
    {"tls", "tickets", V::kBool, "on", false, 0, 0,
     "TLS session tickets (RFC 5077): terminals resume without a full handshake.",
     SET(tls.tickets, boolean)},
    {"tls", "ticket_lifetime", V::kDuration, "4h", false, kMinute, 7 * kDay,
     "Lifetime of a session ticket (and rotation period of the ticket key).",
     SET(tls.ticket_lifetime, duration)},

    {"limits", "max_connections", V::kInt, "1024", false, 1, 1000000,
     "Open connections at once; further clients wait in the kernel's backlog.",
     SET_AS(limits.max_connections, size_t)},
    {"limits", "max_header_bytes", V::kInt, "16384", false, 1024, kMiB,
     "Size of one request's HTTP header block (431 beyond).",
     SET_AS(limits.max_header_bytes, size_t)},
    {"limits", "max_body_bytes", V::kInt, "33554432", false, 1024, 1024 * kMiB,
     "Size of one request body (413 beyond). A deposit carries the whole document.",
     SET_AS(limits.max_body_bytes, size_t)},
    {"limits", "max_requests_per_connection", V::kInt, "1000", false, 1, 1000000,
     "Requests on one keep-alive connection before the node closes it.",
     SET_AS(limits.max_requests_per_connection, size_t)},
    {"limits", "handshake_timeout", V::kDuration, "10s", false, 100, 5 * kMinute,
     "Time allowed for the TLS handshake.", SET(limits.handshake_timeout, duration)},
    {"limits", "idle_timeout", V::kDuration, "60s", false, kSecond, kHour,
     "Idle keep-alive connection closed after this.", SET(limits.idle_timeout, duration)},
    {"limits", "request_timeout", V::kDuration, "30s", false, kSecond, kHour,
     "Time to receive one whole request once it started.", SET(limits.request_timeout, duration)},
    {"limits", "io_threads", V::kInt, "0", false, 0, 256,
     "Threads running the network event loop; 0 = one per CPU core.",
     SET_AS(limits.io_threads, unsigned)},
    {"limits", "worker_threads", V::kInt, "4", false, 1, 256,
     "Threads verifying signatures and deciding requests.",
     SET_AS(limits.worker_threads, unsigned)},

    {"trust", "igc_roots", V::kPathList, "", true, 0, 0,
     "IGC-Santé root certificates (PEM), comma-separated. Needed by serve.",
     SET(trust.igc_roots, list)},
    {"trust", "igc_intermediates", V::kPathList, "", true, 0, 0,
     "IGC-Santé intermediate CA certificates (PEM), comma-separated.",
     SET(trust.igc_intermediates, list)},
    {"trust", "igc_crls", V::kPathList, "", true, 0, 0,
     "IGC-Santé CRLs (DER or PEM), comma-separated; refresh them before they expire.",
     SET(trust.igc_crls, list)},
    {"trust", "vitale_ca", V::kPath, "", true, 0, 0,
     "Public key (PEM) of the CA that signs the Vitale cards' certificates (CVC).",
     SET(trust.vitale_ca, text)},
    {"trust", "vitale_ca_reference", V::kString, "", true, 1, 16,
     "That CA's reference (CAR) as written in the cards' CVCs, 1 to 16 characters.",
     SET(trust.vitale_ca_reference, text)},
    {"trust", "ecps_provider_keys", V::kPathList, "", true, 0, 0,
     "Pinned public keys (PEM) of the e-CPS identity provider, comma-separated.",
     SET(trust.ecps_provider_keys, list)},

    {"auth", "freshness_window", V::kDuration, "5m", false, kSecond, kDay,
     "A request issued longer ago than this (or this far in the future) is refused.",
     SET(auth.freshness_window, duration)},
    {"auth", "require_crl", V::kBool, "on", false, 0, 0,
     "Refuse a card whose issuer has no current CRL (off only for tests).",
     SET(auth.require_crl, boolean)},

    {"store", "database", V::kPath, "data/carnet.db", false, 0, 0,
     "SQLite database; created by the first serve. Its directory must exist.",
     SET(store.database, text)},
    {"store", "kek_file", V::kPath, "keys/kek.bin", false, 0, 0,
     "Key-encryption key (32 bytes). Must exist, mode 0600. Losing it loses every document; "
     "back it up apart from the database.",
     SET(store.kek_file, text)},
    {"store", "group_commit_max_batch", V::kInt, "64", false, 1, 10000,
     "Most writes sharing one transaction and one fsync.",
     SET_AS(store.group_commit_max_batch, size_t)},

    {"trace", "log_key", V::kPath, "keys/trace-log.key.pem", false, 0, 0,
     "ES256 (P-256) key signing the trace log's tree heads. Must exist, mode 0600.",
     SET(trace.log_key, text)},
    {"trace", "log_public_key", V::kPath, "keys/trace-log.pub.pem", false, 0, 0,
     "Its public key (PEM), handed to auditors. Must exist.", SET(trace.log_public_key, text)},

    {"directory", "file", V::kPath, "data/directory.tsv", false, 0, 0,
     "The directory extract the node checks professions against; may not exist yet. Its "
     "directory must exist.",
     SET(directory.file, text)},

    {"terminals", "registry", V::kPath, "data/terminals.tsv", false, 0, 0,
     "Registry of enrolled terminals, written by enroll-terminal; may not exist yet.",
     SET(terminals.registry, text)},
    {"terminals", "crl", V::kPath, "", true, 0, 0,
     "CRL of the terminal CA (revoked terminals); empty = none. When set: must exist.",
     SET(terminals.crl, text)},

    {"retention", "closed_years", V::kInt, "10", false, 1, 100,
     "Years a closed dossier (and its traces) is kept before its key is destroyed.",
     SET_AS(retention.closed_years, int)},
    {"retention", "early_deletion_months", V::kInt, "3", false, 0, 120,
     "Months after closure during which the patient may ask for early deletion.",
     SET_AS(retention.early_deletion_months, int)},
};

#undef SET
#undef SET_AS

}  // namespace

std::span<const SectionSpec> Sections() { return kSections; }
std::span<const OptionSpec> Options() { return kOptions; }

const OptionSpec* FindOption(std::string_view section, std::string_view key) {
  for (const OptionSpec& o : kOptions) {
    if (o.section == section && o.key == key) return &o;
  }
  return nullptr;
}

}  // namespace carnet::node::config::internal
