// The terminal configuration parser: what it accepts and each way it refuses.
#include "firmware/session/terminal_config.h"

#include <string>

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::session {
namespace {

std::string Refusal(const char* text) {
  auto c = ParseTerminalConfig(text, "/etc/carnet");
  return c.ok() ? std::string("accepted") : c.status().message();
}

bool Has(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

}  // namespace

TEST_GROUP(TerminalConfig){};

TEST(TerminalConfig, FullFile) {
  auto c = ParseTerminalConfig(
      "# terminal\n\nnode = 127.0.0.1:8443\noperator_ca = ca.pem\nkeystore = /var/keys\n"
      "device_cert = device.pem\noutbox = outbox.db\nstate_dir = state\nidle_timeout = 60\n"
      "pki_index = pki/index.json\ncrl = a.der\ncrl = b.der\nvitale_car = FRVITALETESTCA01\n",
      "/etc/carnet");
  CHECK(c.ok());
  STRCMP_EQUAL("127.0.0.1", c->node_host.c_str());
  LONGS_EQUAL(8443, c->node_port);
  STRCMP_EQUAL("/etc/carnet/ca.pem", c->operator_ca.c_str());
  STRCMP_EQUAL("/var/keys", c->keystore.c_str());
  STRCMP_EQUAL("device-key", c->device_key.c_str());
  LONGS_EQUAL(60, c->idle_timeout.count());
  LONGS_EQUAL(4, c->trust.size());
  STRCMP_EQUAL("pki-index", c->trust[0].first.c_str());
  STRCMP_EQUAL("/etc/carnet/pki/index.json", c->trust[0].second.c_str());
  STRCMP_EQUAL("FRVITALETESTCA01", c->trust[3].second.c_str());  // not a path
}

TEST(TerminalConfig, Refusals) {
  CHECK(Has(Refusal("frob = 1\n"), "line 1: unknown key 'frob'"));
  CHECK(Has(Refusal("\nnode = a:1\nnode = b:2\n"), "line 3: 'node' given twice"));
  CHECK(Has(Refusal("node\n"), "expected 'key = value'"));
  CHECK(Has(Refusal("node = \n"), "empty key or value"));
  CHECK(Has(Refusal("node = host\n"), "host:port"));
  CHECK(Has(Refusal("node = host:0\n"), "1..65535"));
  CHECK(Has(Refusal("node = host:70000\n"), "1..65535"));
  CHECK(Has(Refusal("node = host:8x\n"), "digits"));
  CHECK(Has(Refusal("idle_timeout = 0\n"), "1..86400"));
  CHECK(Has(Refusal("idle_timeout = 5m\n"), "digits"));
  CHECK(Has(Refusal("outbox = a\x01"
                    "b\n"),
            "control character"));
  CHECK(Has(Refusal(std::string(2000, 'a').c_str()), "longer than 1024"));
}

TEST(TerminalConfig, MissingFileSaysWhich) {
  auto c = LoadTerminalConfig("/nonexistent/terminal.conf");
  CHECK_FALSE(c.ok());
  CHECK(Has(c.status().message(), "/nonexistent/terminal.conf"));
}

}  // namespace carnet::fw::session
