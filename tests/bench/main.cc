// carnet-bench: one table of figures for issues #5/#6 — the node's throughput and latency,
// mutual-TLS handshakes, the crypto bound of the request path, lighttpd + mod_mbedtls as the
// transport peer, store list latency and trace appends, and the terminal's own costs.
// Prints figures; never passes or fails on time. `bash tests/bench/run.sh` builds and runs it.
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "tests/bench/bench_util.h"
#include "tests/bench/crypto_bound.h"
#include "tests/bench/node_bench.h"
#include "tests/bench/requests.h"
#include "tests/bench/store_bench.h"
#include "tests/bench/terminal_bench.h"
#include "tests/bench/transport_bench.h"

using namespace carnet;
using namespace carnet::bench;

namespace {

constexpr char kUsage[] =
    "usage: carnet-bench --pki DIR [options]\n"
    "\n"
    "Prints one markdown table of figures (progress goes to stderr). Never fails on time.\n"
    "\n"
    "  --pki DIR            test PKI from `carnet-crypto pki test-hierarchy DIR` (required)\n"
    "  --workdir DIR        scratch directory (databases, node dir, logs); default: a new\n"
    "                       directory under $TMPDIR or /tmp, removed by run.sh\n"
    "  --node-bin PATH      carnet-node (for the node rows; absent = rows are n/a)\n"
    "  --lighttpd PATH      lighttpd with mod_mbedtls (default /usr/sbin/lighttpd)\n"
    "  --terminals N        concurrent terminal connections (default 8)\n"
    "  --max-docs N         list latency at 10^4, 10^5 ... up to N stored documents\n"
    "                       (default 1000000)\n"
    "  --seconds S          time per micro-benchmark (default 1)\n"
    "  --quick              --max-docs 100000, --seconds 0.3, a quarter of the requests\n"
    "  --aarch64-terminal F size of this stripped carnet-terminal (run.sh makes it)\n"
    "  --sections LIST      comma-separated subset of: crypto,terminal,transport,lighttpd,\n"
    "                       node,store (default: all)\n"
    "  --help               this text\n";

struct Options {
  PkiFiles pki;
  std::string workdir;
  std::string node_bin;
  std::string lighttpd = "/usr/sbin/lighttpd";
  int terminals = 8;
  size_t max_docs = 1'000'000;
  double seconds = 1;
  bool quick = false;
  std::string aarch64_terminal;
  std::set<std::string> sections = {"crypto", "terminal", "transport", "lighttpd", "node", "store"};
};

bool ParseArgs(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "carnet-bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (a == "--pki") {
      o.pki.dir = value();
    } else if (a == "--workdir") {
      o.workdir = value();
    } else if (a == "--node-bin") {
      o.node_bin = value();
    } else if (a == "--lighttpd") {
      o.lighttpd = value();
    } else if (a == "--terminals") {
      o.terminals = std::max(1, std::atoi(value().c_str()));
    } else if (a == "--max-docs") {
      o.max_docs = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--seconds") {
      o.seconds = std::atof(value().c_str());
    } else if (a == "--quick") {
      o.quick = true;
    } else if (a == "--aarch64-terminal") {
      o.aarch64_terminal = value();
    } else if (a == "--sections") {
      o.sections.clear();
      std::string list = value();
      for (size_t p = 0; p <= list.size();) {
        size_t c = std::min(list.find(',', p), list.size());
        o.sections.insert(list.substr(p, c - p));
        p = c + 1;
      }
    } else {
      std::fprintf(stderr, "carnet-bench: unknown option '%s'\n\n%s", a.c_str(), kUsage);
      return false;
    }
  }
  if (o.pki.dir.empty()) {
    std::fprintf(stderr, "carnet-bench: --pki DIR is required\n\n%s", kUsage);
    return false;
  }
  if (o.quick) {
    o.max_docs = std::min<size_t>(o.max_docs, 100'000);
    o.seconds = std::min(o.seconds, 0.3);
  }
  return true;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

void PrintMachine(const Options& o) {
  utsname u{};
  ::uname(&u);
  std::printf("machine: %u cores (%s), Linux %s %s; carnet-bench %s build%s\n\n",
              std::thread::hardware_concurrency(), CpuModel().c_str(), u.release, u.machine,
#ifdef NDEBUG
              "release (-O2)",
#else
              "debug (figures not representative)",
#endif
              o.quick ? ", --quick" : "");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, o)) return 2;
  if (o.workdir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp != nullptr ? tmp : "/tmp") + "/carnet-bench.XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      std::perror("carnet-bench: mkdtemp");
      return 1;
    }
    o.workdir = tmpl;
  }
  std::fprintf(stderr, "carnet-bench: scratch in %s\n", o.workdir.c_str());
  const size_t scale = o.quick ? 4 : 1;
  Table table;
  const Signer signer = LoadSigner(o.pki);
  auto want = [&o](const char* s) { return o.sections.count(s) > 0; };

  if (want("node")) {
    NodeBenchOptions n;
    n.node_bin = o.node_bin;
    n.workdir = o.workdir;
    n.connections = o.terminals;
    n.handshake_seconds = 2 * o.seconds;
    n.deposits_4k /= scale;
    n.deposits_256k /= scale;
    n.reads /= scale;
    if (o.node_bin.empty()) {
      table.Add("node (carnet-node serve)", "all rows", "n/a", "no --node-bin given");
    } else {
      MeasureNode(table, o.pki, signer, n);
    }
  }
  if (want("transport") || want("lighttpd")) {
    TransportOptions t;
    t.workdir = o.workdir;
    t.lighttpd_bin = o.lighttpd;
    t.connections = o.terminals;
    t.handshake_seconds = 2 * o.seconds;
    t.requests_4k /= scale;
    t.requests_256k /= scale;
    const Bodies bodies = MakeBodies(signer);
    if (want("transport")) MeasureNodeTransport(table, o.pki, bodies, t);
    if (want("lighttpd")) MeasureLighttpd(table, o.pki, bodies, t);
  }
  if (want("crypto")) MeasureCryptoBound(table, o.pki, signer, o.seconds);
  if (want("terminal")) {
    MeasureTerminal(table, o.pki, signer, o.seconds);
    if (o.aarch64_terminal.empty()) {
      table.Add("terminal", "stripped aarch64 carnet-terminal", "n/a",
                "no --aarch64-terminal (run.sh skips the cross build with --quick or "
                "CARNET_BENCH_NO_AARCH64=1)");
    } else {
      struct stat st {};
      if (::stat(o.aarch64_terminal.c_str(), &st) == 0) {
        table.Add(
            "terminal", "stripped aarch64 carnet-terminal",
            Fmt("%.0f KiB", static_cast<double>(st.st_size) / 1024),
            "aarch64 preset (RelWithDebInfo) + aarch64-linux-gnu-strip; dynamic libs not counted");
      } else {
        table.Add("terminal", "stripped aarch64 carnet-terminal", "n/a",
                  "no file " + o.aarch64_terminal);
      }
    }
  }
  if (want("store")) {
    StoreBenchOptions s;
    s.workdir = o.workdir;
    s.max_documents = o.max_docs;
    s.append_seconds = 3 * o.seconds;
    MeasureStore(table, s);
  }
  table.Add("peak RSS", "carnet-bench (load generator and in-process benches)",
            Fmt("%.1f MiB", static_cast<double>(SelfPeakRssKib()) / 1024), "getrusage ru_maxrss");
  PrintMachine(o);
  table.Print();
  return 0;
}
