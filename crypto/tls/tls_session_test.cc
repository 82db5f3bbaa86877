// TLS contexts and sessions, client and server pumped against each other in memory, with a
// test hierarchy made in the test (testing/test_pki.h: mbedtls_x509write_crt).
#include "crypto/tls/tls_session.h"

#include <CppUTest/TestHarness.h>

#include <string>
#include <vector>

#include "crypto/tls/testing/test_pki.h"
#include "crypto/tls/tls_context.h"

namespace carnet::crypto::tls {
namespace {

using testing::IssueTestLeaf;
using testing::LeafKind;
using testing::MakeTestCa;
using testing::TestCert;

// One hierarchy for the whole executable (key generation is the slow part).
struct Pki {
  TestCert operator_ca;   // pins the node's certificate
  TestCert terminal_ca;   // issues terminal certificates
  TestCert rogue_ca;      // unknown to everyone
  TestCert server;        // node, SAN localhost, from operator_ca
  TestCert terminal;      // client, from terminal_ca
  TestCert rogue_server;  // SAN localhost, from rogue_ca
  TestCert rogue_terminal;
};

TestCert Must(Result<TestCert> r) {
  if (!r.ok()) FAIL(r.status().ToString().c_str());
  return std::move(r).value();
}

const Pki& GetPki() {
  static const Pki* pki = [] {
    TestCert op = Must(MakeTestCa("TEST Operator Root"));
    TestCert term = Must(MakeTestCa("TEST Terminal CA"));
    TestCert rogue = Must(MakeTestCa("TEST Rogue CA"));
    TestCert server = Must(IssueTestLeaf(op, "node.test", LeafKind::kServer, "localhost"));
    TestCert terminal = Must(IssueTestLeaf(term, "TERM-0001", LeafKind::kClient, "term-0001"));
    TestCert rs = Must(IssueTestLeaf(rogue, "node.test", LeafKind::kServer, "localhost"));
    TestCert rt = Must(IssueTestLeaf(rogue, "TERM-0001", LeafKind::kClient, "term-0001"));
    return new Pki{std::move(op),       std::move(term), std::move(rogue), std::move(server),
                   std::move(terminal), std::move(rs),   std::move(rt)};
  }();
  return *pki;
}

std::shared_ptr<TlsContext> Server(const TestCert& cert, const TestCert& client_ca) {
  ServerOptions o;
  o.chain_der = {cert.der};
  o.key = &cert.key;
  o.client_ca_der = {client_ca.der};
  auto ctx = TlsContext::Server(o);
  if (!ctx.ok()) FAIL(ctx.status().ToString().c_str());
  return *ctx;
}

std::shared_ptr<TlsContext> Client(const TestCert* cert,
                                   const TestCert& pinned,
                                   const std::string& name = "localhost") {
  ClientOptions o;
  if (cert != nullptr) {
    o.chain_der = {cert->der};
    o.key = &cert->key;
  }
  o.server_ca_der = {pinned.der};
  o.server_name = name;
  auto ctx = TlsContext::Client(o);
  if (!ctx.ok()) FAIL(ctx.status().ToString().c_str());
  return *ctx;
}

std::unique_ptr<TlsSession> Session(std::shared_ptr<TlsContext> ctx) {
  auto s = TlsSession::Create(std::move(ctx));
  if (!s.ok()) FAIL(s.status().ToString().c_str());
  return std::move(s).value();
}

void Transfer(TlsSession& from, TlsSession& to) {
  Bytes out = from.TakeOutgoing();
  if (!out.empty()) CHECK_TRUE(to.Feed(out).ok());
}

struct Outcome {
  Status client;
  Status server;
  bool client_done = false;
  bool server_done = false;
};

void Step(TlsSession& s, Status& status, bool& done) {
  if (done || !status.ok()) return;
  Result<TlsState> r = s.Handshake();
  if (!r.ok()) status = r.status();
  done = r.ok() && *r == TlsState::kDone;
}

// Steps both handshakes, moving bytes after each step, until both finished or failed.
Outcome Handshake(TlsSession& client, TlsSession& server) {
  Outcome o;
  for (int i = 0; i < 40; ++i) {
    Step(client, o.client, o.client_done);
    Transfer(client, server);
    Step(server, o.server, o.server_done);
    Transfer(server, client);
    bool client_end = o.client_done || !o.client.ok();
    bool server_end = o.server_done || !o.server.ok();
    if (client_end && server_end) break;
  }
  return o;
}

// Reads everything `s` can give now.
Bytes ReadAvailable(TlsSession& s) {
  Bytes got;
  std::vector<uint8_t> buf(16384);
  for (;;) {
    Result<TlsIo> r = s.Read(buf);
    CHECK_TRUE(r.ok());
    if (r->state != TlsState::kDone) break;
    got.insert(got.end(), buf.begin(), buf.begin() + static_cast<long>(r->bytes));
  }
  return got;
}

// Number of TLS records of `type` in a byte stream (5-byte headers, RFC 5246 §6.2.1).
size_t CountRecords(const Bytes& stream, uint8_t type) {
  size_t n = 0;
  for (size_t pos = 0; pos + 5 <= stream.size();) {
    size_t len = (size_t{stream[pos + 3]} << 8) | stream[pos + 4];
    if (stream[pos] == type) ++n;
    pos += 5 + len;
  }
  return n;
}

bool Contains(const Status& s, const char* text) {
  return s.message().find(text) != std::string::npos;
}

}  // namespace

TEST_GROUP(Tls) { const Pki& pki = GetPki(); };

TEST(Tls, MutualHandshakeNegotiatesThePolicy) {
  auto server = Session(Server(pki.server, pki.terminal_ca));
  auto client = Session(Client(&pki.terminal, pki.operator_ca));
  Outcome o = Handshake(*client, *server);
  CHECK_TRUE_TEXT(o.client.ok(), o.client.ToString().c_str());
  CHECK_TRUE_TEXT(o.server.ok(), o.server.ToString().c_str());
  CHECK_TRUE(o.client_done && o.server_done);
  STRCMP_EQUAL("TLSv1.2", client->Version().c_str());
  STRCMP_EQUAL("TLSv1.2", server->Version().c_str());
  // Server preference: the first suite of the policy, ECDHE-ECDSA with AES-128-GCM (0xC02B).
  STRCMP_EQUAL("TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256", server->CipherSuite().c_str());
  LONGS_EQUAL(0xC02B, client->CipherSuiteId());
  CHECK_FALSE(client->SessionReused());
  CHECK_FALSE(server->SessionReused());
  // Each side sees the other's leaf: the node matches the terminal id on this.
  Result<Bytes> seen_by_server = server->PeerCertificateDer();
  CHECK_TRUE(seen_by_server.ok());
  CHECK_TRUE(*seen_by_server == pki.terminal.der);
  Result<Bytes> seen_by_client = client->PeerCertificateDer();
  CHECK_TRUE(seen_by_client.ok());
  CHECK_TRUE(*seen_by_client == pki.server.der);
}

TEST(Tls, ServerRefusesAClientWithoutCertificate) {
  auto server = Session(Server(pki.server, pki.terminal_ca));
  auto client = Session(Client(nullptr, pki.operator_ca));
  Outcome o = Handshake(*client, *server);
  CHECK(o.server.code() == StatusCode::kUnauthenticated);
  CHECK_FALSE(o.server_done);
  CHECK(o.client.code() == StatusCode::kAborted);  // the server's alert reached it
  CHECK_FALSE(server->PeerCertificateDer().ok());
}

TEST(Tls, ServerRefusesAClientCertificateFromAnotherCa) {
  auto server = Session(Server(pki.server, pki.terminal_ca));
  auto client = Session(Client(&pki.rogue_terminal, pki.operator_ca));
  Outcome o = Handshake(*client, *server);
  CHECK(o.server.code() == StatusCode::kUnauthenticated);
  CHECK_TRUE_TEXT(Contains(o.server, "not correctly signed by the trusted CA"),
                  o.server.message().c_str());
  CHECK(o.client.code() == StatusCode::kAborted);  // fatal alert from the server
}

TEST(Tls, ClientRefusesAServerFromAnUnpinnedCa) {
  auto server = Session(Server(pki.rogue_server, pki.terminal_ca));
  auto client = Session(Client(&pki.terminal, pki.operator_ca));
  Outcome o = Handshake(*client, *server);
  CHECK(o.client.code() == StatusCode::kUnauthenticated);
  CHECK_FALSE(o.client_done);
  CHECK_FALSE(o.server_done);
}

TEST(Tls, ClientRefusesAServerWithAnotherName) {
  auto server = Session(Server(pki.server, pki.terminal_ca));
  auto client = Session(Client(&pki.terminal, pki.operator_ca, "node.example"));
  Outcome o = Handshake(*client, *server);
  CHECK(o.client.code() == StatusCode::kUnauthenticated);
  CHECK_TRUE_TEXT(Contains(o.client, "Common Name"), o.client.message().c_str());
}

TEST(Tls, TicketResumesTheSecondConnection) {
  auto server_ctx = Server(pki.server, pki.terminal_ca);
  auto client_ctx = Client(&pki.terminal, pki.operator_ca);
  for (int round = 0; round < 3; ++round) {
    if (round == 2) client_ctx->ForgetSession();
    auto server = Session(server_ctx);
    auto client = Session(client_ctx);
    Outcome o = Handshake(*client, *server);
    CHECK_TRUE_TEXT(o.client.ok() && o.server.ok(), o.server.ToString().c_str());
    bool want_reused = round == 1;
    CHECK_EQUAL(want_reused, client->SessionReused());
    CHECK_EQUAL(want_reused, server->SessionReused());
    // The ticket carries the client certificate: the node still knows who this is.
    Result<Bytes> peer = server->PeerCertificateDer();
    CHECK_TRUE(peer.ok() && *peer == pki.terminal.der);
  }
}

TEST(Tls, ApplicationDataBothWaysIncludingManyRecords) {
  auto server = Session(Server(pki.server, pki.terminal_ca));
  auto client = Session(Client(&pki.terminal, pki.operator_ca));
  Outcome o = Handshake(*client, *server);
  CHECK_TRUE(o.client_done && o.server_done);

  Bytes big(256 * 1024);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 31 + i / 251);
  Result<TlsIo> w = client->Write(big);
  CHECK_TRUE(w.ok());
  CHECK(w->state == TlsState::kDone);
  LONGS_EQUAL(big.size(), w->bytes);
  Bytes wire = client->TakeOutgoing();
  CHECK(CountRecords(wire, 23) >= 16);  // 16 KiB per record at most
  CHECK_TRUE(server->Feed(wire).ok());
  CHECK_TRUE(ReadAvailable(*server) == big);
  CHECK_FALSE(server->HasBufferedInput());

