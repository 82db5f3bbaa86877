#pragma once
// The policy engine's inputs and outputs: plain data, no I/O. The node builds a Request from
// an authenticated request and a dossier snapshot; `policy explain` builds it from JSON
// (scenario.h). Field meanings and defaults are documented in node/policy/README.md.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hal/base/clock.h"
#include "node/policy/rules.h"

namespace carnet::node::policy {

enum class ActorKind { kProfessional, kPatient, kLegalRepresentative };

struct Actor {
  ActorKind kind = ActorKind::kProfessional;
  std::string idnat;       // professional: "8" + RPPS; patient: INS (used to match authors)
  std::string profession;  // TRE_G15 code, professionals only
  std::string specialty;   // TRE_R01 savoir-faire, optional
};

// TRE_R248 access modes.
enum class Mode { kNormal, kBrisDeGlace, kCentre15 };

enum class Action {
  // Professional side (DESIGN §4 "Actions").
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
  // Patient side (portal), some also open to professionals (mask, block by administrators).
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

enum class DossierState { kNone, kOpen, kClosed };
enum class Basis { kCareTeam, kExplicitConsent };

struct Authorization {
  std::string idnat;
  Basis basis = Basis::kCareTeam;
  std::optional<UnixMillis> until;  // exclusive; absent = no expiry
};

struct EmergencyPreferences {
  bool samu = true;                  // centre_15 allowed (checked by default, EX_1.1-1050)
  bool bris_de_glace = true;         // bris de glace allowed (checked by default)
  bool masked_in_emergency = false;  // masked documents visible in emergency (conservative)
};

struct Dossier {
  DossierState state = DossierState::kOpen;
  bool opposed = false;
  std::optional<UnixMillis> closed_at;              // required when closed
  std::optional<UnixMillis> deletion_requested_at;  // patient asked for early deletion
  std::vector<std::string> blocked;
  std::string treating_physician;  // "" = none designated
  std::vector<std::string> administrators;
  std::vector<Authorization> authorizations;
  EmergencyPreferences emergency;
  bool minor = false;
  bool default_masking = false;  // new professional deposits masked by default
};

enum class DocumentStatus { kCurrent, kObsolete, kArchived, kDeleted };

struct Document {
  std::string id;      // optional, echoed in list output
  std::string type;    // typeCode (JDV_J66)
  std::string author;  // idNat of the depositing professional (or patient INS)
  bool masque_ps = false;
  bool invisible_patient = false;
  bool invisible_representatives = false;
  std::vector<std::string> hl7;           // N / R / V as given
  bool confidentiality_explicit = false;  // the confidentiality list was stated
  DocumentStatus status = DocumentStatus::kCurrent;
  UnixMillis deposited_at = 0;
  bool revealed = false;  // INVISIBLE_PATIENT lifted by a professional
};

struct Request {
  UnixMillis now = 0;
  Actor actor;
  Mode mode = Mode::kNormal;
  std::string justification;
  Action action = Action::kRead;
  std::string target;  // idNat the action is about (block, designate, record for another)
  Dossier dossier;
  std::optional<Document> document;
  std::vector<Document> documents;  // for list
};

enum class ObligationKind {
  kNotifyPatient,             // emergency access, or a new visible document
  kNotifyTreatingPhysician,   // emergency access (CSP R1111-48)
  kFirstAccessNotice,         // e-mail the patient if no earlier trace of this professional
  kFilterMaskedDocuments,     // the list must drop MASQUE_PS documents
  kFilterTracesToActor,       // only the actor's own traces
  kWarnNotVisibleToPatient,   // display "ce document n'est pas visible du patient"
  kSchedulePatientNotice,     // INVISIBLE_PATIENT: tell the patient at `at` (+2 weeks)
  kScheduleReveal,            // INVISIBLE_PATIENT: visible automatically at `at` (+1 month)
  kMarkPreviousObsolete,      // replace: old version becomes obsolete
  kApplyDefaultMasking,       // store the new document with MASQUE_PS
  kDestroyOnRetentionExpiry,  // crypto-shred at `at` (closure + 10 years)
  kDestroyOnRequest,          // crypto-shred by `at` (request + 3 months)
};

struct Obligation {
  ObligationKind kind;
  std::optional<UnixMillis> at;
  friend bool operator==(const Obligation&, const Obligation&) = default;
};

struct Decision {
  bool allow = false;
  Rule rule = Rule::kRequestDocumentMissing;
  std::string reason;
  std::vector<Obligation> obligations;
  std::vector<size_t> visible;  // list only: indexes into Request::documents

  bool Has(ObligationKind kind) const {
    for (const auto& o : obligations) {
      if (o.kind == kind) return true;
    }
    return false;
  }
};

// Stable names used in JSON ("professional", "bris_de_glace", "record_consent", ...).
std::string_view ActorKindName(ActorKind k);
std::string_view ModeName(Mode m);
std::string_view ActionName(Action a);
std::string_view DocumentStatusName(DocumentStatus s);
std::string_view ObligationName(ObligationKind k);
std::optional<Action> ActionFromName(std::string_view name);
// Actions about one document (need Request::document) / about one professional (need target).
bool ActionNeedsDocument(Action a);
bool ActionNeedsTarget(Action a);
inline constexpr int kActionCount = static_cast<int>(Action::kRequestDeletion) + 1;

}  // namespace carnet::node::policy
