#pragma once
// VitaleCard: the Vitale profile of the simulator — THIS PROJECT'S CHOICE, not the real
// Vitale protocol (which GIE SESAM-Vitale does not publish, cards.md §3). See README.md.
//
// Public surface as described by cardpeek (AIDs, EF 2001 pointer map, identity TLVs 65/66),
// plus our card-verifiable certificate (7F21, crypto/x509/cvc.h) in EF 2010 and an
// INTERNAL AUTHENTICATE that signs the terminal's challenge with the card's EC P-256 key
// (ES256, raw r||s): the proof that the certified key is on the card.

#include <optional>
#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "tests/cardsim/sim_card.h"

namespace carnet::cardsim {

inline constexpr uint8_t kVitaleAtr[] = {0x3B, 0x75, 0x13, 0x00, 0x00,
                                         0x47, 0x09, 0xEA, 0x90, 0x00};
inline constexpr uint8_t kVitaleAid[] = {0xD2, 0x50, 0x00, 0x00, 0x02, 0x56,
                                         0x49, 0x54, 0x41, 0x4C, 0x45};
inline constexpr uint8_t kMfVitaleAid[] = {0xD2, 0x50, 0x00, 0x00, 0x02, 0x4D, 0x46,
                                           0x5F, 0x56, 0x49, 0x54, 0x41, 0x4C, 0x45};

struct Beneficiary {
  std::string nir = "269054958815780";  // 13 chars + 2-digit key
  std::string last_name = "PATIENT";
  std::string first_name = "ALICE";
  std::string birth_date = "19690512";  // YYYYMMDD
  std::string nationality = "FRA";
  std::string quality = "00";  // 00 assuré, 06 enfant ... (our code list)
};

struct VitaleConfig {
  std::string card_valid_from = "20240101";
  std::vector<Beneficiary> beneficiaries = {Beneficiary{}};  // [0] = the insured
  std::optional<crypto::PrivateKey> card_key;                // EC P-256
  Bytes cvc;                                                 // the 7F21 TLV
};

class VitaleCard final : public SimCard {
 public:
  VitaleCard(VitaleConfig config, Random& rng);
  Bytes Atr() const override { return Bytes(std::begin(kVitaleAtr), std::end(kVitaleAtr)); }

 private:
  Answer Dispatch(const CommandApdu& cmd) override;
  Answer InternalAuthenticate(const CommandApdu& cmd);
  void BuildFiles();

  VitaleConfig config_;
  Random& rng_;
};

}  // namespace carnet::cardsim
