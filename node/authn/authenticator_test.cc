// Authenticator: the terminal checks, decoding, the CPS card signer, the directory, freshness.
#include "node/authn/authenticator.h"

#include <CppUTest/TestHarness.h>

#include "crypto/core/random.h"
#include "crypto/x509/csr.h"
#include "crypto/x509/name.h"
#include "node/authn/authn_test_pki.h"

namespace carnet::node::authn {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test helpers
using protocol::Action;

AuthResult Auth(ByteView cose, const PeerInfo& peer = Term1(), UnixMillis now = kNow) {
  return GetEnv().MakeAuthenticator().Authenticate(cose, peer, now);
}

directory::Directory DirectoryWith(const std::string& gp_line) {
  std::string text = std::string(directory::kHeader) + "\n" + gp_line;
  auto d = directory::Directory::Parse(text);
  if (!d.ok()) FAIL(d.status().ToString().c_str());
  return std::move(d).value();
}

AuthResult AuthWithDirectory(const directory::Directory& dir, ByteView cose) {
  const Env& env = GetEnv();
  Authenticator a(env.terminal_trust, *env.registry, env.igc_trust, dir, env.Providers());
  return a.Authenticate(cose, Term1(), kNow);
}

}  // namespace

TEST_GROUP(AuthenticateCps){};

TEST(AuthenticateCps, AcceptsAReadSignedWithTheAutKey) {
  Bytes cose = SignAut(GpRequest());
  AuthResult r = Auth(cose);
  CHECK_ACCEPTED(r);
  const AuthenticatedRequest& a = r.value();
  STRCMP_EQUAL("TERM-0001", a.terminal_id.c_str());
  CHECK(a.method == AuthMethod::kCpsCard);
  STRCMP_EQUAL("10", a.profession.c_str());
  STRCMP_EQUAL("SM54", a.specialty.c_str());
  CHECK(a.content_hash == crypto::Sha256(cose));
  STRCMP_EQUAL(GetEnv().Gp().IdNat().c_str(), a.request.actor.idnat.c_str());
  CHECK(a.request.action == Action::kRead);
  CHECK(!a.id_token_nonce.has_value());
}

TEST(AuthenticateCps, AcceptsADepositSignedWithTheSigKey) {
  CHECK_ACCEPTED(Auth(SignSig(GpRequest(Action::kDeposit))));
}

TEST(AuthenticateCps, TooLarge) {
  AuthenticatorOptions small;
  small.limits.max_content_size = 100;
  small.limits.max_overhead = 100;
  small.limits.max_protected_size = 100;
  Bytes big(301, 0);
  CHECK_REJECTED(GetEnv().MakeAuthenticator(small).Authenticate(big, Term1(), kNow),
                 RejectCode::kTooLarge, "limit");
}

TEST(AuthenticateCps, Malformed) {
  CHECK_REJECTED(Auth(ToBytes("not cbor")), RejectCode::kMalformed, "");
  Bytes cose = SignAut(GpRequest());
  cose.pop_back();  // truncated signature bstr
  CHECK_REJECTED(Auth(cose), RejectCode::kMalformed, "");
}

TEST(AuthenticateCps, TerminalCertificateMissing) {
  CHECK_REJECTED(Auth(SignAut(GpRequest()), PeerInfo{}), RejectCode::kTerminalCertMissing,
                 "no TLS");
}

TEST(AuthenticateCps, TerminalCertificateUntrusted) {
  Bytes cose = SignAut(GpRequest());
  // Not a certificate; the node's server certificate (operator root, not the terminal CA); a
  // professional's card certificate (IGC-Santé); a terminal certificate after it expired.
  CHECK_REJECTED(Auth(cose, PeerInfo{Bytes{0x30, 0x03, 0x02, 0x01, 0x01}}),
                 RejectCode::kTerminalCertUntrusted, "client certificate");
  CHECK_REJECTED(Auth(cose, Peer(GetEnv().pki.node->cert)), RejectCode::kTerminalCertUntrusted, "");
  CHECK_REJECTED(Auth(cose, Peer(GetEnv().Gp().aut->cert)), RejectCode::kTerminalCertUntrusted, "");
  CHECK_REJECTED(Auth(cose, Term1(), 2082758400000), RejectCode::kTerminalCertUntrusted, "expired");
}

