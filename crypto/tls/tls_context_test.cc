// Context builder refusals, and renegotiation refused in both directions (the other side is
// switched to "renegotiation enabled" through the internals, as an attacker's stack would be).
#include "crypto/tls/tls_context.h"

#include <CppUTest/TestHarness.h>

#include <string>
#include <thread>
#include <vector>

#include "crypto/core/random.h"
#include "crypto/tls/testing/test_pki.h"
#include "crypto/tls/tls_internal.h"

namespace carnet::crypto::tls {
namespace {

using testing::IssueTestLeaf;
using testing::LeafKind;
using testing::MakeTestCa;
using testing::TestCert;

TestCert Must(Result<TestCert> r) {
  if (!r.ok()) FAIL(r.status().ToString().c_str());
  return std::move(r).value();
}

struct Fixture {
  TestCert ca = Must(MakeTestCa("TEST Context CA"));
  TestCert server = Must(IssueTestLeaf(ca, "node.test", LeafKind::kServer, "localhost"));
  TestCert client = Must(IssueTestLeaf(ca, "TERM-0002", LeafKind::kClient, "term-0002"));
};

const Fixture& F() {
  static const Fixture* f = new Fixture;
  return *f;
}

ServerOptions GoodServer() {
  ServerOptions o;
  o.chain_der = {F().server.der};
  o.key = &F().server.key;
  o.client_ca_der = {F().ca.der};
  return o;
}

ClientOptions GoodClient() {
  ClientOptions o;
  o.chain_der = {F().client.der};
  o.key = &F().client.key;
  o.server_ca_der = {F().ca.der};
  o.server_name = "localhost";
  return o;
}

void Transfer(TlsSession& from, TlsSession& to) {
  Bytes out = from.TakeOutgoing();
  if (!out.empty()) CHECK_TRUE(to.Feed(out).ok());
}

void Connect(TlsSession& c, TlsSession& s) {
  for (int i = 0; i < 20 && !(c.handshake_done() && s.handshake_done()); ++i) {
    CHECK_TRUE(c.Handshake().ok());
    Transfer(c, s);
    CHECK_TRUE(s.Handshake().ok());
    Transfer(s, c);
  }
  CHECK_TRUE(c.handshake_done() && s.handshake_done());
}

// True when `wire` is exactly one alert record (content type 21) and small: a refusal, not
// the start of a new handshake (which would be a ServerHello + Certificate, kilobytes).
bool IsOneAlertRecord(const Bytes& wire) {
  if (wire.size() < 5 || wire[0] != 21) return false;
  size_t len = (size_t{wire[3]} << 8) | wire[4];
  return wire.size() == 5 + len && len < 64;
}

}  // namespace

TEST_GROUP(TlsContext){};

TEST(TlsContext, GoodOptionsBuild) {
  CHECK_TRUE(TlsContext::Server(GoodServer()).ok());
  CHECK_TRUE(TlsContext::Client(GoodClient()).ok());
  Result<std::shared_ptr<TlsContext>> server = TlsContext::Server(GoodServer());
  CHECK_TRUE(server.ok() && (*server)->is_server());
}

TEST(TlsContext, BuilderRefusals) {
  ServerOptions no_key = GoodServer();
  no_key.key = nullptr;
  CHECK(TlsContext::Server(no_key).status().code() == StatusCode::kInvalidArgument);
  ServerOptions wrong_key = GoodServer();
  wrong_key.key = &F().client.key;  // does not match the server certificate
  Status s = TlsContext::Server(wrong_key).status();
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_TRUE_TEXT(s.message().find("does not match") != std::string::npos, s.message().c_str());
  ServerOptions no_ca = GoodServer();
  no_ca.client_ca_der.clear();
  CHECK(TlsContext::Server(no_ca).status().code() == StatusCode::kInvalidArgument);
  ServerOptions bad_der = GoodServer();
  bad_der.chain_der = {Bytes{0x30, 0x03, 0x02, 0x01, 0x01}};
  CHECK_FALSE(TlsContext::Server(bad_der).ok());

  ClientOptions no_name = GoodClient();
  no_name.server_name.clear();
  CHECK(TlsContext::Client(no_name).status().code() == StatusCode::kInvalidArgument);
  ClientOptions no_pin = GoodClient();
  no_pin.server_ca_der.clear();
  CHECK(TlsContext::Client(no_pin).status().code() == StatusCode::kInvalidArgument);
  ClientOptions key_only = GoodClient();
  key_only.chain_der.clear();
  CHECK(TlsContext::Client(key_only).status().code() == StatusCode::kInvalidArgument);
}

TEST(TlsContext, RsaKeysAreRefused) {
  Result<PrivateKey> rsa = PrivateKey::GenerateRsa(Drbg::ForThread(), 2048);
  CHECK_TRUE(rsa.ok());
  ServerOptions o = GoodServer();
  o.key = &*rsa;
  Status s = TlsContext::Server(o).status();
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK_TRUE_TEXT(s.message().find("P-256") != std::string::npos, s.message().c_str());
}

TEST(TlsContext, PemHelpers) {
  Result<std::vector<Bytes>> none = CertificatesFromPem("no certificate here");
  CHECK(none.status().code() == StatusCode::kInvalidArgument);
  Result<std::vector<Bytes>> cut = CertificatesFromPem("-----BEGIN CERTIFICATE-----\nMIIB\n");
  CHECK(cut.status().code() == StatusCode::kInvalidArgument);
  std::string pem =
      "-----BEGIN CERTIFICATE-----\n" + Base64Encode(F().ca.der) + "\n-----END CERTIFICATE-----\n";
  Result<std::vector<Bytes>> one = CertificatesFromPem(pem + pem);
  CHECK_TRUE(one.ok());
  LONGS_EQUAL(2, one->size());
  CHECK_TRUE((*one)[1] == F().ca.der);
  CHECK(CertificatesFromPemFile("/nonexistent/x.pem").status().code() == StatusCode::kNotFound);
}

TEST(TlsContext, ServerRefusesClientRenegotiation) {
  auto server_ctx = *TlsContext::Server(GoodServer());
  auto client_ctx = *TlsContext::Client(GoodClient());
  // The "attacker" client would renegotiate if the server let it.
  mbedtls_ssl_conf_renegotiation(&client_ctx->impl()->conf, MBEDTLS_SSL_RENEGOTIATION_ENABLED);
  auto server = std::move(TlsSession::Create(server_ctx)).value();
  auto client = std::move(TlsSession::Create(client_ctx)).value();
  Connect(*client, *server);

  int ret = mbedtls_ssl_renegotiate(&client->impl()->ssl);
  CHECK(ret == MBEDTLS_ERR_SSL_WANT_READ);  // a new ClientHello is on the wire
  Transfer(*client, *server);
  std::vector<uint8_t> buf(64);
  Result<TlsIo> r = server->Read(buf);
  CHECK_TRUE_TEXT(r.ok(), r.status().ToString().c_str());
  CHECK(r->state == TlsState::kWantRead);
  // The answer is a no_renegotiation alert, not a ServerHello.
  CHECK_TRUE(IsOneAlertRecord(server->TakeOutgoing()));
}

TEST(TlsContext, ClientRefusesServerRenegotiation) {
  auto server_ctx = *TlsContext::Server(GoodServer());
  auto client_ctx = *TlsContext::Client(GoodClient());
  mbedtls_ssl_conf_renegotiation(&server_ctx->impl()->conf, MBEDTLS_SSL_RENEGOTIATION_ENABLED);
  auto server = std::move(TlsSession::Create(server_ctx)).value();
  auto client = std::move(TlsSession::Create(client_ctx)).value();
  Connect(*client, *server);

  LONGS_EQUAL(0, mbedtls_ssl_renegotiate(&server->impl()->ssl));  // HelloRequest sent
  Transfer(*server, *client);
  std::vector<uint8_t> buf(64);
  Result<TlsIo> r = client->Read(buf);
  CHECK_TRUE_TEXT(r.ok(), r.status().ToString().c_str());
  CHECK(r->state == TlsState::kWantRead);
  CHECK_TRUE(IsOneAlertRecord(client->TakeOutgoing()));
}

// The other two suites of the policy are negotiable when the client prefers them.
TEST(TlsContext, EachPolicySuiteIsNegotiable) {
  static const int kChaCha[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 0};
  static const int kAes256[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, 0};
  for (const int* suites : {kChaCha, kAes256}) {
    auto server_ctx = *TlsContext::Server(GoodServer());
    auto client_ctx = *TlsContext::Client(GoodClient());
    mbedtls_ssl_conf_ciphersuites(&client_ctx->impl()->conf, suites);
    auto server = std::move(TlsSession::Create(server_ctx)).value();
    auto client = std::move(TlsSession::Create(client_ctx)).value();
    Connect(*client, *server);
    LONGS_EQUAL(suites[0], server->CipherSuiteId());
  }
}

// A peer outside the policy (CBC suite, or TLS 1.1 at most) gets no connection.
TEST(TlsContext, ServerRefusesPeersOutsideThePolicy) {
  static const int kCbc[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, 0};
  for (int variant = 0; variant < 2; ++variant) {
    auto server_ctx = *TlsContext::Server(GoodServer());
    auto client_ctx = *TlsContext::Client(GoodClient());
    mbedtls_ssl_config& conf = client_ctx->impl()->conf;
    if (variant == 0) mbedtls_ssl_conf_ciphersuites(&conf, kCbc);
    if (variant == 1) {
      mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_1);
      mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_2);
    }
    auto server = std::move(TlsSession::Create(server_ctx)).value();
    auto client = std::move(TlsSession::Create(client_ctx)).value();
    CHECK_TRUE(client->Handshake().ok());
    Transfer(*client, *server);
    Result<TlsState> r = server->Handshake();
    CHECK_FALSE(r.ok());
    CHECK_TRUE_TEXT(r.status().code() == StatusCode::kFailedPrecondition,
                    r.status().ToString().c_str());
  }
}

// Contexts are shared by sessions on several threads (the node's I/O threads): the DRBG and
// the ticket keys are mutex-protected mbedTLS objects, the saved session is behind our mutex.
TEST(TlsContext, ContextsAreSharedAcrossThreads) {
  auto server_ctx = *TlsContext::Server(GoodServer());
  auto client_ctx = *TlsContext::Client(GoodClient());
  std::vector<int> ok(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto server = std::move(TlsSession::Create(server_ctx)).value();
        auto client = std::move(TlsSession::Create(client_ctx)).value();
        for (int step = 0; step < 20 && !(client->handshake_done() && server->handshake_done());
             ++step) {
          if (!client->Handshake().ok()) break;
          if (!server->Feed(client->TakeOutgoing()).ok() || !server->Handshake().ok()) break;
          if (!client->Feed(server->TakeOutgoing()).ok()) break;
        }
        if (client->handshake_done() && server->handshake_done()) ++ok[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int n : ok) LONGS_EQUAL(5, n);
}

}  // namespace carnet::crypto::tls
