#pragma once
// Shared by the Authenticator's source files only.

#include <optional>
#include <string>

#include "crypto/x509/certificate.h"
#include "node/authn/authenticator.h"

namespace carnet::node::authn {

// What the checks learn as they go.
struct Authenticator::Context {
  const TerminalRecord* record = nullptr;
  std::optional<crypto::Certificate> client_cert;
  std::optional<protocol::OpenedRequest> opened;
  AuthMethod method = AuthMethod::kCpsCard;
  std::string profession;
  std::string specialty;
  std::optional<std::string> nonce;
};

// True when the x5chain leaf is the TLS client certificate itself (device-signed: e-CPS or
// portal); otherwise the request claims to be signed by a CPS card.
bool SignedByClient(const Authenticator::Context& ctx);

// deposit, replace and add_own_document commit the author to a document: SIG key only.
bool NeedsNonRepudiation(protocol::Action action);

}  // namespace carnet::node::authn
