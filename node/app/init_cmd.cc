// `carnet-node init DIR [--from-test-pki PKIDIR] [--force]`: a node directory ready to serve.
#include <cstdio>
#include <string>

#include "crypto/core/random.h"
#include "node/app/commands.h"
#include "node/app/node_init.h"

namespace carnet::node::app {
namespace {

constexpr int kInvalid = 2;
constexpr int kFailed = 1;

constexpr char kUsage[] =
    "usage: carnet-node init DIR [--from-test-pki PKIDIR] [--force] [--dns NAME]... [--ip "
    "ADDR]...\n"
    "\n"
    "Creates a node directory that `carnet-node serve` can start from:\n"
    "  DIR/node.conf   every option of the node with its documentation and default\n"
    "                  (the same text as `carnet-node config defaults`, with the paths below)\n"
    "  DIR/keys/       mode 0700; every private key file is mode 0600:\n"
    "                  kek.bin                  key-encryption key of the document store\n"
    "                  node.crt.pem, node.key.pem              TLS server certificate and key\n"
    "                  terminal-ca.crt.pem, terminal-ca.key.pem CA issuing terminal certificates\n"
    "                  operator-root.crt.pem    the root terminals pin to recognise this node\n"
    "                  trace-log.key.pem, trace-log.pub.pem     ES256 key of the trace log\n"
    "  DIR/trust/      card trust anchors: IGC-Santé root, intermediate and CRLs, Vitale CA\n"
    "                  public key, e-CPS provider public key (with --from-test-pki only)\n"
    "  DIR/data/       mode 0700: the database (created by the first serve), directory.tsv\n"
    "                  (the professionals' directory, imported separately), terminals.tsv\n"
    "\n"
    "  --from-test-pki PKIDIR  take the TLS, terminal CA, trace-log keys and the trust anchors\n"
    "                          from a test PKI written by `carnet-crypto pki test-hierarchy`\n"
    "                          (its index.json). For tests and demos only.\n"
    "  without it              generate a fresh operator root CA (keys/operator-root.key.pem:\n"
    "                          move it offline), node certificate and terminal CA (EC P-256);\n"
    "                          the IGC-Santé / Vitale / e-CPS anchors are left for you to\n"
    "                          configure in node.conf [trust]\n"
    "  --dns NAME, --ip ADDR   names of a generated node certificate (default: localhost and\n"
    "                          127.0.0.1; giving either replaces both defaults)\n"
    "  --force                 accept a non-empty DIR. No key is overwritten: an existing\n"
    "                          kek.bin is kept (replacing it would make the stored documents\n"
    "                          unreadable), any other file init writes is first renamed to\n"
    "                          <name>.replaced-<UTC time>\n"
    "\n"
    "The KEK is always generated here, never taken from a test PKI. init loads the node.conf\n"
    "it wrote before it returns. Exit 0 done, 2 usage error or DIR not empty, 1 failure.\n";

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "carnet-node init: %s\n", message.c_str());
  return code;
}

struct Parsed {
  InitOptions options;
  bool help = false;
  std::string error;
};

Parsed ParseArgs(Args args) {
  Parsed p;
  bool names_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    bool has_value = i + 1 < args.size();
    if (a == "--help" || a == "-h") {
      p.help = true;
    } else if (a == "--force") {
      p.options.force = true;
    } else if (a == "--from-test-pki" || a == "--dns" || a == "--ip") {
      if (!has_value) {
        p.error = std::string(a) + " needs a value";
        return p;
      }
      std::string v(args[++i]);
      if (a == "--from-test-pki") p.options.test_pki_dir = v;
      if (a != "--from-test-pki" && !names_given) {
        p.options.dns_names.clear();
        p.options.ip_addresses.clear();
        names_given = true;
      }
      if (a == "--dns") p.options.dns_names.push_back(v);
      if (a == "--ip") p.options.ip_addresses.push_back(v);
    } else if (a.size() > 1 && a[0] == '-') {
      p.error = "unknown option " + std::string(a);
      return p;
    } else if (p.options.dir.empty()) {
      p.options.dir = std::string(a);
    } else {
      p.error = "one DIR only";
      return p;
    }
  }
  if (!p.help && p.options.dir.empty()) p.error = "missing DIR";
  return p;
}

}  // namespace

int RunInit(Args args) {
  Parsed p = ParseArgs(args);
  if (p.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!p.error.empty()) {
    std::fputs(kUsage, stderr);
    return Fail(kInvalid, p.error);
  }
  auto report = InitNodeDirectory(p.options, crypto::Drbg::ForThread(), SystemClock::Instance());
  if (!report.ok()) {
    bool usage = report.status().code() == StatusCode::kAlreadyExists ||
                 report.status().code() == StatusCode::kInvalidArgument;
    return Fail(usage ? kInvalid : kFailed, report.status().message());
  }
  std::printf("Initialised node directory %s\n", p.options.dir.c_str());
  for (const std::string& f : report->written) std::printf("  wrote    %s\n", f.c_str());
  for (const std::string& f : report->kept)
    std::printf("  KEPT     %s (existing key)\n", f.c_str());
  for (const std::string& f : report->replaced) std::printf("  MOVED    %s\n", f.c_str());
  std::printf("\n%s", NextSteps(p.options, *report).c_str());
  return 0;
}

}  // namespace carnet::node::app
