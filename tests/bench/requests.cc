#include "tests/bench/requests.h"

#include <chrono>

#include "crypto/core/hash.h"
#include "crypto/x509/pki.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"

namespace carnet::bench {
namespace {

UnixMillis Now() { return SystemClock::Instance().Now(); }

protocol::Request Base(const Signer& s,
                       const std::string& ins,
                       protocol::Action action,
                       uint64_t n) {
  protocol::Request r;
  r.request_id = RequestId(n);
  r.issued_at = Now();
  r.terminal_id = s.terminal_id;
  r.actor.idnat = s.professional.idnat;
  r.actor.profession = s.professional.profession;
  r.actor.specialty = s.professional.specialty;
  r.patient.ins = ins;
  r.patient.ins_oid = std::string(protocol::kOidInsNirTest);
  r.action = action;
  return r;
}

}  // namespace

Signer LoadSigner(const PkiFiles& pki) {
  Signer s;
  s.professional = FirstProfessional(pki);
  s.ins = FirstPatientIns(pki);
  const std::string dir = "professionals/" + s.professional.rpps + "/";
  s.sig_key = LoadKey(pki.Path(dir + "sig.key.pem"));
  s.aut_key = LoadKey(pki.Path(dir + "aut.key.pem"));
  // x5chain: the card certificate, then the IGC-Santé intermediate (as the card holds it).
  Bytes intermediate = LoadCert(pki.Path("igc/intermediate.crt.pem")).der();
  s.sig_chain = {LoadCert(pki.Path(dir + "sig.crt.pem")).der(), intermediate};
  s.aut_chain = {LoadCert(pki.Path(dir + "aut.crt.pem")).der(), intermediate};
  const std::string vdir = "vitale/patients/" + s.ins + "/";
  s.vitale_key = LoadKey(pki.Path(vdir + "card.key.pem"));
  s.vitale_cvc = ReadFileBytes(pki.Path(vdir + "card.cvc"));
  return s;
}

Bytes RequestId(uint64_t n) {
  static const uint64_t run =
      static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  Bytes id;
  AppendU64Be(id, run);
  AppendU64Be(id, n);
  return id;
}

std::string DocumentId(uint64_t n) {
  return "bench-" + HexEncode(ByteView(RequestId(n)).subspan(4, 4)) + "-" + std::to_string(n);
}

std::string SyntheticIns(size_t i) {
  std::string nir13 = Fmt("18501750%05zu", i % 100000);
  nir13[1] = static_cast<char>('0' + (i / 100000) % 10);
  return nir13 + Fmt("%02d", crypto::NirKey(nir13));
}

protocol::Request Deposit(const Signer& s,
                          const std::string& ins,
                          size_t content_size,
                          uint64_t n) {
  protocol::Request r = Base(s, ins, protocol::Action::kDeposit, n);
  protocol::DepositArgs d;
  d.metadata.id = DocumentId(n);
  d.metadata.type_code = "11488-4";  // compte rendu de consultation (JDV_J66)
  d.metadata.title = "Compte rendu de consultation";
  d.metadata.content_type = "application/pdf";
  d.metadata.confidentiality = {"N"};
  d.content = Bytes(content_size);
  for (size_t i = 0; i < content_size; ++i) d.content[i] = static_cast<uint8_t>(i * 31 + n);
  d.content_sha256 = crypto::Sha256(d.content);
  r.args = std::move(d);
  return r;
}

protocol::Request Read(const Signer& s,
                       const std::string& ins,
                       const std::string& document_id,
                       uint64_t n) {
  protocol::Request r = Base(s, ins, protocol::Action::kRead, n);
  r.args = protocol::DocumentRef{document_id, std::nullopt};
  return r;
}

protocol::Request Open(const Signer& s, const std::string& ins, uint64_t n) {
  protocol::Request r = Base(s, ins, protocol::Action::kOpen, n);
  r.args = protocol::OpenArgs{true};
  return r;
}

protocol::Request JoinCareTeam(const Signer& s, const std::string& ins, uint64_t n) {
  protocol::Request r = Base(s, ins, protocol::Action::kRecordCareTeam, n);
  r.args = protocol::TargetArgs{s.professional.idnat, std::nullopt};
  return r;
}

void AddPresenceProof(const Signer& s, protocol::Request& r) {
  Bytes sig = Must(
      s.vitale_key->Sign(crypto::SignatureScheme::kEs256, r.request_id, SystemRandom::Instance()),
      "Vitale presence proof");
  r.patient.vitale = protocol::VitaleProof{s.vitale_cvc, std::move(sig)};
}

Bytes Sign(const Signer& s, const protocol::Request& r) {
  const bool sig = r.action == protocol::Action::kDeposit ||
                   r.action == protocol::Action::kReplace ||
                   r.action == protocol::Action::kAddOwnDocument;
  const crypto::PrivateKey& key = sig ? *s.sig_key : *s.aut_key;
  crypto::cose::ExternalSignFn signer = [&key](ByteView tbs) -> Result<Bytes> {
    return key.Sign(crypto::SignatureScheme::kRs256, tbs, SystemRandom::Instance());
  };
  return Must(protocol::SignRequest(r, signer, crypto::SignatureScheme::kRs256,
                                    sig ? s.sig_chain : s.aut_chain),
              "signing a request");
}

}  // namespace carnet::bench
