#pragma once
// TraceEntry: one decision of the node, allow or deny, as a leaf of the trace log
// (DESIGN.md §4 "every step traced", §5). It names who did what to whose dossier, how the
// policy decided and why — never any document content.
//
// Encoding: canonical CBOR (RFC 8949 §4.2.1), a map with exactly the text keys below, so that
// the same entry always gives the same bytes and therefore the same Merkle leaf. The CDDL is
// in README.md. DecodeEntry is strict: it is the parser an auditor's tool runs on an exported
// log, so it accepts only what EncodeEntry produces — a missing, extra or mistyped key, a
// non-canonical encoding, an unknown version or decision, an over-long or empty required
// string, or trailing bytes are each refused with kInvalidArgument and a reason.

#include <cstdint>
#include <string>

#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/status.h"

namespace carnet::node::trace {

inline constexpr uint64_t kEntryVersion = 1;
// Every text field is at most this many bytes (idNat, INS, request ids and rule ids are far
// shorter); an entry is at most kMaxEntrySize bytes.
inline constexpr size_t kMaxFieldLength = 256;
inline constexpr size_t kMaxEntrySize = 4096;

enum class Decision { kAllow, kDeny };
std::string_view DecisionName(Decision decision);  // "allow", "deny"

struct TraceEntry {
  UnixMillis time = 0;       // when the node decided, ms since the epoch (>= 0)
  std::string terminal_id;   // the terminal that sent the request
  std::string request_id;    // the request id (idempotency key) from that terminal
  std::string actor_id_nat;  // idNat of the professional, or the patient's INS for the portal
  std::string patient_ins;   // the dossier concerned
  std::string action;        // node/policy ActionName, e.g. "read"
  std::string document_id;   // empty when the action concerns no single document
  std::string mode;          // node/policy ModeName: "normal", "bris_de_glace", "centre_15"
  Decision decision = Decision::kDeny;
  std::string rule_id;  // the policy rule that decided

  friend bool operator==(const TraceEntry&, const TraceEntry&) = default;
};

// Fails (kInvalidArgument) for an entry DecodeEntry would refuse: negative time, an empty
// required field, a field over kMaxFieldLength, text that is not UTF-8. Carnet never writes
// an entry it could not read back.
Result<Bytes> EncodeEntry(const TraceEntry& entry);
Result<TraceEntry> DecodeEntry(ByteView encoded);

}  // namespace carnet::node::trace
