#pragma once
// CpsCard: the terminal's client for the CPS3 professional card (IAS-ECC application, cards.md
// §1; holder-data layout of tests/cardsim/README.md), over a connected hal::CardReader.
//
// Contract:
//   - Every call returns Status/Result; card status words are mapped to codes + readable
//     messages in one place (SwToStatus). Malformed answers (lengths, TLVs) give kDataLoss,
//     never a crash.
//   - Transport errors keep the hal codes: kUnavailable = card removed (the object is dead),
//     kAborted = card state lost (reset) — see hal/card/card_reader.h.
//   - PIN state is tied to the reader's card session: after a reset seen by the reader (or a
//     card answer showing the PIN is no longer verified) SignAut/SignSig/AuthenticateCard fail
//     with kFailedPrecondition "card was reset: verify the PIN again" and never retry silently.
//   - Signatures are RS256 (RSASSA-PKCS1-v1_5 / SHA-256), raw 256 bytes, usable as a
//     crypto::cose::ExternalSignFn (AutSigner()/SigSigner()).
// Threading: one thread at a time, like the CardReader below it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/core/secret.h"
#include "crypto/cose/sign1.h"
#include "crypto/x509/trust_store.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"
#include "hal/card/card_reader.h"

namespace carnet::fw::cps {

// ---- Card type from the ATR --------------------------------------------------------------

enum class CardType { kUnknown, kCps3, kVitale };
std::string_view CardTypeName(CardType type);
// CPS3 contact ATRs (and CPS4, which behaves as a CPS3 at power-on) → kCps3; Vitale 1 and 2
// ATRs → kVitale; anything else (including contactless CPS3: no PIN, no signature) → kUnknown.
CardType DetectCardType(ByteView atr);

// ---- Status words ------------------------------------------------------------------------

// Maps a card SW (not 9000) to a Status whose message starts with `operation`:
//   63Cx → kUnauthenticated "wrong PIN, x tries left"; 6983 → kPermissionDenied "blocked";
//   6982 → kFailedPrecondition "verify the PIN first"; 6985 → kFailedPrecondition;
//   6A82 → kNotFound "file not found"; 6A88 → kNotFound (key/object); 6B00 → kOutOfRange;
//   6700/6A80 → kInvalidArgument; 6D00/6E00 → kUnimplemented; 6A86, 6F00 and anything else →
//   kInternal. Every message ends with "(SW xxxx)".
Status SwToStatus(uint16_t sw, std::string_view operation);

// ---- Holder data -------------------------------------------------------------------------

struct Situation {
  uint8_t index = 0;
  std::string mode;            // 81
  std::string sector;          // 82
  std::string structure_id;    // 83
  std::string structure_name;  // 84
  std::string billing_number;  // 85
  std::string specialty;       // 86
};

struct HolderIdentity {
  std::string card_number;  // EF.SN.ICC BCD digits after the 8025000001 prefix
  std::string card_type;    // "0" = CPS
  std::string id_type;      // "8" = RPPS
  std::string id_nat;       // "8" + RPPS
  std::string civility;
  std::string surname;
  std::string given_name;
  std::string profession;  // TRE_G15 code, e.g. "10"
  std::string category;
  std::string specialty;
  std::vector<Situation> situations;  // filled only by ReadSituations() (PIN-protected)
  Bytes aut_certificate_der;
  Bytes sig_certificate_der;
};

// ---- PIN ---------------------------------------------------------------------------------

enum class PinOutcome { kOk, kWrong, kBlocked };
std::string_view PinOutcomeName(PinOutcome outcome);

struct PinResult {
  PinOutcome outcome = PinOutcome::kWrong;
  int tries_left = -1;  // when the card said (63Cx), else -1
};

struct PinStatusInfo {
  int tries_left = -1;  // -1 when unknown
  bool blocked = false;
  bool verified = false;  // the card answered 9000 to VERIFY without data
};

// ---- Certificates ------------------------------------------------------------------------

enum class CertVerdict { kOk, kRevoked, kExpired, kUntrusted, kMismatch, kMalformed };
std::string_view CertVerdictName(CertVerdict verdict);

struct CertCheck {
  CertVerdict verdict = CertVerdict::kUntrusted;
  std::string reason;  // readable; empty when kOk
};

struct CertificatesCheck {
  CertCheck aut;
  CertCheck sig;
  CertCheck overall;  // the first failure of aut, sig, then the holder-data match
  bool ok() const { return overall.verdict == CertVerdict::kOk; }
};

// Verifies the AUT (purpose card authentication) and SIG (non-repudiation) certificates to
// the store's roots at `now`, with its CRLs, and that each subject CN equals identity.id_nat.
CertificatesCheck CheckCertificates(const HolderIdentity& identity,
                                    const crypto::TrustStore& trust,
                                    UnixMillis now,
                                    bool require_crl = false);

// ---- The card ----------------------------------------------------------------------------

class CpsCard {
 public:
  // `reader` must already be connected to the card and outlive this object.
  explicit CpsCard(hal::CardReader& reader);