  Bytes reply = ToBytes("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
  CHECK_TRUE(server->Write(reply).ok());
  Transfer(*server, *client);
  CHECK_TRUE(ReadAvailable(*client) == reply);

  // close_notify ends the stream cleanly.
  Result<TlsState> closed = client->Close();
  CHECK_TRUE(closed.ok());
  Transfer(*client, *server);
  std::vector<uint8_t> buf(64);
  Result<TlsIo> r = server->Read(buf);
  CHECK_TRUE(r.ok());
  CHECK(r->state == TlsState::kClosed);
  CHECK_FALSE(client->Write(reply).ok());
}

TEST(Tls, GarbageIsACleanErrorThatSticks) {
  auto server = Session(Server(pki.server, pki.terminal_ca));
  CHECK_TRUE(server->Feed(AsBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")).ok());
  Result<TlsState> r = server->Handshake();
  CHECK_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK_TRUE_TEXT(Contains(r.status(), "mbedTLS -0x"), r.status().message().c_str());
  Result<TlsState> again = server->Handshake();
  CHECK(again.status().code() == StatusCode::kInvalidArgument);
  std::vector<uint8_t> buf(16);
  CHECK_FALSE(server->Read(buf).ok());

  // After the handshake: a forged application record fails authentication.
  auto server2 = Session(Server(pki.server, pki.terminal_ca));
  auto client = Session(Client(&pki.terminal, pki.operator_ca));
  Outcome o = Handshake(*client, *server2);
  CHECK_TRUE(o.client_done && o.server_done);
  Bytes forged = {23, 3, 3, 0, 40};
  forged.resize(45, 0xA5);
  CHECK_TRUE(server2->Feed(forged).ok());
  Result<TlsIo> read = server2->Read(buf);
  CHECK_FALSE(read.ok());
  CHECK(read.status().code() == StatusCode::kInvalidArgument);
}

TEST(Tls, FeedIsBounded) {
  auto server = Session(Server(pki.server, pki.terminal_ca));
  Bytes chunk(TlsSession::kMaxBufferedInput);
  CHECK_TRUE(server->Feed(chunk).ok());
  CHECK(server->Feed(Bytes(1)).code() == StatusCode::kResourceExhausted);
}

TEST(Tls, CallsOutOfOrderAreRefused) {
  auto client = Session(Client(&pki.terminal, pki.operator_ca));
  std::vector<uint8_t> buf(16);
  CHECK(client->Read(buf).status().code() == StatusCode::kFailedPrecondition);
  CHECK(client->Write(buf).status().code() == StatusCode::kFailedPrecondition);
  CHECK(client->PeerCertificateDer().status().code() == StatusCode::kFailedPrecondition);
  CHECK(TlsSession::Create(nullptr).status().code() == StatusCode::kInvalidArgument);
}

}  // namespace carnet::crypto::tls
