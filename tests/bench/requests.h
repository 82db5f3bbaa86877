#pragma once
// Requests as a terminal makes them: protocol::Request filled for the test PKI's general
// practitioner and first patient, encoded and signed with protocol::SignRequest. The card is
// replaced by its key file (the SIG key for deposits, the AUT key otherwise), and the Vitale
// presence proof is made with the patient card's key file, so the node sees exactly what a
// terminal would send.

#include <optional>
#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "crypto/protocol/request.h"
#include "tests/bench/bench_util.h"

namespace carnet::bench {

struct Signer {
  Professional professional;
  std::string ins;
  std::string terminal_id = "TERM-0001";
  std::optional<crypto::PrivateKey> sig_key;  // optional: PrivateKey has no empty state
  std::optional<crypto::PrivateKey> aut_key;
  std::vector<Bytes> sig_chain;  // x5chain: SIG certificate, IGC intermediate
  std::vector<Bytes> aut_chain;
  std::optional<crypto::PrivateKey> vitale_key;  // the patient card's key (presence proof)
  Bytes vitale_cvc;
};
Signer LoadSigner(const PkiFiles& pki);

// A fresh request id from `n` (unique per run: the run's start time is mixed in).
Bytes RequestId(uint64_t n);
// A shape-valid INS (13 characters + NIR key) for synthetic patient `i` < 10^6: the node needs
// no card for a patient (the Vitale proof is optional), so load can spread over many dossiers.
std::string SyntheticIns(size_t i);

protocol::Request Deposit(const Signer& s, const std::string& ins, size_t content_size, uint64_t n);
protocol::Request Read(const Signer& s,
                       const std::string& ins,
                       const std::string& document_id,
                       uint64_t n);
protocol::Request Open(const Signer& s, const std::string& ins, uint64_t n);
// The professional puts themself in the patient's care team (what reading needs in "normal").
protocol::Request JoinCareTeam(const Signer& s, const std::string& ins, uint64_t n);
// The patient's card signature over the request id, as firmware/vitale makes it (only for the
// test PKI's patient, `s.ins`, whose card key is in the PKI).
void AddPresenceProof(const Signer& s, protocol::Request& r);

// SIG key for deposit / replace / add_own_document, AUT key for the rest (node/authn's rule).
Bytes Sign(const Signer& s, const protocol::Request& r);
std::string DocumentId(uint64_t n);

}  // namespace carnet::bench
