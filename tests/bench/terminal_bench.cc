#include "tests/bench/terminal_bench.h"

#include <functional>

#include "crypto/core/secret.h"
#include "crypto/cose/sign1.h"
#include "crypto/x509/presence_proof.h"
#include "firmware/cps/cps_card.h"
#include "firmware/vitale/vitale_card.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/card/fake_card_reader.h"
#include "tests/cardsim/cps3_card.h"
#include "tests/cardsim/vitale_card.h"

namespace carnet::bench {
namespace {

constexpr char kReader[] = "Bench reader 0";

// EncodePayload + Sig_structure + COSE_Sign1 assembly; the "card" returns 256 bytes at once.
void TimeSigning(
    Table& table, const Signer& s, const char* what, protocol::Request r, double seconds) {
  const Bytes instant(256, 0x5a);
  crypto::cose::ExternalSignFn card = [&instant](ByteView) -> Result<Bytes> { return instant; };
  size_t size = 0;
  double t = TimePerCall(
      [&] {
        size = Must(protocol::SignRequest(r, card, crypto::SignatureScheme::kRs256, s.sig_chain),
                    "SignRequest")
                   .size();
      },
      seconds);
  table.Add("terminal", Fmt("own time per signed request, %s (card excluded)", what),
            Fmt("%.3f ms", t * 1000),
            Fmt("EncodePayload + COSE_Sign1 assembly, %zu B out, instant signer, CPU time", size));
}

struct CardRig {
  FakeRandom rng{7};
  std::unique_ptr<cardsim::SimCard> sim;
  hal::FakeCardReader reader;
  explicit CardRig(const std::function<std::unique_ptr<cardsim::SimCard>(Random&)>& make)
      : sim(make(rng)) {
    reader.AddReader(kReader);
    reader.InsertCard(kReader, sim->Atr());
    reader.SetHandler([this](ByteView cmd) { return sim->Process(cmd); });
    (void)Must(reader.Connect(kReader, hal::ShareMode::kShared), "fake reader connect");
  }
  // APDUs sent by `fn` (GET RESPONSE included: hal sends it on the wire for T=0).
  size_t Count(const std::function<void()>& fn) {
    const size_t before = reader.sent().size();
    fn();
    return reader.sent().size() - before;
  }
};

cardsim::Cps3Config CpsConfig(const PkiFiles& pki, const Signer& s) {
  cardsim::Cps3Config c;
  c.holder.id_nat = s.professional.idnat;
  c.holder.profession = s.professional.profession;
  c.holder.specialty = s.professional.specialty;
  const std::string dir = "professionals/" + s.professional.rpps + "/";
  c.aut_key = LoadKey(pki.Path(dir + "aut.key.pem"));
  c.sig_key = LoadKey(pki.Path(dir + "sig.key.pem"));
  c.aut_cert = s.aut_chain.front();
  c.sig_cert = s.sig_chain.front();
  return c;
}

void CountApdus(Table& table, const PkiFiles& pki, const Signer& s) {
  CardRig cps([&](Random& rng) -> std::unique_ptr<cardsim::SimCard> {
    return std::make_unique<cardsim::Cps3Card>(CpsConfig(pki, s), rng);
  });
  fw::cps::CpsCard card(cps.reader);
  const crypto::SecretBytes pin(AsBytes("1234"));
  size_t open = cps.Count([&] {
    (void)Must(card.ReadIdentity(), "CPS identity");
    (void)Must(card.ReadAutCertificate(), "CPS AUT cert");
    (void)Must(card.ReadSigCertificate(), "CPS SIG cert");
    (void)Must(card.VerifyPin(pin), "CPS PIN");
  });
  const Bytes tbs(600, 0x33);
  size_t sig = cps.Count([&] { (void)Must(card.SignSig(tbs), "CPS SIG signature"); });
  size_t aut = cps.Count([&] { (void)Must(card.SignAut(tbs), "CPS AUT signature"); });

  cardsim::VitaleConfig vc;
  vc.beneficiaries[0].nir = s.ins;
  vc.card_key = LoadKey(pki.Path("vitale/patients/" + s.ins + "/card.key.pem"));
  vc.cvc = s.vitale_cvc;
  CardRig vit([&](Random& rng) -> std::unique_ptr<cardsim::SimCard> {
    return std::make_unique<cardsim::VitaleCard>(std::move(vc), rng);
  });
  fw::vitale::VitaleCard vitale(vit.reader);
  crypto::VitaleTrust trust{
      Must(crypto::PublicKey::FromPem(ToString(ReadFileBytes(pki.Path("vitale/ca.pub.pem")))),
           "Vitale CA"),
      "FRVITALETESTCA01"};
  size_t vopen = vit.Count([&] {
    MustOk(vitale.Read(), "Vitale read");
    MustOk(vitale.VerifyCertificate(trust, SystemClock::Instance().Now()), "Vitale CVC");
    MustOk(vitale.Authenticate(SystemRandom::Instance()), "Vitale authenticate");
  });
  size_t proof = vit.Count([&] { (void)Must(vitale.PresenceProof(RequestId(9)), "proof"); });

  const char* how = "counted through FakeCardReader + tests/cardsim engine, GET RESPONSE included";
  table.Add("terminal APDUs", "CPS once per card session (identity, 2 certs, PIN)",
            Fmt("%zu", open), how);
  table.Add("terminal APDUs", "Vitale once per card session (read, CVC, authenticate)",
            Fmt("%zu", vopen), how);
  table.Add("terminal APDUs", "per deposit: CPS SIG signature + Vitale presence proof",
            Fmt("%zu + %zu = %zu", sig, proof, sig + proof), how);
  table.Add("terminal APDUs", "per read/list: CPS AUT signature + Vitale presence proof",
            Fmt("%zu + %zu = %zu", aut, proof, aut + proof), how);
}

}  // namespace

void MeasureTerminal(Table& table, const PkiFiles& pki, const Signer& s, double seconds) {
  TimeSigning(table, s, "deposit 4 KiB", Deposit(s, s.ins, 4096, 3'000'001), seconds);
  TimeSigning(table, s, "deposit 256 KiB", Deposit(s, s.ins, 256 * 1024, 3'000'002), seconds);
  TimeSigning(table, s, "read", Read(s, s.ins, "doc-1", 3'000'003), seconds);
  CountApdus(table, pki, s);
}

}  // namespace carnet::bench
