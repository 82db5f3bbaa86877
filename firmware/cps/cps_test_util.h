#pragma once
// Unit-test fixture pieces: the simulator's CPS3 engine (tests/cardsim) behind a
// FakeCardReader, loaded with the small test PKI's general practitioner or revoked physician.

#include <cstring>
#include <functional>
#include <memory>

#include "crypto/x509/trust_store.h"
#include "crypto/x509/x509_test_support.h"
#include "firmware/cps/cps_card.h"
#include "hal/card/fake_card_reader.h"
#include "tests/cardsim/cps3_card.h"

namespace carnet::fw::cps::testing {

inline constexpr char kReader[] = "Fake reader 0";

inline crypto::PrivateKey CopyKey(const crypto::PrivateKey& key) {
  return crypto::PrivateKey::FromPem(key.ToPem().value()).value();
}

inline cardsim::Cps3Config ConfigFor(const crypto::TestProfessional& p) {
  cardsim::Cps3Config c;
  c.holder.id_nat = p.IdNat();
  c.holder.last_name = p.surname;
  c.holder.first_name = p.given_name;
  c.holder.profession = p.profession;
  c.holder.specialty = p.specialty;
  c.aut_key = CopyKey(p.aut->key);
  c.sig_key = CopyKey(p.sig->key);
  c.aut_cert = p.aut->cert.der();
  c.sig_cert = p.sig->cert.der();
  return c;
}

inline crypto::SecretBytes Secret(const char* s) {
  return crypto::SecretBytes(ByteView(reinterpret_cast<const uint8_t*>(s), std::strlen(s)));
}

inline crypto::TrustStore IgcTrust() {
  const crypto::TestPki& pki = crypto::testing::SmallPki();
  crypto::TrustStore t;
  t.AddRoot(pki.igc_root->cert).IgnoreError();
  t.AddIntermediate(pki.igc_intermediate->cert).IgnoreError();
  t.AddCrlDer(pki.igc_crl).IgnoreError();
  if (!pki.igc_root_crl.empty()) t.AddCrlDer(pki.igc_root_crl).IgnoreError();
  return t;
}

// A connected fake reader answering with the simulator engine; `tamper` may rewrite an answer.
struct SimBench {
  FakeRandom rng{5};
  std::unique_ptr<cardsim::Cps3Card> sim;
  hal::FakeCardReader reader;
  std::function<Bytes(ByteView cmd, Bytes answer)> tamper;

  explicit SimBench(cardsim::Cps3Config config) {
    sim = std::make_unique<cardsim::Cps3Card>(std::move(config), rng);
    reader.AddReader(kReader);
    reader.InsertCard(kReader, sim->Atr());
    reader.SetHandler([this](ByteView cmd) {
      Bytes answer = sim->Process(cmd);
      return tamper ? tamper(cmd, std::move(answer)) : answer;
    });
    reader.Connect(kReader, hal::ShareMode::kShared).status().IgnoreError();
  }
};

}  // namespace carnet::fw::cps::testing
