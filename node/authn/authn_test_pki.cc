#include "node/authn/authn_test_pki.h"

#include "crypto/core/random.h"
#include "crypto/cose/sign1.h"
#include "crypto/jose/jws.h"
#include "hal/base/json.h"
#include "node/directory/test_pki_directory.h"

namespace carnet::node::authn::testing {
namespace {

std::unique_ptr<Env> BuildEnv() {
  auto env = std::make_unique<Env>();
  auto pki = crypto::BuildTestPki({std::string("node-authn-test"), true});
  if (!pki.ok()) return nullptr;
  env->pki = std::move(pki).value();
  const crypto::TestPki& p = env->pki;
  if (!env->terminal_trust.AddRoot(p.terminal_ca->cert).ok()) return nullptr;
  if (!env->igc_trust.AddRoot(p.igc_root->cert).ok()) return nullptr;
  if (!env->igc_trust.AddIntermediate(p.igc_intermediate->cert).ok()) return nullptr;
  if (!env->igc_trust.AddCrlDer(p.igc_crl).ok()) return nullptr;
  auto text = directory::FormatDirectory(directory::EntriesFromTestPki(p));
  if (!text.ok()) return nullptr;
  env->directory = std::move(directory::Directory::Parse(*text)).value();
  auto reg = TerminalRegistry::Open(env->dir.File("terminals.json"));
  if (!reg.ok()) return nullptr;
  env->registry = std::make_unique<TerminalRegistry>(std::move(reg).value());
  TerminalRegistry& r = *env->registry;
  if (!r.Register(p.terminals[0].credentials->cert, "TERM-0001", ClientRole::kTerminal, kNow)
           .ok() ||
      !r.Register(p.terminals[1].credentials->cert, "TERM-0002", ClientRole::kTerminal, kNow)
           .ok() ||
      !r.Register(p.portal->cert, "PORTAL-0001", ClientRole::kPortal, kNow).ok()) {
    return nullptr;
  }
  FakeClock clock(kNow);
  if (!r.Revoke("TERM-0002", env->Ca(), clock).ok()) return nullptr;
  return env;
}

crypto::SignatureScheme SchemeFor(const crypto::PrivateKey& key) {
  return key.type() == crypto::KeyType::kRsa ? crypto::SignatureScheme::kRs256
                                             : crypto::SignatureScheme::kEs256;
}

}  // namespace

Env& GetEnv() {
  static std::unique_ptr<Env> env = BuildEnv();
  if (env == nullptr) FAIL("building the node/authn test environment failed");
  return *env;
}

const crypto::TestProfessional& Env::Gp() const { return pki.professionals.at(0); }
const crypto::TestProfessional& Env::Revoked() const {
  for (const auto& p : pki.professionals) {
    if (p.revoked) return p;
  }
  return pki.professionals.at(0);
}
const crypto::CertAndKey& Env::Terminal(int index) const {
  return *pki.terminals.at(static_cast<size_t>(index)).credentials;
}

TerminalCa Env::Ca() const {
  TerminalCa ca;
  ca.cert = &pki.terminal_ca->cert;
  ca.key = &pki.terminal_ca->key;
  ca.crl_path = dir.File("terminal-ca.crl.pem");
  return ca;
}

std::vector<EcpsProvider> Env::Providers() const {
  std::vector<EcpsProvider> out(1);
  out[0].issuer = kIssuer;
  out[0].keys.push_back(pki.ecps_provider_key->public_key());
  return out;
}

Authenticator Env::MakeAuthenticator(AuthenticatorOptions options) const {
  return Authenticator(terminal_trust, *registry, igc_trust, directory, Providers(), options);
}

protocol::Request GpRequest(protocol::Action action) {
  const Env& env = GetEnv();
  protocol::Request r;
  r.request_id = Bytes(16, 0x42);
  r.issued_at = kNow;
  r.terminal_id = "TERM-0001";
  r.actor.idnat = env.Gp().IdNat();
  r.actor.profession = env.Gp().profession;
  r.actor.specialty = env.Gp().specialty;
  r.patient.ins = kPatientIns;
  r.patient.ins_oid = std::string(protocol::kOidInsNirTest);
  r.action = action;
  if (action == protocol::Action::kDeposit) {
    protocol::DepositArgs d;
    d.metadata.id = "doc-1";
    d.metadata.type_code = "11488-4";
    d.metadata.title = "Compte rendu";
    d.metadata.content_type = "application/pdf";
    d.content = ToBytes("%PDF-1.4 test");
    d.content_sha256 = crypto::Sha256(d.content);
    r.args = d;
  } else {
    r.args = protocol::DocumentRef{"doc-1", std::nullopt};
    r.action = protocol::Action::kRead;
  }
  return r;
}

protocol::Request PatientRequest() {
  protocol::Request r = GpRequest();
  r.terminal_id = "PORTAL-0001";
  r.actor = protocol::Actor{};
  r.actor.kind = protocol::ActorKind::kPatient;
  r.actor.idnat = kPatientIns;
  r.action = protocol::Action::kTraces;
  r.args = protocol::TraceRange{};
  return r;
}

Bytes SignWith(const protocol::Request& request,
               const crypto::PrivateKey& key,
               const std::vector<Bytes>& x5chain) {
  auto payload = protocol::EncodePayload(request);
  if (!payload.ok()) FAIL(payload.status().ToString().c_str());
  auto cose = crypto::cose::Sign(key, SchemeFor(key), *payload, x5chain);
  if (!cose.ok()) FAIL(cose.status().ToString().c_str());
  return *cose;
}

Bytes SignAut(const protocol::Request& request) {
  const auto& aut = *GetEnv().Gp().aut;
  return SignWith(request, aut.key, {aut.cert.der()});
}

Bytes SignSig(const protocol::Request& request) {
  const auto& sig = *GetEnv().Gp().sig;
  return SignWith(request, sig.key, {sig.cert.der()});
}

PeerInfo Peer(const crypto::Certificate& cert) { return PeerInfo{cert.der()}; }
PeerInfo Term1() { return Peer(GetEnv().Terminal(0).cert); }

std::string GoodClaims() {
  json::Value c = json::Value::MakeObject();
  c.Set("iss", json::Value::String(kIssuer));
  c.Set("aud", json::Value::String("TERM-0001"));
  c.Set("sub", json::Value::String(GetEnv().Gp().IdNat()));
  c.Set("nonce", json::Value::String("challenge-123"));
  c.Set("acr", json::Value::String("eidas1"));
  c.Set("iat", json::Value::Int(kNow / 1000 - 30));
  c.Set("exp", json::Value::Int(kNow / 1000 + 300));
  return json::Write(c);
}

std::string IdToken(const std::string& claims_json) {
  auto t =
      crypto::jose::SignCompact(*GetEnv().pki.ecps_provider_key, crypto::SignatureScheme::kRs256,
                                AsBytes(claims_json), "provider-1");
  if (!t.ok()) FAIL(t.status().ToString().c_str());
  return *t;
}

Bytes SignEcps(protocol::Request request, const std::string& id_token) {
  request.actor.id_token = id_token;
  const auto& term = GetEnv().Terminal(0);
  return SignWith(request, term.key, {term.cert.der()});
}

}  // namespace carnet::node::authn::testing