TEST(AuthenticateCps, TerminalNotEnrolled) {
  // Issued by the terminal CA, but through another registry: chains, yet unknown here.
  node::testing::TempDir dir;
  auto other = TerminalRegistry::Open(dir.File("other.json"));
  auto key = crypto::PrivateKey::GenerateEcP256(crypto::Drbg::ForThread());
  auto csr = crypto::MakeCsr(*key, crypto::SimpleName("FR", "X", {}, "TERM-0001"),
                             crypto::Drbg::ForThread());
  FakeClock clock(kNow - 1000);
  TerminalCa ca = GetEnv().Ca();
  ca.crl_path = "";
  auto pem = other->Enroll(crypto::CsrToPem(*csr), "TERM-0001", ca, clock);
  CHECK_TEXT(pem.ok(), pem.status().ToString().c_str());
  auto cert = crypto::Certificate::FromPem(*pem);
  CHECK_REJECTED(Auth(SignAut(GpRequest()), Peer(cert->front())), RejectCode::kTerminalNotEnrolled,
                 "TERM-0001");
}

TEST(AuthenticateCps, TerminalRevoked) {
  protocol::Request req = GpRequest();
  req.terminal_id = "TERM-0002";
  CHECK_REJECTED(Auth(SignAut(req), Peer(GetEnv().Terminal(1).cert)), RejectCode::kTerminalRevoked,
                 "TERM-0002");
}

TEST(AuthenticateCps, TerminalIdMismatch) {
  protocol::Request req = GpRequest();
  req.terminal_id = "TERM-0002";
  CHECK_REJECTED(Auth(SignAut(req)), RejectCode::kTerminalMismatch, "TERM-0002");
}

TEST(AuthenticateCps, PortalCannotSendCardRequests) {
  protocol::Request req = GpRequest();
  req.terminal_id = "PORTAL-0001";
  CHECK_REJECTED(Auth(SignAut(req), Peer(GetEnv().pki.portal->cert)),
                 RejectCode::kClientRoleMismatch, "terminals");
}

TEST(AuthenticateCps, SignerCertificateMissing) {
  const auto& aut = *GetEnv().Gp().aut;
  CHECK_REJECTED(Auth(SignWith(GpRequest(), aut.key, {})), RejectCode::kSignerCertMissing,
                 "x5chain");
}

TEST(AuthenticateCps, KeyUsageMismatch) {
  // A deposit signed with the AUT key; a read signed with the SIG key.
  CHECK_REJECTED(Auth(SignAut(GpRequest(Action::kDeposit))), RejectCode::kKeyUsageMismatch,
                 "deposit");
  CHECK_REJECTED(Auth(SignSig(GpRequest())), RejectCode::kKeyUsageMismatch, "read");
}

TEST(AuthenticateCps, BadSignature) {
  // The AUT certificate in x5chain, the signature by another key (the SIG key).
  const auto& gp = GetEnv().Gp();
  CHECK_REJECTED(Auth(SignWith(GpRequest(), gp.sig->key, {gp.aut->cert.der()})),
                 RejectCode::kBadSignature, "signature");
}

TEST(AuthenticateCps, SignerUntrusted) {
  const Env& env = GetEnv();
  // The revoked physician's AUT card (on the IGC CRL).
  protocol::Request req = GpRequest();
  req.actor.idnat = env.Revoked().IdNat();
  const auto& aut = *env.Revoked().aut;
  CHECK_REJECTED(Auth(SignWith(req, aut.key, {aut.cert.der()})), RejectCode::kSignerUntrusted,
                 "revoked");
  // A trust store without the CRL while require_crl is on.
  crypto::TrustStore no_crl;
  CHECK(no_crl.AddRoot(env.pki.igc_root->cert).ok());
  CHECK(no_crl.AddIntermediate(env.pki.igc_intermediate->cert).ok());
  Authenticator a(env.terminal_trust, *env.registry, no_crl, env.directory, env.Providers());
  CHECK_REJECTED(a.Authenticate(SignAut(GpRequest()), Term1(), kNow), RejectCode::kSignerUntrusted,
                 "CRL");
  // A certificate that does not chain to IGC-Santé: another terminal's, used as a "card".
  const auto& term = env.Terminal(1);
  CHECK_REJECTED(Auth(SignWith(GpRequest(), term.key, {term.cert.der()})),
                 RejectCode::kSignerUntrusted, "signer certificate");
}

