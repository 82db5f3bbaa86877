// `carnet-node serve --config FILE [--threads N]`: the hosting node's mutual-TLS listener with
// the request service (node/service) behind it.
#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <string>

#include "crypto/core/pk.h"
#include "crypto/tls/tls_context.h"
#include "node/app/commands.h"
#include "node/config/config.h"
#include "node/directory/atomic_file.h"
#include "node/server/server.h"
#include "node/service/node_context.h"
#include "node/service/request_service.h"

namespace carnet::node::app {
namespace {

constexpr int kFailed = 1;
constexpr int kInvalid = 2;

constexpr char kUsage[] =
    "usage: carnet-node serve --config FILE [--threads N]\n"
    "\n"
    "Runs the hosting node: accepts terminals and the patient portal over mutual TLS on\n"
    "[listen] address, and answers POST /v1/requests (signed requests: authenticate, decide,\n"
    "store, trace), GET /v1/log/sth (the signed head of the trace log, JSON) and\n"
    "GET /v1/health. Metrics are on the loopback [listen] admin_address.\n"
    "\n"
    "  --config FILE  the node.conf written by `carnet-node init` (checked as by\n"
    "                 `carnet-node config check`: every trust anchor must be configured)\n"
    "  --threads N    worker threads running requests (default: [limits] worker_threads)\n"
    "\n"
    "Prints `listening on HOST:PORT` on stdout once it accepts connections (port 0 in the\n"
    "configuration picks a free port, printed here). SIGTERM or SIGINT: stop accepting,\n"
    "finish the requests in flight, exit 0. Enrolling or revoking a terminal and importing\n"
    "the directory take effect while serving (the files are re-read when they change).\n"
    "Exit 0 after a clean stop, 1 when the node cannot start, 2 usage error.\n";

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "carnet-node serve: %s\n", message.c_str());
  return code;
}

struct Parsed {
  std::string config;
  unsigned threads = 0;
  bool help = false;
  std::string error;
};

Parsed ParseArgs(Args args) {
  Parsed p;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--help" || a == "-h") {
      p.help = true;
    } else if (a == "--config" || a == "--threads") {
      if (i + 1 >= args.size()) {
        p.error = std::string(a) + " needs a value";
        return p;
      }
      const std::string_view v = args[++i];
      if (a == "--config") {
        p.config = std::string(v);
      } else {
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), p.threads);
        if (ec != std::errc() || end != v.data() + v.size() || p.threads == 0 || p.threads > 256) {
          p.error = "--threads needs a number from 1 to 256";
          return p;
        }
      }
    } else {
      p.error = "unknown argument " + std::string(a);
      return p;
    }
  }
  if (!p.help && p.config.empty()) p.error = "missing --config FILE";
  return p;
}

Result<std::shared_ptr<const crypto::tls::TlsContext>> MakeTls(const config::NodeConfig& c) {
  auto chain = crypto::tls::CertificatesFromPemFile(c.tls.cert);
  if (!chain.ok()) return chain.status().Annotate("tls.cert " + c.tls.cert);
  auto key = crypto::PrivateKey::FromPemFile(c.tls.key);
  if (!key.ok()) return key.status().Annotate("tls.key " + c.tls.key);
  auto cas = crypto::tls::CertificatesFromPemFile(c.tls.terminal_ca);
  if (!cas.ok()) return cas.status().Annotate("tls.terminal_ca " + c.tls.terminal_ca);
  crypto::tls::ServerOptions options;
  options.chain_der = *chain;
  options.key = &*key;
  options.client_ca_der = *cas;
  if (!c.terminals.crl.empty()) {
    // Revoked terminals are refused at the handshake too (node/authn refuses them per request
    // from the registry). The list is read at start: a revocation made while serving reaches
    // the TLS layer at the next restart, the registry check at once.
    auto crl = ReadFileLimited(c.terminals.crl, 16u << 20);
    if (!crl.ok()) return crl.status().Annotate("terminals.crl " + c.terminals.crl);
    options.client_crls.emplace_back(crl->begin(), crl->end());
  }
  if (c.tls.ticket_lifetime.count() > 0) {
    options.ticket_key_lifetime_s = static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(c.tls.ticket_lifetime).count());
  }
  auto tls = crypto::tls::TlsContext::Server(options);
  if (!tls.ok()) return tls.status().Annotate("TLS server context");
  return std::shared_ptr<const crypto::tls::TlsContext>(std::move(tls).value());
}

server::ServerOptions MakeServerOptions(const config::NodeConfig& c, unsigned threads) {
  server::ServerOptions o;
  o.host = c.listen.host;
  o.port = c.listen.port;
  o.admin_host = c.listen.admin_host;
  o.admin_port = c.listen.admin_port;
  o.io_threads = c.limits.io_threads;
  o.worker_threads = threads != 0 ? threads : c.limits.worker_threads;
  if (c.limits.max_connections > 0) o.max_connections = c.limits.max_connections;
  if (c.limits.max_header_bytes > 0) o.max_header_bytes = c.limits.max_header_bytes;
  if (c.limits.max_body_bytes > 0) o.max_body_bytes = c.limits.max_body_bytes;
  if (c.limits.max_requests_per_connection > 0) {
    o.max_requests_per_connection = static_cast<unsigned>(c.limits.max_requests_per_connection);
  }
  if (c.limits.handshake_timeout.count() > 0) o.handshake_timeout = c.limits.handshake_timeout;
  if (c.limits.idle_timeout.count() > 0) o.idle_timeout = c.limits.idle_timeout;
  if (c.limits.request_timeout.count() > 0) o.request_read_timeout = c.limits.request_timeout;
  return o;
}

std::string HostPort(const std::string& host, uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

int RunServe(Args args) {
  const Parsed p = ParseArgs(args);
  if (p.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!p.error.empty()) {
    std::fprintf(stderr, "carnet-node serve: %s\n\n%s", p.error.c_str(), kUsage);
    return kInvalid;
  }
  auto config = config::LoadConfig(p.config);
  if (!config.ok()) return Fail(kInvalid, config.status().message());
  Status ready = config::CheckReadyToServe(*config);
  if (!ready.ok()) {
    return Fail(kFailed, ready.message() + " (edit " + p.config + ", then retry)");
  }
  auto ctx = service::NodeContext::Open(*config);
  if (!ctx.ok()) return Fail(kFailed, ctx.status().message());
  auto tls = MakeTls(*config);
  if (!tls.ok()) return Fail(kFailed, tls.status().message());
  service::RequestService service(**ctx);
  auto server =
      server::Server::Create(MakeServerOptions(*config, p.threads), *tls, service.Routes());
  if (!server.ok()) return Fail(kFailed, server.status().message());

  // Block the signals before any thread starts, so that only sigwait below sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto port = (*server)->Start();
  if (!port.ok()) {
    return Fail(kFailed, port.status().message() + " (is " +
                             HostPort(config->listen.host, config->listen.port) + " in use?)");
  }
  if ((*ctx)->authn()->directory->size() == 0) {
    std::fprintf(stderr,
                 "carnet-node serve: warning: the directory (%s) is empty: every professional "
                 "is refused until `carnet-node import-directory`\n",
                 config->directory.file.c_str());
  }
  std::fprintf(stdout, "listening on %s\n", HostPort(config->listen.host, *port).c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  (*server)->Drain();
  (*server)->Stop();
  std::fprintf(stderr, "carnet-node serve: stopped (%s)\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  return 0;
}

}  // namespace carnet::node::app
