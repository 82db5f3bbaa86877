// Every refusal before the policy: its HTTP status, one deny trace entry naming the rule, and
// nothing else stored (no request record, no dossier change, no document).

#include "crypto/core/random.h"
#include "node/authn/rejection.h"
#include "node/service/service_test_env.h"
#include "node/trace/entry.h"

namespace carnet::node::service::testing {
namespace {

using authn::RejectCode;
using authn::testing::GetEnv;
using protocol::Action;

const crypto::TestPatient* Patient() {
  for (const auto& p : GetEnv().pki.patients) {
    if (p.nir == kPatientIns && p.card_key) return &p;
  }
  return nullptr;
}

}  // namespace

TEST_GROUP(ServiceRejection) {
  std::unique_ptr<ServiceEnv> env;
  void setup() override {
    env = std::make_unique<ServiceEnv>();
    Answer open = env->PostGp(GpRequest(Action::kOpen));
    CHECK_TEXT(open.http_status == 200, open.Describe().c_str());
  }
  void teardown() override { env.reset(); }

  // Posts, then checks status, the trace entry and that nothing else was stored.
  void ExpectRefused(ByteView cose, const authn::PeerInfo& peer, int http_status,
                     const std::string& rule, const protocol::Request* request,
                     const std::string& terminal = "TERM-0001") {
    const uint64_t size = env->TraceSize();
    const size_t docs = env->DocumentCount();
    auto settings_before = env->ctx().store().GetPatient(kPatientIns)->settings;
    Answer a = env->Post(cose, peer);
    CHECK_TEXT(a.http_status == http_status, (rule + ": " + a.Describe()).c_str());
    const auto* e = std::get_if<protocol::Error>(&a.response.body);
    CHECK(e != nullptr);
    CHECK_TEXT(e->reason.find(rule) != std::string::npos, e->reason.c_str());
    LONGS_EQUAL(size, e->trace_id.value_or(UINT64_MAX));
    LONGS_EQUAL(size + 1, env->TraceSize());
    trace::TraceEntry t = env->LastTrace();
    CHECK(t.decision == trace::Decision::kDeny);
    STRCMP_EQUAL(rule.c_str(), t.rule_id.c_str());
    LONGS_EQUAL(docs, env->DocumentCount());
    CHECK(settings_before == env->ctx().store().GetPatient(kPatientIns)->settings);
    if (request != nullptr) {
      CHECK_FALSE(env->RequestStored(*request, terminal));
      STRCMP_EQUAL(HexEncode(request->request_id).c_str(), t.request_id.c_str());
    }
  }
  void ExpectAuthn(ByteView cose, const authn::PeerInfo& peer, RejectCode code,
                   const protocol::Request* request) {
    ExpectRefused(cose, peer, authn::RejectHttpStatus(code), authn::RejectRuleId(code), request);
  }
};

TEST(ServiceRejection, NoOrUnknownTerminalCertificate) {
  protocol::Request r = GpRequest(Action::kStatus);
  ExpectAuthn(authn::testing::SignAut(r), authn::PeerInfo{}, RejectCode::kTerminalCertMissing, &r);
  ExpectAuthn(authn::testing::SignAut(r), authn::testing::Peer(GetEnv().pki.node->cert),
              RejectCode::kTerminalCertUntrusted, &r);
}

TEST(ServiceRejection, RevokedTerminal) {
  protocol::Request r = GpRequest(Action::kStatus);
  r.terminal_id = "TERM-0002";
  ExpectRefused(authn::testing::SignAut(r), authn::testing::Peer(GetEnv().Terminal(1).cert), 401,
                authn::RejectRuleId(RejectCode::kTerminalRevoked), &r, "TERM-0002");
  STRCMP_EQUAL("TERM-0002", env->LastTrace().terminal_id.c_str());
}

TEST(ServiceRejection, BadSignature) {
  protocol::Request r = GpRequest(Action::kStatus);
  Bytes cose = authn::testing::SignAut(r);
  cose.back() ^= 0x01;  // the signature is the last byte string
  ExpectAuthn(cose, authn::testing::Term1(), RejectCode::kBadSignature, &r);
}

TEST(ServiceRejection, RevokedCard) {
  const auto& revoked = GetEnv().Revoked();
  protocol::Request r = GpRequest(Action::kStatus);
  r.actor.idnat = revoked.IdNat();
  r.actor.profession = revoked.profession;
  r.actor.specialty = revoked.specialty;
  Bytes cose = authn::testing::SignWith(r, revoked.aut->key, {revoked.aut->cert.der()});
  ExpectAuthn(cose, authn::testing::Term1(), RejectCode::kSignerUntrusted, &r);
}

TEST(ServiceRejection, WrongKeyUsageForADeposit) {
  protocol::Request r = GpRequest(Action::kDeposit);
  ExpectAuthn(authn::testing::SignAut(r), authn::testing::Term1(), RejectCode::kKeyUsageMismatch,
              &r);
}

TEST(ServiceRejection, StaleRequest) {
  protocol::Request r = GpRequest(Action::kStatus);
  r.issued_at = kNow - 3600 * 1000;
  ExpectAuthn(authn::testing::SignAut(r), authn::testing::Term1(), RejectCode::kStale, &r);
}

TEST(ServiceRejection, DirectoryMismatch) {
  protocol::Request r = GpRequest(Action::kStatus);
  r.actor.profession = "21";
  ExpectAuthn(authn::testing::SignAut(r), authn::testing::Term1(), RejectCode::kDirectoryMismatch,
              &r);
}

TEST(ServiceRejection, MalformedAndOversizedCbor) {
  const Bytes garbage = {0xd2, 0x84, 0x40, 0xa0, 0x45, 'h', 'e', 'l', 'l', 'o', 0x40, 0xff};
  ExpectAuthn(garbage, authn::testing::Term1(), RejectCode::kMalformed, nullptr);
  STRCMP_EQUAL("TERM-0001", env->LastTrace().terminal_id.c_str());
  const Bytes huge(9 * 1024 * 1024, 0x00);
  ExpectAuthn(huge, authn::testing::Term1(), RejectCode::kTooLarge, nullptr);
}

TEST(ServiceRejection, VitalePresenceProof) {
  const crypto::TestPatient* patient = Patient();
  if (patient == nullptr) FAIL("the test PKI has no card for the test patient");
  protocol::Request good = GpRequest(Action::kStatus);
  auto sig = patient->card_key->Sign(crypto::SignatureScheme::kEs256, good.request_id,
                                     crypto::Drbg::ForThread());
  CHECK(sig.ok());
  good.patient.vitale = protocol::VitaleProof{patient->cvc, *sig};
  Answer a = env->PostGp(good);
  CHECK_TEXT(a.http_status == 200, a.Describe().c_str());

  protocol::Request bad = GpRequest(Action::kStatus);  // the proof of another request id
  bad.patient.vitale = good.patient.vitale;
  ExpectRefused(authn::testing::SignAut(bad), authn::testing::Term1(), 401, kRuleVitaleProofInvalid,
                &bad);
}

}  // namespace carnet::node::service::testing

namespace carnet::node::service::testing {

TEST(ServiceRejection, TerminalRevokedWhileServingIsRefusedAtItsNextRequest) {
  CHECK_EQUAL(200, env->PostGp(GpRequest(Action::kStatus)).http_status);
  // What `carnet-node revoke-terminal` does to the files of a running node.
  auto reg = authn::TerminalRegistry::Open(env->ctx().config().terminals.registry);
  CHECK(reg.ok());
  const auto& pki = GetEnv().pki;
  authn::TerminalCa ca{&pki.terminal_ca->cert, &pki.terminal_ca->key, "", {}};
  CHECK(reg->Revoke("TERM-0001", ca, env->clock()).ok());
  protocol::Request r = GpRequest(Action::kStatus);
  ExpectAuthn(authn::testing::SignAut(r), authn::testing::Term1(), RejectCode::kTerminalRevoked,
              &r);
  CHECK(env->ctx().ReloadStatus().ok());
}

}  // namespace carnet::node::service::testing
