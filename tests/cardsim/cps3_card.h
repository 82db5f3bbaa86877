#pragma once
// Cps3Card: the CPS3 profile of the simulator (cards.md §1; DESIGN.md §6).
//
// Byte-exact contact ATR, T=0 behaviour, MF / EF.ATR / EF.DIR / EF.SN.ICC, the IAS-ECC
// application DF 0001 with its PKCS#15 structure (ODF, TokenInfo, AODF, PrKDF, CDF and the two
// certificates), holder data (README.md: this project's layout, the real one is not public),
// CHV1 PIN and PUK with their counters, GET DATA of the counters, GET CHALLENGE, and the two
// RSA-2048 keys: AUT (0x82, MSE SET AT + INTERNAL AUTHENTICATE) and SIG (0x81, MSE SET HT/DST +
// PSO HASH with a partial SHA-256 state + PSO COMPUTE DIGITAL SIGNATURE).

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "crypto/core/hash.h"
#include "crypto/core/pk.h"
#include "crypto/core/secret.h"
#include "tests/cardsim/sim_card.h"

namespace carnet::cardsim {

inline constexpr uint8_t kCps3Atr[] = {0x3B, 0xAC, 0x00, 0x40, 0x2A, 0x00, 0x12, 0x25, 0x00,
                                       0x64, 0x80, 0x00, 0x03, 0x10, 0x00, 0x90, 0x00};
inline constexpr uint8_t kCpxIasAid[] = {0xE8, 0x28, 0xBD, 0x08, 0x0F, 0x80, 0x25,
                                         0x00, 0x00, 0x01, 0xFF, 0x00, 0x10};
inline constexpr uint8_t kKeyRefSig = 0x81;
inline constexpr uint8_t kKeyRefAut = 0x82;
inline constexpr int kPinTriesMax = 3;
inline constexpr int kPukTriesMax = 10;

struct Situation {
  std::string mode = "L";           // mode d'exercice: L libéral, S salarié, R remplaçant
  std::string sector = "SA07";      // secteur d'activité
  std::string structure_id = "";    // identifiant de la structure (FINESS/SIRET...)
  std::string structure_name = "";  // raison sociale
  std::string billing_number = "";  // numéro de facturation (8 + key)
  std::string specialty = "";       // code spécialité for this situation
};

struct Cps3Holder {
  std::string card_type = "0";          // 0 = CPS (TRE_R87)
  std::string id_nat = "899700218896";  // '8' + RPPS: the certificate CN
  std::string civility = "M";
  std::string last_name = "MEDECIN";
  std::string first_name = "PAUL";
  std::string profession = "10";   // TRE_G15: 10 médecin, 21 pharmacien, 60 infirmier...
  std::string specialty = "SM54";  // savoir-faire (TRE_R38), e.g. SM54 médecine générale
  std::string category = "C";      // catégorie professionnelle: C civil
  std::vector<Situation> situations = {Situation{}};
};

struct Cps3Config {
  std::string card_number = "992138450";  // up to 10 digits, BCD in EF.SN.ICC after 8025000001
  std::string pin = "1234";               // 4 digits
  std::string puk = "12345678";           // 8 digits
  Cps3Holder holder;
  // Keys and certificates (DER). Without keys, key operations answer 6A88.
  std::optional<crypto::PrivateKey> aut_key;
  std::optional<crypto::PrivateKey> sig_key;
  Bytes aut_cert;
  Bytes sig_cert;
};

class Cps3Card final : public SimCard {
 public:
  explicit Cps3Card(Cps3Config config, Random& rng);
  Bytes Atr() const override { return Bytes(std::begin(kCps3Atr), std::end(kCps3Atr)); }

  int pin_tries_left() const { return pin_tries_; }
  int puk_tries_left() const { return puk_tries_; }

 private:
  Answer Dispatch(const CommandApdu& cmd) override;
  void OnReset() override;
  bool PinVerified() const override { return pin_verified_; }

  void BuildFiles();
  Answer Verify(const CommandApdu& cmd);
  Answer ResetRetryCounter(const CommandApdu& cmd);
  Answer ChangeReferenceData(const CommandApdu& cmd);
  Answer GetData(const CommandApdu& cmd);
  Answer GetChallenge(const CommandApdu& cmd);
  Answer ManageSecurityEnvironment(const CommandApdu& cmd);
  Answer InternalAuthenticate(const CommandApdu& cmd);
  Answer Pso(const CommandApdu& cmd);
  Answer PsoHash(const CommandApdu& cmd);
  Answer PsoSign();
  // Checks `candidate` against the PIN (ref 1) or PUK (ref 2), counting tries.
  uint16_t CheckSecret(int ref, ByteView candidate);

  Cps3Config config_;
  Random& rng_;
  crypto::SecretBytes pin_;
  crypto::SecretBytes puk_;
  int pin_tries_ = kPinTriesMax;
  int puk_tries_ = kPukTriesMax;
  int puk_uses_ = 100;
  // Volatile (lost on reset).
  bool pin_verified_ = false;
  uint8_t at_key_ = 0;   // MSE SET AT key reference
  uint8_t dst_key_ = 0;  // MSE SET DST key reference
  bool ht_sha256_ = false;
  std::optional<crypto::Sha256Digest> hash_;  // result of PSO HASH, consumed by PSO CDS
};

}  // namespace carnet::cardsim
