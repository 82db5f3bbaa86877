// e-CPS requests signed with the device key: what the node will open and check.
#include <CppUTest/TestHarness.h>

#include "crypto/cose/sign1.h"
#include "crypto/jose/jws.h"
#include "crypto/x509/x509_test_support.h"
#include "firmware/ecps/id_token.h"

namespace carnet::fw::ecps {
namespace {

using crypto::testing::SmallPki;
constexpr UnixMillis kNow = crypto::testing::kMid2026;

const crypto::CertAndKey& Device() { return *SmallPki().terminals.at(0).credentials; }

EcpsIdentity Identity() {
  EcpsIdentity id;
  id.idnat = crypto::testing::Gp().IdNat();
  id.issuer = "https://ecps.test.carnet/";
  id.expires_at = kNow + 300000;
  id.id_token = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";  // carried as is; the node checks it
  return id;
}

protocol::Request Read() {
  protocol::Request r;
  r.request_id = Bytes(16, 0x42);
  r.issued_at = kNow;
  r.terminal_id = SmallPki().terminals.at(0).id;
  r.actor.profession = crypto::testing::Gp().profession;
  r.actor.specialty = crypto::testing::Gp().specialty;
  r.patient.ins = "284037511502730";
  r.patient.ins_oid = std::string(protocol::kOidInsNirTest);
  r.action = protocol::Action::kRead;
  r.args = protocol::DocumentRef{"doc-1", std::nullopt};
  return r;
}

}  // namespace

TEST_GROUP(EcpsSign){};

TEST(EcpsSign, DeviceSignedRequestCarriesTheTokenAndVerifiesWithTheDeviceCertificate) {
  FakeRandom rng(3);
  auto cose = SignEcpsRequest(Read(), Identity(), Device().key, Device().cert.der(), kNow, rng);
  CHECK_TEXT(cose.ok(), cose.status().ToString().c_str());
  auto opened = protocol::OpenRequest(*cose);
  CHECK_TEXT(opened.ok(), opened.status().ToString().c_str());
  const protocol::Actor& actor = opened->request.actor;
  STRCMP_EQUAL(Identity().idnat.c_str(), actor.idnat.c_str());
  CHECK_TRUE(actor.id_token.has_value());
  STRCMP_EQUAL(Identity().id_token.c_str(), actor.id_token->c_str());
  CHECK(opened->sign1.alg == crypto::SignatureScheme::kEs256);
  LONGS_EQUAL(1, opened->sign1.x5chain.size());
  CHECK(opened->sign1.x5chain[0] == Device().cert.der());  // the node compares byte for byte
  auto v = crypto::cose::Verify(opened->sign1, Device().cert.public_key());
  CHECK_TEXT(v.ok(), v.ToString().c_str());
}

TEST(EcpsSign, RefusesWhatTheNodeWouldRefuse) {
  FakeRandom rng(3);
  protocol::Request deposit = Read();
  deposit.action = protocol::Action::kDeposit;
  auto d = SignEcpsRequest(deposit, Identity(), Device().key, Device().cert.der(), kNow, rng);
  CHECK_TRUE(d.status().code() == StatusCode::kFailedPrecondition);
  CHECK_TEXT(d.status().message().find("CPS card") != std::string::npos,
             d.status().ToString().c_str());

  protocol::Request patient = Read();
  patient.actor.kind = protocol::ActorKind::kPatient;
  CHECK_FALSE(
      SignEcpsRequest(patient, Identity(), Device().key, Device().cert.der(), kNow, rng).ok());

  auto late = SignEcpsRequest(Read(), Identity(), Device().key, Device().cert.der(),
                              kNow + 300000 + 61000, rng);
  CHECK_TRUE(late.status().code() == StatusCode::kFailedPrecondition);

  // An RSA key (a card key) is not a device key.
  auto rsa = SignEcpsRequest(Read(), Identity(), *SmallPki().ecps_provider_key, Device().cert.der(),
                             kNow, rng);
  CHECK_TRUE(rsa.status().code() == StatusCode::kInvalidArgument);
}

}  // namespace carnet::fw::ecps
