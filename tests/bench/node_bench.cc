#include "tests/bench/node_bench.h"

#include <fstream>
#include <sstream>

#include "crypto/x509/csr.h"
#include "crypto/x509/name.h"
#include "hal/base/random.h"
#include "node/directory/test_pki_directory.h"
#include "tests/bench/tls_load.h"

namespace carnet::bench {
namespace {

constexpr char kSection[] = "node (carnet-node serve)";
constexpr char kRequests[] = "/v1/requests";
constexpr char kCose[] = "application/cose; cose-type=\"cose-sign1\"";

void NotAvailable(Table& table, const std::string& why) {
  for (const char* what :
       {"mTLS handshakes, full", "mTLS handshakes, resumed", "deposit 4 KiB, durable",
        "deposit 256 KiB, durable", "read 4 KiB", "peak RSS of carnet-node"}) {
    table.Add(kSection, what, "n/a", why);
  }
}

// node.conf: the listeners on loopback port 0 (the rest as init wrote it).
Status ListenOnLoopback(const std::string& conf) {
  std::ifstream in(conf);
  if (!in) return NotFound("no " + conf);
  std::ostringstream out;
  std::string line, section;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '[') section = line;
    std::string key = line.substr(0, line.find('='));
    key.erase(key.find_last_not_of(" \t") + 1);
    if (section == "[listen]" && (key == "address" || key == "# address")) {
      line = "address = 127.0.0.1:0";
    } else if (section == "[listen]" && (key == "admin_address" || key == "# admin_address")) {
      line = "admin_address = 127.0.0.1:0";
    }
    out << line << "\n";
  }
  WriteFileText(conf, out.str());
  return Status::Ok();
}

// A CSR for the test PKI's TERM-0001 key, certified by `carnet-node enroll-terminal`.
Result<std::string> Enroll(const NodeBenchOptions& o,
                           const PkiFiles& pki,
                           const std::string& conf) {
  crypto::PrivateKey key = LoadKey(pki.TerminalKey("TERM-0001"));
  CARNET_ASSIGN_OR_RETURN(
      Bytes csr, crypto::MakeCsr(key, crypto::SimpleName("FR", "Carnet test", {}, "TERM-0001"),
                                 SystemRandom::Instance()));
  const std::string csr_path = o.workdir + "/TERM-0001.csr.pem";
  WriteFileText(csr_path, crypto::CsrToPem(csr));
  CARNET_ASSIGN_OR_RETURN(std::string cert,
                          RunCommand({o.node_bin, "enroll-terminal", "--config", conf, "--csr",
                                      csr_path, "--id", "TERM-0001"}));
  const std::string cert_path = o.workdir + "/TERM-0001.enrolled.crt.pem";
  WriteFileText(cert_path, cert);
  return cert_path;
}

Result<uint16_t> PortFrom(const std::string& line) {
  size_t colon = line.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("no port in: " + line);
  int port = std::atoi(line.c_str() + colon + 1);
  if (port <= 0 || port > 65535) return InvalidArgument("bad port in: " + line);
  return static_cast<uint16_t>(port);
}

// Each connection works on its own patients: the node serializes requests per dossier, and a
// front desk serves many patients. No Vitale proof (optional; these patients have no card).
constexpr size_t kPatientsPerConnection = 8;

using Plan = std::vector<std::vector<std::string>>;  // per connection, signed bodies in order

// Signs, before any clock starts, `per` requests per connection made by `make(c, i)`.
Plan PreSign(const Signer& s,
             int conns,
             size_t per,
             const std::function<protocol::Request(size_t c, size_t i)>& make) {
  Plan plan(static_cast<size_t>(conns));
  for (size_t c = 0; c < plan.size(); ++c) {
    for (size_t i = 0; i < per; ++i) plan[c].push_back(ToString(Sign(s, make(c, i))));
  }
  return plan;
}

LoadResult Run(uint16_t port,
               const std::shared_ptr<const crypto::tls::TlsContext>& tls,
               const Plan& plan) {
  static const std::string kNoBody;
  RequestSpec warm{"GET", "/v1/health", "", &kNoBody};
  return RunLoad(port, tls, static_cast<int>(plan.size()), plan.front().size(), 200, warm,
                 [&](int c, size_t i) {
                   return RequestSpec{"POST", kRequests, kCose, &plan[static_cast<size_t>(c)][i]};
                 });
}

std::string PatientOf(size_t c, size_t i) {
  return SyntheticIns(c * kPatientsPerConnection + i % kPatientsPerConnection);
}

