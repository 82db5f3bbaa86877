#pragma once
// Checking a Vitale presence proof: the patient's card signed the request id, and its
// card-verifiable certificate (CVC) says which card that was.
//
// Lives in crypto/x509 (it needs only the CVC code there) so that both the terminal
// (firmware/vitale, which re-exports it) and the node (node/service) can check proofs.
//
// What a valid proof establishes, and what it does not:
//   - the CVC was issued by the Vitale CA whose public key and reference (CAR) the verifier
//     configured (a CVC from another CA, or another CA generation, is refused);
//   - the certificate is valid on the UTC day of `now`;
//   - the signature over `request_id` verifies with the certified card key: the card was
//     present when the request was made (the request id is fresh per request, so a proof
//     cannot be replayed for another request);
//   - the returned holder reference (CHR) is the insured's NIR; the caller compares it with
//     the patient INS in the request. Beneficiaries (children on a parent's card) are not in
//     the certificate: the card proves the card, not which of its beneficiaries is treated.

#include <string>

#include "crypto/core/pk.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/status.h"

namespace carnet::crypto {

// The request id length of the wire protocol (DESIGN.md §3). Card authentication challenges
// are 32 bytes (vitale_card.h), so an authentication answer can never pass for a proof.
inline constexpr size_t kPresenceProofRequestIdSize = 16;

struct VitaleTrust {
  PublicKey ca_public_key;  // the Vitale CA (EC P-256)
  std::string car;          // its reference, e.g. "FRVITALETESTCA01"
};

struct VitaleProof {
  Bytes signature;  // ES256, raw r||s (64 bytes), over the request id
  Bytes cvc;        // the card's 7F21 certificate, as read from the card
};

// Verifies `proof` for `request_id`; returns the certificate's holder reference (the insured's
// NIR, 15 characters, its key checked). kInvalidArgument for malformed input, kUnauthenticated
// for a certificate or signature that does not check out.
Result<std::string> VerifyPresenceProof(ByteView cvc,
                                        ByteView signature,
                                        ByteView request_id,
                                        const VitaleTrust& trust,
                                        UnixMillis now);

}  // namespace carnet::crypto