  // Selects the IAS application (DF 0001 by AID). Called by the others when needed.
  Status SelectApplication();

  // Card number, free-read holder files and both certificates.
  Result<HolderIdentity> ReadIdentity();
  // The situation files 0001/D120…; needs a verified PIN. Stops at the first absent file.
  Result<std::vector<Situation>> ReadSituations();
  // Certificates only.
  Result<Bytes> ReadAutCertificate();
  Result<Bytes> ReadSigCertificate();

  // VERIFY without data. When the card answers that its PIN is verified, this object adopts
  // that state (pin_verified() true for the current card session): how a later terminal
  // command resumes a login without the PIN being cached anywhere.
  Result<PinStatusInfo> PinStatus();
  // Transport/card errors are Status; wrong/blocked PIN is a PinResult.
  Result<PinResult> VerifyPin(const crypto::SecretBytes& pin);
  // RESET RETRY COUNTER with PUK ‖ new PIN; kWrong/kBlocked refer to the PUK.
  Result<PinResult> Unblock(const crypto::SecretBytes& puk, const crypto::SecretBytes& new_pin);
  bool pin_verified() const;

  // Challenge–response with the AUT key: a random challenge from `rng` is signed by the card
  // (INTERNAL AUTHENTICATE over its SHA-256 DigestInfo) and checked with the AUT
  // certificate's public key. Needs a verified PIN.
  Status AuthenticateCard(Random& rng);

  // RS256 with the AUT key: SHA-256 on the host, DigestInfo, INTERNAL AUTHENTICATE.
  Result<Bytes> SignAut(ByteView to_be_signed);
  // RS256 with the SIG key (non-repudiation): MSE SET HT/DST, PSO HASH with the partial
  // SHA-256 state of the whole blocks + the tail, PSO COMPUTE DIGITAL SIGNATURE.
  Result<Bytes> SignSig(ByteView to_be_signed);

  // Adapters for crypto::cose::SignWith(…, SignatureScheme::kRs256, …). They reference this
  // object: it must outlive them.
  crypto::cose::ExternalSignFn AutSigner();
  crypto::cose::ExternalSignFn SigSigner();

  // Forget the PIN state (logout); the card itself is not touched.
  void ForgetPin();

  hal::CardReader& reader() { return reader_; }

  static constexpr size_t kSignatureSize = 256;  // RSA-2048

 private:
  Result<hal::ResponseApdu> Exchange(const hal::CommandApdu& command);
  Status CheckSession();
  Result<Bytes> ReadFile(uint16_t fid, std::string_view what);
  Result<Bytes> ReadCertificate(uint16_t fid, std::string_view what);
  Result<PinResult> PinAnswer(const hal::ResponseApdu& r, std::string_view operation);
  Result<Bytes> SignDigestInfoAut(ByteView digest_info);
  Result<Bytes> ComputeSig(ByteView to_be_signed);
  Result<Bytes> KeyCommand(const hal::CommandApdu& command, std::string_view operation);
  Status KeyOperationError(const Status& s, std::string_view operation);

  hal::CardReader& reader_;
  std::optional<uint64_t> verified_session_;  // reader card_session() when the PIN was verified
  bool state_lost_ = false;                   // a reset was seen since the last VERIFY
  bool app_selected_ = false;
  uint64_t selected_session_ = 0;
  Bytes aut_cert_der_;  // cached by ReadAutCertificate / ReadIdentity
  Bytes sig_cert_der_;
};

}  // namespace carnet::fw::cps