TEST(AuthenticateCps, ForeignCardChainIsUntrusted) {
  const Env& env = GetEnv();
  // A card certificate for the GP's idNat issued by an impostor CA named like IGC-Santé.
  auto ca_key = crypto::PrivateKey::GenerateEcP256(crypto::Drbg::ForThread());
  auto leaf_key = crypto::PrivateKey::GenerateEcP256(crypto::Drbg::ForThread());
  crypto::IssueParams ca_params;
  ca_params.serial = Bytes{0x01};
  ca_params.not_before = kNow - 1000;
  ca_params.not_after = kNow + 1000000;
  ca_params.key_usage = crypto::kKuKeyCertSign | crypto::kKuCrlSign;
  ca_params.is_ca = true;
  auto ca = crypto::IssueCertificate(crypto::SimpleName("FR", "X", {}, crypto::kIgcIntermediateCn),
                                     ca_key->public_key(), ca_params, nullptr, *ca_key,
                                     crypto::Drbg::ForThread());
  CHECK(ca.ok());
  crypto::IssueParams leaf_params = ca_params;
  leaf_params.serial = Bytes{0x02};
  leaf_params.is_ca = false;
  leaf_params.key_usage = crypto::kKuDigitalSignature;
  crypto::HolderName holder{env.Gp().IdNat(), env.Gp().surname, env.Gp().given_name, "Médecin"};
  auto leaf =
      crypto::IssueCertificate(crypto::HolderDistinguishedName(holder, "X"), leaf_key->public_key(),
                               leaf_params, &*ca, *ca_key, crypto::Drbg::ForThread());
  CHECK_TEXT(leaf.ok(), leaf.status().ToString().c_str());
  CHECK_REJECTED(Auth(SignWith(GpRequest(), *leaf_key, {leaf->der(), ca->der()})),
                 RejectCode::kSignerUntrusted, "signer certificate");
}

TEST(AuthenticateCps, ActorMismatch) {
  // The GP's card signing for another professional of the directory.
  protocol::Request req = GpRequest();
  req.actor.idnat = GetEnv().Revoked().IdNat();
  CHECK_REJECTED(Auth(SignAut(req)), RejectCode::kActorMismatch, req.actor.idnat);
}

TEST(AuthenticateCps, Directory) {
  Bytes cose = SignAut(GpRequest());
  CHECK_REJECTED(AuthWithDirectory(DirectoryWith(""), cose), RejectCode::kDirectoryUnknown,
                 "not in the directory");
  CHECK_REJECTED(
      AuthWithDirectory(
          DirectoryWith("8|99700100011|899700100011|DUBOIS|CLAIRE|10|SM54|inactive\n"), cose),
      RejectCode::kDirectoryInactive, "inactive");
  CHECK_REJECTED(AuthWithDirectory(
                     DirectoryWith("8|99700100011|899700100011|DUBOIS|CLAIRE|60||active\n"), cose),
                 RejectCode::kDirectoryMismatch, "directory has 60/");
  CHECK_REJECTED(
      AuthWithDirectory(DirectoryWith("8|99700100011|899700100011|DUBOIS|CLAIRE|10|SM04|active\n"),
                        cose),
      RejectCode::kDirectoryMismatch, "10/SM04");
  // The request claiming another specialty than the directory's.
  protocol::Request req = GpRequest();
  req.actor.specialty = "SM04";
  CHECK_REJECTED(Auth(SignAut(req)), RejectCode::kDirectoryMismatch, "10/SM04");
}

TEST(AuthenticateCps, Freshness) {
  Bytes cose = SignAut(GpRequest());
  const int64_t minute = 60000;
  CHECK_ACCEPTED(Auth(cose, Term1(), kNow + 5 * minute));
  CHECK_ACCEPTED(Auth(cose, Term1(), kNow - 5 * minute));
  CHECK_REJECTED(Auth(cose, Term1(), kNow + 5 * minute + 1), RejectCode::kStale, "freshness");
  CHECK_REJECTED(Auth(cose, Term1(), kNow - 5 * minute - 1), RejectCode::kStale, "freshness");
  AuthenticatorOptions tight;
  tight.freshness_window = std::chrono::seconds(10);
  CHECK_REJECTED(GetEnv().MakeAuthenticator(tight).Authenticate(cose, Term1(), kNow + 11000),
                 RejectCode::kStale, "");
}

TEST(AuthenticateCps, RejectionTableIsComplete) {
  for (int i = 0; i <= static_cast<int>(RejectCode::kStale); ++i) {
    auto code = static_cast<RejectCode>(i);
    Rejection r = Reject(code, "x");
    CHECK(r.reject_code == code);
    CHECK(!r.code.empty());
    CHECK(r.rule_id.rfind("AUTHN_", 0) == 0);
    CHECK(r.http_status == 400 || r.http_status == 401 || r.http_status == 409 ||
          r.http_status == 413);
  }
  STRCMP_EQUAL("AUTHN_TERMINAL_NOT_ENROLLED",
               RejectRuleId(RejectCode::kTerminalNotEnrolled).c_str());
  LONGS_EQUAL(409, RejectHttpStatus(RejectCode::kStale));
  LONGS_EQUAL(413, RejectHttpStatus(RejectCode::kTooLarge));
  LONGS_EQUAL(400, RejectHttpStatus(RejectCode::kMalformed));
}

}  // namespace carnet::node::authn
