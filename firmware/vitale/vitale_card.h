#pragma once
// VitaleCard: the terminal's client of the patient's Vitale card, over a connected
// hal::CardReader.
//
// The real Vitale protocol (files beyond the public surface, card authentication) is
// GIE SESAM-Vitale confidential (cards.md §3); this follows the project's documented profile
// (tests/cardsim/README.md, "Vitale profile"): application VITALE selected by AID, EF 2001
// pointer map, identity TLVs (65) for the insured and each beneficiary, our card-verifiable
// certificate (7F21, crypto/x509/cvc.h) and INTERNAL AUTHENTICATE with the card's P-256 key.
//
// Trust decisions, in order, each refusing the card on failure:
//   Read()              every identity's NIR key is checked (NirKeyCheck): a mistyped or
//                       forged NIR never reaches a request;
//   VerifyCertificate() the CVC is signed by the configured Vitale CA, under its reference
//                       (CAR), valid today, and names the insured's NIR (CHR): the identity
//                       files cannot claim another insured than the certified one;
//   Authenticate()      the card signs a fresh 32-byte random challenge with the certified
//                       key: defeats a copy of the public files and certificate on another
//                       card (a clone without the private key);
//   PresenceProof()     the card signs the request id; checked here before it is handed out.
// Names, birth dates and beneficiaries are NOT covered by the certificate: only the insured's
// NIR is. Callers that need the beneficiaries' identities must treat them as declared data.
//
// The reader must already be connected to the card (CardReader::Connect). Each call runs in
// one PC/SC transaction. A card reset between calls (kAborted, IsCardStateLost) keeps the
// data read but clears the authentication: call Authenticate() again.

#include <optional>
#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "firmware/vitale/presence_proof.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/card/card_reader.h"

namespace carnet::fw::vitale {

// Application identifiers (cards.md §3, cardpeek's vitale_2.lua).
inline constexpr uint8_t kVitaleAid[] = {0xD2, 0x50, 0x00, 0x00, 0x02, 0x56,
                                         0x49, 0x54, 0x41, 0x4C, 0x45};
inline constexpr size_t kChallengeSize = 32;
// Bounds on what a card may make us read (a hostile card must not make us allocate freely).
inline constexpr size_t kMaxFileSize = 2048;
inline constexpr size_t kMaxPointers = 32;

struct VitaleIdentity {
  int rank = 0;             // 0 = the insured (ASSURE), n = BENEFn
  std::string nir;          // 15 characters, key checked
  std::string surname;      // tag 80
  std::string given_name;   // tag 81
  std::string birth_date;   // tag 82, YYYYMMDD (8 digits; "lunar" dates are not judged)
  std::string nationality;  // tag 90, may be empty
  std::string quality;      // tag 83 ("00" insured, "06" child...), may be empty
};

struct VitaleContents {
  std::string card_valid_from;             // EF CARTE tag 80 (YYYYMMDD), empty if absent
  std::vector<VitaleIdentity> identities;  // [0] the insured, then the beneficiaries
  Bytes cvc;                               // the 7F21 certificate, empty if the card has none
};

// Parsers of the card's files, exposed for tests and fuzzing. Each rejects malformed BER-TLV,
// missing or duplicate fields, wrong sizes and non-printable text.
struct PointerEntry {
  std::string name;  // 8 characters, e.g. "ASSURE  "
  uint16_t fid = 0;
};
Result<std::vector<PointerEntry>> ParsePointerMap(ByteView file);
Result<VitaleIdentity> ParseIdentity(ByteView file, int rank);
Result<std::string> ParseCardInfo(ByteView file);

class VitaleCard {
 public:
  explicit VitaleCard(hal::CardReader& reader) : reader_(reader) {}

  // Selects the VITALE application and reads the pointer map, card data, insured,
  // beneficiaries and certificate. kDataLoss for malformed card data, kInvalidArgument for a
  // NIR whose key is wrong, kNotFound when the card has no VITALE application or no insured.
  Status Read();
  const VitaleContents& contents() const { return contents_; }

  // Decodes and verifies the certificate read by Read() (see the header comment).
  Status VerifyCertificate(const VitaleTrust& trust, UnixMillis now);

  // INTERNAL AUTHENTICATE over a fresh challenge from `rng`, checked with the certified key.
  // Needs VerifyCertificate() first (kFailedPrecondition otherwise).
  Status Authenticate(Random& rng);
  bool authenticated() const { return authenticated_ && session_ == reader_.card_session(); }

  // The card's signature over `request_id` (16 bytes), verified here with the certified key,
  // and the certificate bytes. Needs Authenticate() in the current card session.
  Result<VitaleProof> PresenceProof(ByteView request_id);

 private:
  Result<Bytes> ReadFile(uint16_t fid);
  Status ReadInTransaction();
  Result<Bytes> SignWithCard(ByteView data);

  hal::CardReader& reader_;
  VitaleContents contents_;
  std::optional<crypto::PublicKey> card_key_;  // set by VerifyCertificate
  bool authenticated_ = false;
  uint64_t session_ = 0;
};

}  // namespace carnet::fw::vitale
