#pragma once
// Test-only: one in-process P-256 PKI (crypto/tls/testing/test_pki) per test binary, contexts
// for the node and a terminal, and a started Server with routes the test chooses.

#include <memory>
#include <string>
#include <vector>

#include "crypto/tls/testing/test_pki.h"
#include "crypto/tls/tls_context.h"
#include "node/server/server.h"
#include "node/server/testing/test_client.h"

namespace carnet::node::server::testing {

struct TestPki {
  crypto::tls::testing::TestCert operator_root;
  crypto::tls::testing::TestCert terminal_ca;
  crypto::tls::testing::TestCert node;
  crypto::tls::testing::TestCert terminal;
};

const TestPki& Pki();  // built once per process
std::shared_ptr<const crypto::tls::TlsContext> NodeTls();
// A new terminal context (its own session cache); without a certificate when !with_cert.
std::shared_ptr<const crypto::tls::TlsContext> TerminalTls(bool with_cert = true);

// Small, test-friendly defaults: 2 I/O threads, 4 workers, short timeouts.
ServerOptions TestOptions();

std::unique_ptr<Server> StartServer(const ServerOptions& options, std::vector<Route> routes);

std::unique_ptr<TestClient> Connected(uint16_t port,
                                      std::shared_ptr<const crypto::tls::TlsContext> tls);

// GET on a plain-HTTP listener (the admin port); returns the body ("" on failure).
std::string PlainGet(uint16_t port, const std::string& target);

}  // namespace carnet::node::server::testing
