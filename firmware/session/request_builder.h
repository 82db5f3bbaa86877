#pragma once
// Request building and signing (DESIGN.md §3): the terminal turns what the session knows —
// the professional's CPS identity, the patient's Vitale identity, the terminal id from the
// device certificate — and the action asked for into a crypto/protocol Request, has the
// Vitale card sign its request id (presence proof), and the CPS sign the whole request.
//
// Contract:
//   - BuildRequest draws a fresh 16-byte request id from `rng` (the idempotency key: a
//     request queued and sent twice is stored once) and checks the result with
//     protocol::EncodePayload, so a request the node would refuse as malformed is refused
//     here, before any card signs it.
//   - ProveAndSign attaches the presence proof for *this* request id, then signs with the
//     given card signer (AutSigner for reads, SigSigner for deposits: session.h KeyFor) and
//     puts the signer's certificate first in x5chain. Nothing is signed if the proof fails.
//   - The patient INS is the chosen beneficiary's NIR (key checked by firmware/vitale).

#include <functional>
#include <optional>
#include <string>

#include "crypto/cose/sign1.h"
#include "crypto/protocol/request.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::fw::session {

struct Professional {
  std::string id_nat;      // "8" + RPPS, the CN of the card's certificates
  std::string profession;  // TRE_G15
  std::string specialty;   // may be empty
};

struct RequestInputs {
  std::string terminal_id;  // CN of the device certificate
  Professional professional;
  std::string patient_nir;  // 15 characters
  std::string ins_oid = std::string(protocol::kOidInsNir);
  protocol::Action action = protocol::Action::kStatus;
  protocol::Mode mode = protocol::Mode::kNormal;
  std::optional<std::string> justification;  // bris de glace
  protocol::Arguments args;
  UnixMillis now = 0;
};

Result<protocol::Request> BuildRequest(const RequestInputs& inputs, Random& rng);

// The Vitale card's signature over a request id, with its certificate.
struct PresenceProof {
  Bytes cvc;
  Bytes signature;
};
using ProofFn = std::function<Result<PresenceProof>(ByteView request_id)>;

// Tagged COSE_Sign1 bytes, signed RS256 by `sign` (a CPS key); `request.patient.vitale` is
// set to the proof first.
Result<Bytes> ProveAndSign(protocol::Request& request,
                           const ProofFn& proof,
                           const crypto::cose::ExternalSignFn& sign,
                           const Bytes& signer_certificate_der);

// Deposit arguments for a document file: a fresh document id (UUID v4 from `rng`), the
// content and its SHA-256; visibility flags explicit (DESIGN.md §4 step 6).
struct DepositChoice {
  std::string type_code;  // JDV_J66 (e.g. "11488-4")
  std::string title;
  std::string content_type = "application/pdf";
  bool masked = false;
  bool invisible_patient = false;
  bool invisible_legal_reps = false;
};
Result<protocol::DepositArgs> MakeDepositArgs(const DepositChoice& choice,
                                              Bytes content,
                                              Random& rng);

}  // namespace carnet::fw::session
