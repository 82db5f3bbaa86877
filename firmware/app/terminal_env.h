#pragma once
// What the session commands (login, status, open-dossier, deposit, list, read, consent,
// emergency, outbox) share: the terminal configuration (--config FILE, else
// $CARNET_TERMINAL_CONFIG, else /etc/carnet/terminal.conf) with its trust anchors loaded the
// way `cards --pki-index` loads them, the device identity (terminal id = CN of the device
// certificate), the node client, the outbox, and the non-secret session state file.

#include <memory>
#include <optional>
#include <string>

#include "firmware/app/options.h"
#include "firmware/app/readers.h"
#include "firmware/outbox/outbox.h"
#include "firmware/session/terminal_config.h"
#include "firmware/transport/node_client.h"

namespace carnet::fw::app {

inline constexpr char kDefaultConfig[] = "/etc/carnet/terminal.conf";
inline constexpr char kRequestsPath[] = "/v1/requests";
inline constexpr char kCoseContentType[] = "application/cose; cose-type=\"cose-sign1\"";

struct TerminalEnv {
  session::TerminalConfig config;
  TrustConfig trust;
  std::string terminal_id;  // empty when no device certificate is configured
};

// --config, $CARNET_TERMINAL_CONFIG, or the default path. Usage-class errors (exit 2).
Result<TerminalEnv> LoadTerminalEnv(const Options& options);

// The node client (mutual TLS: device key from the key store, device certificate chain,
// operator CA pinned). kFailedPrecondition naming the missing configuration key.
Result<std::unique_ptr<transport::NodeClient>> MakeNodeClient(const TerminalEnv& env,
                                                              int max_attempts = 3);

// The outbox file, its key from the key store (made on first use).
Result<std::unique_ptr<outbox::Outbox>> OpenOutbox(const TerminalEnv& env);

// The session state file (state_dir/session.json): who logged in and when they last acted.
// No secret is stored: the PIN state lives on the card.
struct SavedSession {
  std::string id_nat;
  std::string card_number;
  UnixMillis last_activity = 0;
};
std::optional<SavedSession> LoadSavedSession(const TerminalEnv& env);
Status SaveSession(const TerminalEnv& env, const SavedSession& s);
Status ClearSavedSession(const TerminalEnv& env);

// "the node refused the request: denied: <reason> (rule R, trace N)" from a response body.
std::string DescribeNodeError(int http_status, ByteView body);

}  // namespace carnet::fw::app
