#include "node/config/config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "CppUTest/TestHarness.h"

namespace carnet::node::config {
namespace {

// Parses `text` and returns the refusal's message ("" when accepted).
std::string Refusal(const std::string& text) {
  auto r = ParseConfig(text, "/base", "t.conf");
  if (r.ok()) return "";
  CHECK_EQUAL(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(r.status().code()));
  return r.status().message();
}

void CheckRefused(const std::string& text, const std::string& line, const std::string& reason) {
  std::string message = Refusal(text);
  if (message.rfind("t.conf:" + line + ": ", 0) != 0 || message.find(reason) == std::string::npos) {
    FAIL(("for input:\n" + text + "\nexpected line " + line + " and '" + reason + "', got '" +
          message + "'")
             .c_str());
  }
}

}  // namespace

TEST_GROUP(ConfigParse){};

TEST(ConfigParse, EmptyTextGivesEveryDefault) {
  auto c = ParseConfig("", "/base");
  CHECK_TRUE(c.ok());
  STRCMP_EQUAL("/base", c->base_dir.c_str());
  STRCMP_EQUAL("/base/data", c->node.data_dir.c_str());
  STRCMP_EQUAL("0.0.0.0", c->listen.host.c_str());
  LONGS_EQUAL(8443, c->listen.port);
  STRCMP_EQUAL("127.0.0.1", c->listen.admin_host.c_str());
  LONGS_EQUAL(8444, c->listen.admin_port);
  STRCMP_EQUAL("/base/keys/node.key.pem", c->tls.key.c_str());
  CHECK_TRUE(c->tls.tickets);
  LONGS_EQUAL(4 * 3600 * 1000, c->tls.ticket_lifetime.count());
  LONGS_EQUAL(1024, c->limits.max_connections);
  LONGS_EQUAL(0, c->limits.io_threads);
  LONGS_EQUAL(300000, c->auth.freshness_window.count());
  CHECK_TRUE(c->auth.require_crl);
  CHECK_TRUE(c->trust.igc_roots.empty());
  STRCMP_EQUAL("/base/keys/kek.bin", c->store.kek_file.c_str());
  STRCMP_EQUAL("/base/data/directory.tsv", c->directory.file.c_str());
  LONGS_EQUAL(10, c->retention.closed_years);
  LONGS_EQUAL(3, c->retention.early_deletion_months);
}

TEST(ConfigParse, GeneratedDefaultTextParsesToTheDefaults) {
  auto text = DefaultConfigText();
  CHECK_TRUE(text.ok());
  auto c = ParseConfig(*text, "/base");
  CHECK_TRUE(c.ok());
  NodeConfig d = DefaultConfig("/base");
  STRCMP_EQUAL(d.tls.cert.c_str(), c->tls.cert.c_str());
  LONGS_EQUAL(d.limits.max_body_bytes, c->limits.max_body_bytes);
  LONGS_EQUAL(d.limits.idle_timeout.count(), c->limits.idle_timeout.count());
  // Every option is written with its default named in a comment.
  CHECK(text->find("# duration 1m..7d; default: 4h\nticket_lifetime = 4h\n") != std::string::npos);
  CHECK(text->find("igc_roots = \n") != std::string::npos);
}

TEST(ConfigParse, OverridesReplaceTheValueNotTheDocumentation) {
  auto text = DefaultConfigText({{"trust.igc_roots", "trust/a.pem, trust/b.pem"}});
  CHECK_TRUE(text.ok());
  CHECK(text->find("igc_roots = trust/a.pem, trust/b.pem\n") != std::string::npos);
  auto c = ParseConfig(*text, "/n");
  CHECK_TRUE(c.ok());
  LONGS_EQUAL(2, c->trust.igc_roots.size());
  STRCMP_EQUAL("/n/trust/b.pem", c->trust.igc_roots[1].c_str());
  CHECK_FALSE(DefaultConfigText({{"trust.nope", "x"}}).ok());
  CHECK_FALSE(DefaultConfigText({{"nodot", "x"}}).ok());
}

TEST(ConfigParse, TypedValuesAndPaths) {
  // CRLF line ends, indentation and comment lines are accepted.
  auto c = ParseConfig(
      "# comment\r\n  [listen]\r\naddress = [::]:0\nadmin_address=[::1]:9000\n[tls]\n"
      "\tkey = /abs/k.pem\ncert = ../up/c.pem\ntickets = no\nticket_lifetime = 2d\n[limits]\n"
      "handshake_timeout = 500ms\nidle_timeout = 2m\nio_threads = 256\n",
      "/etc/carnet");
  CHECK_TRUE(c.ok());
  STRCMP_EQUAL("::", c->listen.host.c_str());
  LONGS_EQUAL(0, c->listen.port);
  STRCMP_EQUAL("::1", c->listen.admin_host.c_str());
  LONGS_EQUAL(9000, c->listen.admin_port);
  STRCMP_EQUAL("/abs/k.pem", c->tls.key.c_str());
  STRCMP_EQUAL("/etc/up/c.pem", c->tls.cert.c_str());
  CHECK_FALSE(c->tls.tickets);
  LONGS_EQUAL(2 * 86400000, c->tls.ticket_lifetime.count());
  LONGS_EQUAL(500, c->limits.handshake_timeout.count());
  LONGS_EQUAL(120000, c->limits.idle_timeout.count());
  LONGS_EQUAL(256, c->limits.io_threads);
}

TEST(ConfigParse, OptionalPathsMayBeEmpty) {
  auto c = ParseConfig("[tls]\nterminal_ca_key =\n[terminals]\ncrl = \n", "/b");
  CHECK_TRUE(c.ok());
  CHECK_TRUE(c->tls.terminal_ca_key.empty());
  CHECK_TRUE(c->terminals.crl.empty());
}

TEST(ConfigParse, RejectsStructure) {
  CheckRefused("[nodes]\n", "1", "unknown section [nodes]");
  CheckRefused("[tls\n", "1", "a section line is '[name]'");
  CheckRefused("[tls]\n[listen]\n[tls]\n", "3", "duplicate section [tls] (first at line 1)");
  CheckRefused("data_dir = x\n", "1", "before any [section]");
  CheckRefused("[node]\njust words\n", "2", "expected 'key = value'");
  CheckRefused("[node]\nData_Dir = x\n", "2", "invalid key 'Data_Dir'");
  CheckRefused("[node]\n = x\n", "2", "invalid key ''");
  CheckRefused("[node]\nfoo = 1\n", "2", "unknown key 'foo' in [node]");
  CheckRefused("[node]\ncert = x\n", "2", "unknown key 'cert' in [node] (it belongs to [tls])");
  CheckRefused("[node]\ndata_dir = a\n\ndata_dir = b\n", "4",
               "duplicate key 'data_dir' in [node] (first at line 2)");
  CheckRefused("[node]\ndata_dir = a # the data\n", "2", "inline comments are not supported");
  CheckRefused("[node]\ndata_dir = a\x01z\n", "2", "control character at column 13");
  CheckRefused(std::string("[node]\ndata_dir = a\0b\n", 20), "2", "control character");
  CheckRefused("[node]\ndata_dir = a\x7f\n", "2", "control character");
  CheckRefused("[node]\ndata_dir = " + std::string(5000, 'a') + "\n", "2", "longer than 4096");
  std::string big = "[node]\n";
  while (big.size() <= (1 << 20)) big += "# " + std::string(1000, 'x') + "\n";
  STRCMP_EQUAL("t.conf: larger than 1 MiB", Refusal(big).c_str());
}

TEST(ConfigParse, RejectsIntegers) {
  CheckRefused("[limits]\nmax_connections = many\n", "2", "expected a non-negative decimal");
  CheckRefused("[limits]\nmax_connections = -1\n", "2", "expected a non-negative decimal");
  CheckRefused("[limits]\nmax_connections = 1e3\n", "2", "expected a non-negative decimal");
  CheckRefused("[limits]\nmax_connections = 0\n", "2", "0 is out of range (integer 1..1000000)");
  CheckRefused("[limits]\nio_threads = 257\n", "2", "257 is out of range (integer 0..256)");
  CheckRefused("[limits]\nmax_connections = 99999999999999999999\n", "2", "expected a non-neg");
  CheckRefused("[limits]\nmax_connections =\n", "2", "a value is required (integer 1..1000000)");
}

TEST(ConfigParse, RejectsDurations) {
  CheckRefused("[auth]\nfreshness_window = 5\n", "2", "expected a duration like");
  CheckRefused("[auth]\nfreshness_window = 5 m\n", "2", "expected a duration like");
  CheckRefused("[auth]\nfreshness_window = m\n", "2", "expected a duration like");
  CheckRefused("[auth]\nfreshness_window = 5w\n", "2", "expected a duration like");
  CheckRefused("[auth]\nfreshness_window = 9999999999d\n", "2", "expected a duration like");
  CheckRefused("[auth]\nfreshness_window = 999ms\n", "2",
               "999ms is out of range (duration 1s..1d)");
  CheckRefused("[auth]\nfreshness_window = 2d\n", "2", "out of range (duration 1s..1d)");
}

TEST(ConfigParse, RejectsBooleans) {
  CheckRefused("[auth]\nrequire_crl = 1\n", "2", "expected on|off|true|false|yes|no");
  CheckRefused("[auth]\nrequire_crl = ON\n", "2", "expected on|off");
  CheckRefused("[auth]\nrequire_crl =\n", "2", "a value is required (on|off)");
}

TEST(ConfigParse, RejectsHostPorts) {
  CheckRefused("[listen]\naddress = 8443\n", "2", "expected host:port");
  CheckRefused("[listen]\naddress = :8443\n", "2", "expected host:port");
  CheckRefused("[listen]\naddress = ::1:8443\n", "2", "expected host:port");
  CheckRefused("[listen]\naddress = [::1]8443\n", "2", "expected host:port");
  CheckRefused("[listen]\naddress = host name:1\n", "2", "expected host:port");
  CheckRefused("[listen]\naddress = h:65536\n", "2", "port '65536' is not a number 0..65535");
  CheckRefused("[listen]\naddress = h:\n", "2", "port '' is not a number");
  CheckRefused("[listen]\naddress = h:0x10\n", "2", "port '0x10' is not a number");
  CheckRefused("[listen]\naddress = h:000001\n", "2", "is not a number");
}

TEST(ConfigParse, RejectsAdminOutsideLoopback) {
  CheckRefused("[listen]\n\nadmin_address = 0.0.0.0:8444\n", "3",
               "'0.0.0.0' is not a loopback address");
  CheckRefused("[listen]\nadmin_address = [::]:8444\n", "2", "is not a loopback address");
  CheckRefused("[listen]\nadmin_address = admin.example:1\n", "2", "is not a loopback address");
}

TEST(ConfigParse, RejectsTextAndPathValues) {
  CheckRefused("[trust]\nigc_roots = a.pem,,b.pem\n", "2", "empty item");
  CheckRefused("[trust]\nigc_roots = a.pem,\n", "2", "empty item");
  CheckRefused("[trust]\nvitale_ca_reference = " + std::string(17, 'A') + "\n", "2",
               "expected text of 1 to 16 characters");
  CheckRefused("[tls]\ncert =\n", "2", "a value is required (path)");
}

TEST(ConfigParse, LoopbackHosts) {
  CHECK_TRUE(IsLoopbackHost("127.0.0.1"));
  CHECK_TRUE(IsLoopbackHost("127.1.2.3"));
  CHECK_TRUE(IsLoopbackHost("::1"));
  CHECK_TRUE(IsLoopbackHost("localhost"));
  CHECK_FALSE(IsLoopbackHost("127.0.0"));
  CHECK_FALSE(IsLoopbackHost("127.0.0.256"));
  CHECK_FALSE(IsLoopbackHost("127.0.0.1.5"));
  CHECK_FALSE(IsLoopbackHost("127..0.1"));
  CHECK_FALSE(IsLoopbackHost("127.0.0.1x"));
  CHECK_FALSE(IsLoopbackHost("127.example.com"));
  CHECK_FALSE(IsLoopbackHost("128.0.0.1"));
  CHECK_FALSE(IsLoopbackHost("0.0.0.0"));
  CHECK_FALSE(IsLoopbackHost("::"));
}

// ------------------------------------------------------------------------------------------
// File checks, on a real folder.

namespace {

struct TempNode {
  std::string dir;
  TempNode() {
    char tmpl[] = "/tmp/carnet-config-test-XXXXXX";
    dir = mkdtemp(tmpl);
    std::filesystem::create_directories(dir + "/keys");
    std::filesystem::create_directories(dir + "/data");
    for (const char* f :
         {"keys/node.crt.pem", "keys/terminal-ca.crt.pem", "keys/trace-log.pub.pem"}) {
      Write(f, 0644);
    }
    for (const char* f : {"keys/node.key.pem", "keys/terminal-ca.key.pem", "keys/kek.bin",
                          "keys/trace-log.key.pem"}) {
      Write(f, 0600);
    }
  }
  ~TempNode() { std::filesystem::remove_all(dir); }
  void Write(const std::string& name, mode_t mode, const std::string& text = "x") const {
    std::ofstream(dir + "/" + name) << text;
    chmod((dir + "/" + name).c_str(), mode);
  }
};

}  // namespace

TEST_GROUP(ConfigFiles){};

TEST(ConfigFiles, LoadsAWellFormedNode) {
  TempNode n;
  n.Write("node.conf", 0644, "[limits]\nworker_threads = 2\n");
  auto c = LoadConfig(n.dir + "/node.conf");
  if (!c.ok()) FAIL(c.status().ToString().c_str());
  STRCMP_EQUAL((n.dir + "/node.conf").c_str(), c->config_file.c_str());
  STRCMP_EQUAL((n.dir + "/keys/kek.bin").c_str(), c->store.kek_file.c_str());
  LONGS_EQUAL(2, c->limits.worker_threads);
  // No trust anchors yet: loadable, but not ready to serve.
  Status ready = CheckReadyToServe(*c);
  CHECK_EQUAL(static_cast<int>(StatusCode::kFailedPrecondition), static_cast<int>(ready.code()));
  CHECK(ready.message().find("[trust] igc_roots") != std::string::npos);
  CHECK(ready.message().find("[trust] vitale_ca") != std::string::npos);
}

TEST(ConfigFiles, ReadyToServeWithTrustAnchors) {
  NodeConfig c = DefaultConfig("/x");
  c.trust.igc_roots = {"/r"};
  c.trust.igc_crls = {"/c"};
  c.trust.vitale_ca = "/v";
  c.trust.vitale_ca_reference = "CAR";
  CHECK_TRUE(CheckReadyToServe(c).ok());
  c.auth.require_crl = false;
  c.trust.igc_crls.clear();
  CHECK_TRUE(CheckReadyToServe(c).ok());
}

TEST(ConfigFiles, RefusesAKeyOthersCanRead) {
  TempNode n;
  n.Write("keys/kek.bin", 0640);
  n.Write("node.conf", 0644, "");
  auto c = LoadConfig(n.dir + "/node.conf");
  CHECK_EQUAL(static_cast<int>(StatusCode::kPermissionDenied), static_cast<int>(c.status().code()));
  CHECK(c.status().message().find("[store] kek_file") != std::string::npos);
  CHECK(c.status().message().find("mode 0640") != std::string::npos);
}

TEST(ConfigFiles, NamesEveryMissingFile) {
  TempNode n;
  std::filesystem::remove(n.dir + "/keys/node.crt.pem");
  std::filesystem::remove(n.dir + "/keys/trace-log.key.pem");
  n.Write("node.conf", 0644,
          "[trust]\nigc_roots = trust/root.pem\n[directory]\nfile = nodir/d.tsv\n");
  auto c = LoadConfig(n.dir + "/node.conf");
  CHECK_EQUAL(static_cast<int>(StatusCode::kNotFound), static_cast<int>(c.status().code()));
  const std::string m = c.status().message();  // a copy: status() returns by value
  CHECK(m.find("[tls] cert " + n.dir + "/keys/node.crt.pem: does not exist") != std::string::npos);
  CHECK(m.find("[trace] log_key") != std::string::npos);
  CHECK(m.find("[trust] igc_roots " + n.dir + "/trust/root.pem") != std::string::npos);
  CHECK(m.find("[directory] file") != std::string::npos);
  CHECK(m.find("its directory " + n.dir + "/nodir does not exist") != std::string::npos);
}

TEST(ConfigFiles, RefusesWrongKinds) {
  TempNode n;
  std::filesystem::remove_all(n.dir + "/data");
  n.Write("data", 0644);
  std::filesystem::create_directories(n.dir + "/keys/kek-dir");
  n.Write("node.conf", 0644, "[store]\nkek_file = keys/kek-dir\n");
  auto c = LoadConfig(n.dir + "/node.conf");
  CHECK_EQUAL(static_cast<int>(StatusCode::kFailedPrecondition),
              static_cast<int>(c.status().code()));
  CHECK(c.status().message().find("[node] data_dir") != std::string::npos);
  CHECK(c.status().message().find("is not a directory") != std::string::npos);
  CHECK(c.status().message().find("is not a regular file") != std::string::npos);
}

TEST(ConfigFiles, MissingConfigFileAndParseErrorsNameTheFile) {
  TempNode n;
  auto c = LoadConfig(n.dir + "/absent.conf");
  CHECK_EQUAL(static_cast<int>(StatusCode::kNotFound), static_cast<int>(c.status().code()));
  n.Write("bad.conf", 0644, "[node]\n\nnope = 1\n");
  c = LoadConfig(n.dir + "/bad.conf");
  STRCMP_EQUAL((n.dir + "/bad.conf:3: unknown key 'nope' in [node]").c_str(),
               c.status().message().c_str());
}

}  // namespace carnet::node::config
