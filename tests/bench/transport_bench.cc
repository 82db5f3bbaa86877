#include "tests/bench/transport_bench.h"

#include <thread>

#include "node/server/server.h"
#include "tests/bench/lighttpd_peer.h"
#include "tests/bench/tls_load.h"

namespace carnet::bench {
namespace {

using node::server::HttpRequest;
using node::server::HttpResponse;
using node::server::PeerInfo;

std::shared_ptr<const crypto::tls::TlsContext> Client(const PkiFiles& pki) {
  return TerminalClientTls(pki.TerminalCert("TERM-0001"), pki.TerminalKey("TERM-0001"),
                           pki.OperatorRootCert());
}

// 4 KiB and 256 KiB POSTs to `target` on `port`, one row each.
void Posts(Table& table,
           const std::string& peer,
           uint16_t port,
           const std::shared_ptr<const crypto::tls::TlsContext>& tls,
           const std::string& get_target,
           const std::string& target,
           const std::string& content_type,
           const Bodies& bodies,
           const TransportOptions& o) {
  static const std::string kNoBody;
  RequestSpec get{"GET", get_target, "", &kNoBody};
  LoadResult g = RunLoad(port, tls, o.connections,
                         std::max<size_t>(1, o.requests_4k / static_cast<size_t>(o.connections)),
                         200, get, [&get](int, size_t) { return get; });
  AddLoadRow(table, "transport peers", peer + ", GET (no body), answer 100 B", g, o.connections);
  struct Load {
    const char* name;
    const std::string* body;
    size_t total;
  };
  for (const Load& l : {Load{"4 KiB", &bodies.deposit_4k, o.requests_4k},
                        Load{"256 KiB", &bodies.deposit_256k, o.requests_256k}}) {
    RequestSpec spec{"POST", target, content_type, l.body};
    LoadResult r = RunLoad(port, tls, o.connections,
                           std::max<size_t>(1, l.total / static_cast<size_t>(o.connections)), 200,
                           spec, [&spec](int, size_t) { return spec; });
    AddLoadRow(table, "transport peers",
               Fmt("%s, POST %s signed deposit (%zu B), answer 100 B", peer.c_str(), l.name,
                   l.body->size()),
               r, o.connections);
  }
}

}  // namespace

Bodies MakeBodies(const Signer& signer) {
  Bodies b;
  b.deposit_4k = ToString(Sign(signer, Deposit(signer, signer.ins, 4096, 4'000'001)));
  b.deposit_256k = ToString(Sign(signer, Deposit(signer, signer.ins, 256 * 1024, 4'000'002)));
  return b;
}

void MeasureNodeTransport(Table& table,
                          const PkiFiles& pki,
                          const Bodies& bodies,
                          const TransportOptions& o) {
  crypto::PrivateKey key = LoadKey(pki.NodeKey());
  crypto::tls::ServerOptions so;
  so.chain_der = {LoadCert(pki.NodeCert()).der()};
  so.key = &key;
  so.client_ca_der = {LoadCert(pki.TerminalCaCert()).der()};
  auto tls = Must(crypto::tls::TlsContext::Server(so), "node TLS context");
  node::server::ServerOptions opt;
  opt.admin_enabled = false;
  opt.max_requests_per_connection = 1u << 30;
  const Bytes answer(100, 0xa0);
  auto ok = [&answer](const HttpRequest&, const PeerInfo&) {
    HttpResponse r;
    r.content_type = "application/cbor";
    r.body = answer;
    return r;
  };
  auto server = Must(node::server::Server::Create(opt, tls, node::server::NodeRoutes(ok, ok, ok)),
                     "node/server");
  const uint16_t port = Must(server->Start(), "node/server start");
  const std::string peer = "node/server, no-op handler (in-process)";
  auto client = Client(pki);
  AddHandshakeRows(
      table, peer,
      Must(MeasureHandshakes(port, client, o.handshake_seconds), "node/server handshakes"));
  Posts(table, peer, port, client, node::server::kHealthPath, node::server::kRequestsPath,
        node::server::kCoseSign1ContentType, bodies, o);
  server->Drain();
}

void MeasureLighttpd(Table& table,
                     const PkiFiles& pki,
                     const Bodies& bodies,
                     const TransportOptions& o) {
  const int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto started = StartLighttpd(o.lighttpd_bin, pki, o.workdir, workers);
  if (!started.ok()) {
    table.Add("transport peers", "lighttpd + mod_mbedtls", "n/a", started.status().ToString());
    return;
  }
  LighttpdPeer& l = *started;
  const std::string peer = Fmt("lighttpd + mod_mbedtls, %d workers", workers);
  auto client = Client(pki);
  auto hs = MeasureHandshakes(l.port, client, o.handshake_seconds);
  if (!hs.ok()) {
    table.Add("transport peers", peer, "n/a", hs.status().ToString());
    return;
  }
  AddHandshakeRows(table, peer, *hs);
  Posts(table, peer, l.port, client, l.answer_path, l.answer_path, "application/cose", bodies, o);
  long rss = l.process.Stop();
  table.Add("peak RSS", "lighttpd (largest process)",
            Fmt("%.1f MiB", static_cast<double>(rss) / 1024), "wait4 ru_maxrss");
}

}  // namespace carnet::bench
