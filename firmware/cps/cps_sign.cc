// CpsCard: card authentication and the two RS256 signatures (cps_card.h).
#include "crypto/core/hash.h"
#include "crypto/x509/certificate.h"
#include "firmware/cps/cps_card.h"
#include "firmware/cps/cps_internal.h"

namespace carnet::fw::cps {

using hal::ResponseApdu;
namespace in = internal;

namespace {

constexpr char kResetMessage[] = "card was reset: verify the PIN again";

// Holds a PC/SC transaction over a multi-APDU sequence so no other client slips a command
// between MSE and the key operation. Ending it is best effort (the card may be gone).
class Transaction {
 public:
  explicit Transaction(hal::CardReader& r) : reader_(r) {}
  Status Begin() {
    CARNET_TRY(reader_.BeginTransaction());
    active_ = true;
    return Status();
  }
  ~Transaction() {
    if (active_) reader_.EndTransaction().IgnoreError();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  hal::CardReader& reader_;
  bool active_ = false;
};

// Verifies an RS256 signature with a certificate's key (an answer from a faulty or fake card
// must not leave the terminal as a valid signature).
Status CheckWithCertificate(ByteView cert_der,
                            ByteView message,
                            ByteView signature,
                            std::string_view what) {
  auto cert = crypto::Certificate::FromDer(cert_der);
  if (!cert.ok()) return DataLoss(std::string(what) + ": " + cert.status().message());
  Status s = cert->public_key().Verify(crypto::SignatureScheme::kRs256, message, signature);
  if (!s.ok()) {
    return Unauthenticated(std::string(what) +
                           ": the card's signature does not verify with its certificate (" +
                           s.message() + ")");
  }
  return Status();
}

}  // namespace

// Whether a PIN-protected key operation may start now.
Status CpsCard::CheckSession() {
  if (state_lost_ ||
      (verified_session_.has_value() && *verified_session_ != reader_.card_session())) {
    verified_session_.reset();
    state_lost_ = true;
    return FailedPrecondition(kResetMessage);
  }
  if (!verified_session_) return FailedPrecondition("verify the PIN first");
  return Status();
}

// Maps what happened during a key operation to the caller's view: a reset (seen by the
// reader, or shown by the card answering 6982 although we had verified the PIN) means the
// PIN must be presented again; removal keeps kUnavailable.
Status CpsCard::KeyOperationError(const Status& s, std::string_view operation) {
  // hal also reports as removal the empty answer pcscd gives when the card is pulled while it
  // computes (before its next poll sees the removal).
  if (hal::IsCardRemoved(s)) {
    verified_session_.reset();
    return Unavailable(std::string(operation) + ": card removed, nothing was signed (" +
                       s.message() + ")");
  }
  if (hal::IsCardStateLost(s) || state_lost_) {
    verified_session_.reset();
    state_lost_ = true;
    return FailedPrecondition(std::string(operation) + ": " + kResetMessage);
  }
  return Status(s.code(), std::string(operation) + ": " + s.message());
}

Result<Bytes> CpsCard::KeyCommand(const hal::CommandApdu& command, std::string_view operation) {
  auto r = Exchange(command);
  if (!r.ok()) return KeyOperationError(r.status(), operation);
  if (r->sw == 0x6982 && verified_session_) {
    // We verified the PIN on this card session but the card forgot: an unseen reset.
    verified_session_.reset();
    state_lost_ = true;
    return FailedPrecondition(std::string(operation) + ": " + kResetMessage +
                              " (the card no longer has the PIN verified, SW 6982)");
  }
  if (!r->ok()) return SwToStatus(r->sw, operation);
  return std::move(r->data);
}

Result<Bytes> CpsCard::SignDigestInfoAut(ByteView digest_info) {
  CARNET_TRY(CheckSession());
  if (digest_info.empty() || digest_info.size() > in::kMaxDigestInfo) {
    return InvalidArgument("INTERNAL AUTHENTICATE input must be 1..102 bytes");
  }
  Transaction tx(reader_);
  if (Status s = tx.Begin(); !s.ok()) return KeyOperationError(s, "AUT signature");
  CARNET_TRY(SelectApplication());
  CARNET_TRY(KeyCommand(in::MseSetAtAut(), "MSE SET AT").status());
  CARNET_ASSIGN_OR_RETURN(
      Bytes sig, KeyCommand(in::InternalAuthenticate(digest_info), "INTERNAL AUTHENTICATE"));
  if (sig.size() != kSignatureSize) {
    return DataLoss("INTERNAL AUTHENTICATE returned " + std::to_string(sig.size()) +
                    " bytes, not a 2048-bit signature");
  }
  return sig;
}

Result<Bytes> CpsCard::SignAut(ByteView to_be_signed) {
  const Bytes digest_info = crypto::Sha256DigestInfo(crypto::Sha256(to_be_signed));
  CARNET_ASSIGN_OR_RETURN(Bytes sig, SignDigestInfoAut(digest_info));
  if (!aut_cert_der_.empty()) {
    CARNET_TRY(CheckWithCertificate(aut_cert_der_, to_be_signed, sig, "AUT signature"));
  }
  return sig;
}

Result<Bytes> CpsCard::ComputeSig(ByteView to_be_signed) {
  CARNET_TRY(CheckSession());
  Transaction tx(reader_);
  if (Status s = tx.Begin(); !s.ok()) return KeyOperationError(s, "SIG signature");
  CARNET_TRY(SelectApplication());
  CARNET_TRY(KeyCommand(in::MseSetHtSha256(), "MSE SET HT").status());
  CARNET_TRY(KeyCommand(in::MseSetDstSig(), "MSE SET DST").status());
  CARNET_TRY(KeyCommand(in::PsoHash(to_be_signed), "PSO HASH").status());
  CARNET_ASSIGN_OR_RETURN(Bytes sig, KeyCommand(in::PsoComputeSignature(), "PSO CDS"));
  if (sig.size() != kSignatureSize) {
    return DataLoss("PSO COMPUTE DIGITAL SIGNATURE returned " + std::to_string(sig.size()) +
                    " bytes, not a 2048-bit signature");
  }
  return sig;
}

Result<Bytes> CpsCard::SignSig(ByteView to_be_signed) {
  CARNET_ASSIGN_OR_RETURN(Bytes sig, ComputeSig(to_be_signed));
  if (!sig_cert_der_.empty()) {
    CARNET_TRY(CheckWithCertificate(sig_cert_der_, to_be_signed, sig, "SIG signature"));
  }
  return sig;
}

Status CpsCard::AuthenticateCard(Random& rng) {
  if (aut_cert_der_.empty()) CARNET_TRY(ReadAutCertificate().status());
  CARNET_ASSIGN_OR_RETURN(Bytes challenge, rng.Generate(32));
  CARNET_ASSIGN_OR_RETURN(Bytes sig, SignAut(challenge));
  // SignAut checked the answer with the AUT certificate; check again here so this stays true
  // if that check ever becomes optional.
  return CheckWithCertificate(aut_cert_der_, challenge, sig, "card authentication");
}

crypto::cose::ExternalSignFn CpsCard::AutSigner() {
  return [this](ByteView tbs) { return SignAut(tbs); };
}

crypto::cose::ExternalSignFn CpsCard::SigSigner() {
  return [this](ByteView tbs) { return SignSig(tbs); };
}

}  // namespace carnet::fw::cps
