// Request building without cards: shape checks before anything is signed, deposit arguments.
#include "firmware/session/request_builder.h"

#include "crypto/core/hash.h"
#include "crypto/x509/x509_test_support.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::session {
namespace {

RequestInputs Inputs() {
  RequestInputs in;
  in.terminal_id = "TERM-0001";
  in.professional = {crypto::testing::Gp().IdNat(), "10", ""};
  in.patient_nir = "284037511502730";
  in.action = protocol::Action::kList;
  in.args = protocol::ListFilter{};
  in.now = 1782864000000;
  return in;
}

}  // namespace

TEST_GROUP(RequestBuilder) { FakeRandom rng{9}; };

TEST(RequestBuilder, FreshIdPerRequest) {
  auto a = BuildRequest(Inputs(), rng);
  auto b = BuildRequest(Inputs(), rng);
  CHECK(a.ok());
  CHECK(b.ok());
  LONGS_EQUAL(16, a->request_id.size());
  CHECK(a->request_id != b->request_id);
  CHECK(a->actor.kind == protocol::ActorKind::kProfessional);
  STRCMP_EQUAL("TERM-0001", a->terminal_id.c_str());
}

TEST(RequestBuilder, BadNirRefusedBeforeSigning) {
  RequestInputs in = Inputs();
  in.patient_nir = "284037511502731";  // wrong key
  auto r = BuildRequest(in, rng);
  CHECK_FALSE(r.ok());
  CHECK(r.status().message().find("would be refused by the node") != std::string::npos);
}

TEST(RequestBuilder, ArgumentsMustFitTheAction) {
  RequestInputs in = Inputs();
  in.action = protocol::Action::kDeposit;  // with list arguments
  CHECK_FALSE(BuildRequest(in, rng).ok());
}

TEST(RequestBuilder, ProofFailureSignsNothing) {
  auto r = BuildRequest(Inputs(), rng);
  CHECK_OK(r);
  int signatures = 0;
  auto out = ProveAndSign(
      *r, [](ByteView) -> Result<PresenceProof> { return Unavailable("card removed"); },
      [&](ByteView) -> Result<Bytes> {
        ++signatures;
        return Bytes(256, 1);
      },
      Bytes{1, 2, 3});
  CHECK_FALSE(out.ok());
  CHECK(out.status().code() == StatusCode::kUnavailable);
  LONGS_EQUAL(0, signatures);
}

TEST(RequestBuilder, DepositArgsCarryHashAndFlags) {
  DepositChoice c;
  c.type_code = "11488-4";
  c.title = "Compte rendu";
  c.masked = true;
  auto a = MakeDepositArgs(c, Bytes{1, 2, 3}, rng);
  CHECK(a.ok());
  LONGS_EQUAL(36, a->metadata.id.size());
  CHECK_EQUAL('4', a->metadata.id[14]);
  CHECK(a->metadata.masked);
  CHECK_FALSE(a->metadata.invisible_patient);
  CHECK(a->content_sha256 == crypto::Sha256(Bytes{1, 2, 3}));
  CHECK_FALSE(MakeDepositArgs(c, Bytes{}, rng).ok());
}

}  // namespace carnet::fw::session
