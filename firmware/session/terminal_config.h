#pragma once
// The terminal's configuration file (carnet-terminal --config FILE), strict:
//
//   # comment
//   node = 127.0.0.1:8443          node address, host:port (required to send)
//   server_name = node.example     name in the node's certificate (default: the host)
//   operator_ca = operator-ca.pem  the pinned operator CA (PEM)
//   keystore = keys                device key store directory (hal/keystore layout)
//   device_key = device-key        key store entry of the device key (PEM), the default
//   device_cert = device.pem       device certificate (first) and the terminal CA, PEM
//   outbox = outbox.db             the encrypted outbox (firmware/outbox)
//   state_dir = state              non-secret session state (last activity)
//   idle_timeout = 300             seconds without activity before the session locks
//   ins_oid = 1.2.250.1.213.1.4.8  OID of the patients' INS (test cards: ...4.10)
//   pki_index = pki/index.json     trust, as `carnet-terminal cards --pki-index`; or
//   trust_root / intermediate / crl (repeatable), vitale_ca + vitale_car
//
// One `key = value` per line; blank lines and lines starting with '#' ignored. Unknown keys,
// repeated non-repeatable keys, empty values, lines without '=', control characters and
// lines over 1024 bytes are refused with the line number. Relative paths are taken from the
// configuration file's folder. At most 64 KiB.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hal/base/status.h"

namespace carnet::fw::session {

inline constexpr size_t kMaxConfigSize = 64 * 1024;
inline constexpr size_t kMaxConfigLine = 1024;

struct TerminalConfig {
  std::string node_host;
  uint16_t node_port = 0;  // 0: no node configured
  std::string server_name;
  std::string operator_ca;
  std::string keystore;
  std::string device_key = "device-key";
  std::string device_cert;
  std::string outbox;
  std::string state_dir;
  std::chrono::seconds idle_timeout{300};
  std::string ins_oid = "1.2.250.1.213.1.4.8";
  // Trust options in the order given, as (option name without "--", value): the names of
  // firmware/app's kTrustOptions ("pki-index", "trust-root", ...), paths already resolved.
  std::vector<std::pair<std::string, std::string>> trust;
};

// `base_dir`: where relative paths start (the configuration file's folder).
Result<TerminalConfig> ParseTerminalConfig(std::string_view text, const std::string& base_dir);
// Reads and parses `path`.
Result<TerminalConfig> LoadTerminalConfig(const std::string& path);

}  // namespace carnet::fw::session
