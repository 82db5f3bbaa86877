#pragma once
// The terminal → node request (DESIGN.md §3): a COSE_Sign1 whose payload is a canonical CBOR
// map. README.md in this folder holds the exact CDDL; this header is its typed mirror.
//
// Shared by firmware/ (builds and signs requests) and node/ (opens and checks them), which may
// not include each other. Signature *verification* is node/authn's job: OpenRequest only
// decodes.
//
// Strictness (DecodePayload): canonical CBOR only (RFC 8949 §4.2.1), unknown or duplicate keys
// refused, every field typed and bounded, required fields present, arguments exactly those of
// the action, request id 16 bytes, INS / idNat shapes and check digits, content_sha256 equal to
// SHA-256(content). Each rejection has its own message (README.md, "Rejections").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/core/hash.h"
#include "crypto/core/pk.h"
#include "crypto/cose/sign1.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/status.h"

namespace carnet::protocol {

using crypto::Sha256Digest;

inline constexpr uint64_t kProtocolVersion = 1;
inline constexpr size_t kRequestIdSize = 16;
inline constexpr std::string_view kOidInsNir = "1.2.250.1.213.1.4.8";
inline constexpr std::string_view kOidInsNia = "1.2.250.1.213.1.4.9";
inline constexpr std::string_view kOidInsNirTest = "1.2.250.1.213.1.4.10";
inline constexpr std::string_view kOidInsNirDemo = "1.2.250.1.213.1.4.11";

// Text names on the wire are those of node/policy/model.cc (TRE_R248 for modes).
enum class Mode { kNormal, kBrisDeGlace, kCentre15 };

enum class Action {
  kOpen,
  kStatus,
  kDeposit,
  kReplace,
  kDelete,
  kArchive,
  kReveal,
  kList,
  kRead,
  kTraces,
  kRecordConsent,
  kRecordCareTeam,
  kRecordOpposition,
  kBlock,
  kUnblock,
  kMask,
  kUnmask,
  kSetDefaultMasking,
  kSetEmergencyPreferences,
  kDesignateTreatingPhysician,
  kDesignateAdministrator,
  kAddOwnDocument,
  kClose,
  kRequestDeletion,
};
inline constexpr int kActionCount = static_cast<int>(Action::kRequestDeletion) + 1;

enum class ActorKind { kProfessional, kPatient, kLegalRepresentative };

std::string_view ModeName(Mode mode);           // "normal", "bris_de_glace", "centre_15"
Result<Mode> ParseMode(std::string_view name);  // exact, case-sensitive
std::string_view ActionName(Action action);     // "open", "status", "deposit", ...
Result<Action> ParseAction(std::string_view name);
std::string_view ActorKindName(
    ActorKind kind);  // "professional", "patient", "legal_representative"
Result<ActorKind> ParseActorKind(std::string_view name);

struct Actor {
  ActorKind kind = ActorKind::kProfessional;
  std::string idnat;       // professional: "8" + RPPS (Luhn); patient / representative: INS
  std::string profession;  // TRE_G15 code ("10" médecin, "21" pharmacien...), professionals only
  std::string specialty;   // TRE_R01 code, optional ("" = absent)
  std::optional<std::string> id_token;  // e-CPS: the provider's JWS, compact serialization
};

// Proof that the patient's Vitale card was present: its card-verifiable certificate (tag 7F21)
// and its INTERNAL AUTHENTICATE signature over the request id.
struct VitaleProof {
  Bytes cvc;
  Bytes signature;
};

struct Patient {
  std::string ins;      // 15 characters: NIR/NIA (13, dept may be 2A/2B) + key 97 - (N mod 97)
  std::string ins_oid;  // one of kOidIns*
  std::optional<VitaleProof> vitale;
};

// ---- Per-action arguments ----

struct OpenArgs {  // open
  bool patient_consent = false;
};

struct DocumentMetadata {
  std::string id;                            // chosen by the author (e.g. a UUID), 1..128 chars
  std::string type_code;                     // JDV_J66 typeCode
  std::string title;                         // 1..256 chars
  std::string content_type;                  // MIME type, e.g. "application/pdf"
  bool masked = false;                       // MASQUE_PS
  bool invisible_patient = false;            // INVISIBLE_PATIENT
  bool invisible_legal_reps = false;         // INVISIBLE_REPRESENTANTS_LEGAUX
  std::vector<std::string> confidentiality;  // HL7 codes "N" | "R" | "V", as stated (0..3)
  std::optional<std::string> replaces;       // replace only: id of the document replaced
};

struct DepositArgs {  // deposit, replace, add_own_document
  DocumentMetadata metadata;
  Bytes content;
  Sha256Digest content_sha256{};  // must equal SHA-256(content)
};

struct DocumentRef {  // read, delete, archive, reveal, mask, unmask
  std::string id;
  std::optional<uint64_t> version;  // absent = current version
};

struct ListFilter {  // list
  std::optional<std::string> type_code;
  std::optional<UnixMillis> since;  // deposited at or after
  std::optional<UnixMillis> until;  // deposited before
  bool include_archived = false;
};

struct TargetArgs {                 // record_*, block, unblock, designate_*
  std::string idnat;                // the professional the action is about
  std::optional<UnixMillis> until;  // record_consent / record_care_team: exclusive expiry
};

struct EmergencyPreferencesArgs {  // set_emergency_preferences
  bool samu = true;
  bool bris_de_glace = true;
  bool masked_in_emergency = false;
};

struct DefaultMaskingArgs {  // set_default_masking
  bool enabled = false;
};

struct TraceRange {  // traces
  std::optional<UnixMillis> since;
  std::optional<UnixMillis> until;
  std::optional<uint64_t> limit;
};

// NoArgs for status, close, request_deletion. Which alternative an action takes is fixed
// (ArgsKindFor); EncodePayload refuses a mismatch, DecodePayload never produces one.
struct NoArgs {};
using Arguments = std::variant<NoArgs,
                               OpenArgs,
                               DepositArgs,
                               DocumentRef,
                               ListFilter,
                               TargetArgs,
                               EmergencyPreferencesArgs,
                               DefaultMaskingArgs,
                               TraceRange>;
// The index into Arguments that `action` requires.
size_t ArgsIndexFor(Action action);

struct Request {
  Bytes request_id;  // exactly 16 bytes, random per request; the idempotency key
  UnixMillis issued_at = 0;
  std::string terminal_id;
  Mode mode = Mode::kNormal;
  // Only with bris_de_glace. Its absence there is NOT a decode error: the policy engine denies
  // (MODE_BRIS_DE_GLACE_JUSTIFICATION_MISSING) and the denial is traced.
  std::optional<std::string> justification;
  Actor actor;
  Patient patient;
  Action action = Action::kStatus;
  Arguments args;
};

struct Limits {
  size_t max_content_size = 8 * 1024 * 1024;  // one document's content
  size_t max_text_length = 256;               // ids, codes, titles, terminal id, OIDs...
  size_t max_justification_length = 1024;
  size_t max_id_token_length = 16 * 1024;
  size_t max_proof_size = 4096;    // Vitale CVC and signature, each
  size_t max_list_entries = 1000;  // documents in a list result, entries in a trace result
  size_t max_x5chain_length = 8;
  size_t max_protected_size = 32 * 1024;
  // Whole payload / message: content plus this much for everything else.
  size_t max_overhead = 256 * 1024;
};

// Canonical CBOR (RFC 8949 §4.2.1): the same Request always gives the same bytes. Fails
// (InvalidArgument) when the Request would not pass DecodePayload: the terminal learns of a bad
// request before signing it.
Result<Bytes> EncodePayload(const Request& request);
Result<Request> DecodePayload(ByteView payload, const Limits& limits = Limits{});

// Encodes, then has `sign` (the CPS card, or the device key store) sign the COSE
// Sig_structure. `x5chain`: DER certificates, the signer's first. Returns tagged COSE_Sign1.
Result<Bytes> SignRequest(const Request& request,
                          const crypto::cose::ExternalSignFn& sign,
                          crypto::SignatureScheme scheme,
                          const std::vector<Bytes>& x5chain);

struct OpenedRequest {
  crypto::cose::Sign1 sign1;  // NOT verified: node/authn checks signature, chain, key usage
  Request request;
};
// Decodes the COSE_Sign1 (strict, within `limits`), then its payload.
Result<OpenedRequest> OpenRequest(ByteView cose_bytes, const Limits& limits = Limits{});

// SHA-256 of the exact COSE bytes as received: "same request id, other content" detection.
Sha256Digest RequestContentHash(ByteView cose_bytes);

// One line for logs and the terminal screen, e.g.
//   "deposit by 899700218896 (professional, 10) for INS 2951099126111 93 mode=normal
//    terminal=T-001 id=0123…cdef doc=doc-1 type=11488-4 size=1234"
// Never includes document content, the id_token, or proof bytes.
std::string DescribeRequest(const Request& request);

// Shape checks shared with responses and other callers.
bool InsShapeValid(std::string_view ins);      // 15 chars, 2A/2B allowed, key matches
bool IdNatShapeValid(std::string_view idnat);  // "8" + 11 digits with a valid Luhn digit

}  // namespace carnet::protocol
