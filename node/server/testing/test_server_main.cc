// carnet-server-testbin: the node's server with toy handlers, for the curl / openssl
// interoperability script (interop_test.sh). Not the node: carnet-node (node/app) is.
//
//   carnet-server-testbin --cert CHAIN.pem --key KEY.pem --client-ca CA.pem --port-file F
//                         [--admin-port-file F]
// Writes the bound ports to the files, serves until SIGTERM/SIGINT, then drains and exits 0.
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>

#include "crypto/core/pk.h"
#include "crypto/tls/tls_context.h"
#include "node/server/server.h"

namespace {
using namespace carnet;
using namespace carnet::node::server;

HttpResponse Text(const std::string& s) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = ToBytes(s);
  return r;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "carnet-server-testbin: %s\n", what.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  for (const char* need : {"--cert", "--key", "--client-ca", "--port-file"}) {
    if (!args.count(need)) return Fail(std::string("missing ") + need);
  }
  auto chain = crypto::tls::CertificatesFromPemFile(args["--cert"]);
  auto key = crypto::PrivateKey::FromPemFile(args["--key"]);
  auto cas = crypto::tls::CertificatesFromPemFile(args["--client-ca"]);
  if (!chain.ok() || !key.ok() || !cas.ok()) return Fail("cannot read certificates or key");
  crypto::tls::ServerOptions tls_options;
  tls_options.chain_der = *chain;
  tls_options.key = &*key;
  tls_options.client_ca_der = *cas;
  auto tls = crypto::tls::TlsContext::Server(tls_options);
  if (!tls.ok()) return Fail(tls.status().ToString());

  auto routes = NodeRoutes(
      [](const HttpRequest& req, const PeerInfo&) {
        return Text("received " + std::to_string(req.body.size()) + " bytes\n");
      },
      [](const HttpRequest&, const PeerInfo&) { return Text("sth\n"); },
      [](const HttpRequest&, const PeerInfo& peer) {
        return Text(peer.session_resumed ? "ok resumed\n" : "ok\n");
      });
  ServerOptions options;
  options.io_threads = 2;
  options.worker_threads = 4;
  auto server = Server::Create(options, *tls, std::move(routes));
  if (!server.ok()) return Fail(server.status().ToString());

  // Block the signals before any thread starts, so that only sigwait below sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto port = (*server)->Start();
  if (!port.ok()) return Fail(port.status().ToString());
  std::ofstream(args["--port-file"]) << *port << "\n";
  if (args.count("--admin-port-file")) {
    std::ofstream(args["--admin-port-file"]) << (*server)->admin_port() << "\n";
  }
  int sig = 0;
  sigwait(&set, &sig);
  (*server)->Drain();
  (*server)->Stop();
  return 0;
}