void NodeLoads(Table& table,
               uint16_t port,
               const std::shared_ptr<const crypto::tls::TlsContext>& tls,
               const Signer& s,
               const NodeBenchOptions& o) {
  const int conns = o.connections;
  const size_t ucon = static_cast<size_t>(conns);
  uint64_t n = 5'000'000;
  // Setup: open every dossier (with consent) and join its care team, so reads are allowed.
  Plan setup = PreSign(s, conns, 2 * kPatientsPerConnection, [&](size_t c, size_t i) {
    const std::string ins = PatientOf(c, i / 2);
    return i % 2 == 0 ? Open(s, ins, n++) : JoinCareTeam(s, ins, n++);
  });
  LoadResult ready = Run(port, tls, setup);
  if (ready.failed > 0) AddLoadRow(table, kSection, "setup: open + join care team", ready, conns);

  const size_t per4 = std::max<size_t>(1, o.deposits_4k / ucon);
  const uint64_t first_4k = n;
  Plan dep4 = PreSign(s, conns, per4, [&](size_t c, size_t i) {
    return Deposit(s, PatientOf(c, i), 4096, first_4k + c * per4 + i);
  });
  n += ucon * per4;
  AddLoadRow(table, kSection, "deposit 4 KiB, durable", Run(port, tls, dep4), conns);
  dep4.clear();

  const size_t per256 = std::max<size_t>(1, o.deposits_256k / ucon);
  Plan dep256 = PreSign(s, conns, per256, [&](size_t c, size_t i) {
    return Deposit(s, PatientOf(c, i), 256 * 1024, n + c * per256 + i);
  });
  n += ucon * per256;
  AddLoadRow(table, kSection, "deposit 256 KiB, durable", Run(port, tls, dep256), conns);
  dep256.clear();

  const size_t per_read = std::max<size_t>(1, o.reads / ucon);
  Plan reads = PreSign(s, conns, per_read, [&](size_t c, size_t i) {
    const size_t d = i % per4;  // a 4 KiB document this connection deposited
    return Read(s, PatientOf(c, d), DocumentId(first_4k + c * per4 + d), n + c * per_read + i);
  });
  AddLoadRow(table, kSection, "read 4 KiB", Run(port, tls, reads), conns);
}

}  // namespace

long MeasureNode(Table& table, const PkiFiles& pki, const Signer& s, const NodeBenchOptions& o) {
  auto help = RunCommand({o.node_bin, "serve", "--help"});
  if (!help.ok()) {
    NotAvailable(table, "serve not built (`carnet-node serve --help` fails)");
    return -1;
  }
  const std::string dir = o.workdir + "/node";
  const std::string conf = dir + "/node.conf";
  auto init = RunCommand({o.node_bin, "init", dir, "--from-test-pki", pki.dir});
  if (!init.ok()) {
    NotAvailable(table, "carnet-node init failed: " + init.status().ToString());
    return -1;
  }
  MustOk(ListenOnLoopback(conf), "node.conf");
  // The professionals' directory (authentication check 6), from the same test PKI.
  const std::string extract = o.workdir + "/directory.txt";
  WriteFileText(extract, Must(node::directory::DirectoryFromTestPki(pki.Path("index.json")),
                              "directory from the test PKI"));
  auto imported = RunCommand({o.node_bin, "import-directory", "--config", conf, extract});
  if (!imported.ok()) {
    NotAvailable(table, "import-directory failed: " + imported.status().message());
    return -1;
  }
  auto cert = Enroll(o, pki, conf);
  if (!cert.ok()) {
    NotAvailable(table, "enroll-terminal failed: " + cert.status().message());
    return -1;
  }
  auto node = Must(Child::Start({o.node_bin, "serve", "--config", conf}, o.workdir + "/node.log"),
                   "starting carnet-node serve");
  auto line = node.WaitForLog("listening on", 30);
  if (!line.ok()) {
    NotAvailable(table, line.status().message());
    return -1;
  }
  const uint16_t port = Must(PortFrom(*line), "serve's listening line");
  auto tls = TerminalClientTls(*cert, pki.TerminalKey("TERM-0001"), pki.OperatorRootCert());
  AddHandshakeRows(table, "carnet-node serve",
                   Must(MeasureHandshakes(port, tls, o.handshake_seconds), "node handshakes"));

  NodeLoads(table, port, tls, s, o);
  long rss = node.Stop();
  table.Add(kSection, "peak RSS of carnet-node", Fmt("%.1f MiB", static_cast<double>(rss) / 1024),
            "wait4 ru_maxrss after SIGTERM");
  return rss;
}

}  // namespace carnet::bench
