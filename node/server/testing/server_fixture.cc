#include "node/server/testing/server_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace carnet::node::server::testing {
namespace tt = crypto::tls::testing;

namespace {

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "test setup failed: %s\n", r.status().ToString().c_str());
    std::abort();
  }
  return std::move(r).value();
}

}  // namespace

const TestPki& Pki() {
  static const TestPki* pki = [] {
    tt::TestCert root = Must(tt::MakeTestCa("TEST Operator Root"));
    tt::TestCert term_ca = Must(tt::MakeTestCa("TEST Terminal CA"));
    tt::TestCert node =
        Must(tt::IssueTestLeaf(root, "node.test", tt::LeafKind::kServer, "localhost"));
    tt::TestCert term =
        Must(tt::IssueTestLeaf(term_ca, "TERM-0001", tt::LeafKind::kClient, "term-0001"));
    return new TestPki{std::move(root), std::move(term_ca), std::move(node), std::move(term)};
  }();
  return *pki;
}

std::shared_ptr<const crypto::tls::TlsContext> NodeTls() {
  static auto ctx = [] {
    crypto::tls::ServerOptions o;
    o.chain_der = {Pki().node.der};
    o.key = &Pki().node.key;
    o.client_ca_der = {Pki().terminal_ca.der};
    return std::shared_ptr<const crypto::tls::TlsContext>(Must(crypto::tls::TlsContext::Server(o)));
  }();
  return ctx;
}

std::shared_ptr<const crypto::tls::TlsContext> TerminalTls(bool with_cert) {
  crypto::tls::ClientOptions o;
  if (with_cert) {
    o.chain_der = {Pki().terminal.der};
    o.key = &Pki().terminal.key;
  }
  o.server_ca_der = {Pki().operator_root.der};
  o.server_name = "localhost";
  return Must(crypto::tls::TlsContext::Client(o));
}

ServerOptions TestOptions() {
  ServerOptions o;
  o.io_threads = 2;
  o.worker_threads = 4;
  o.handshake_timeout = std::chrono::milliseconds(3000);
  o.idle_timeout = std::chrono::milliseconds(3000);
  o.request_read_timeout = std::chrono::milliseconds(3000);
  o.drain_timeout = std::chrono::milliseconds(5000);
  return o;
}

std::unique_ptr<Server> StartServer(const ServerOptions& options, std::vector<Route> routes) {
  auto server = Must(Server::Create(options, NodeTls(), std::move(routes)));
  Must(server->Start());
  return server;
}

std::unique_ptr<TestClient> Connected(uint16_t port,
                                      std::shared_ptr<const crypto::tls::TlsContext> tls) {
  auto client = Must(TestClient::Connect(port, std::move(tls)));
  Status st = client->Handshake();
  if (!st.ok()) {
    std::fprintf(stderr, "handshake failed: %s\n", st.ToString().c_str());
    std::abort();
  }
  return client;
}

std::string PlainGet(uint16_t port, const std::string& target) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string req = "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
    if (::send(fd, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return out;
}

}  // namespace carnet::node::server::testing
