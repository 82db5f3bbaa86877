#pragma once
// The stable identifiers of every policy rule, in evaluation order (DESIGN.md §4).
//
// A rule id is part of the node's external contract: it appears in every trace entry, in 403
// answers and in `carnet-node policy explain` output. Never rename or reuse one; add new ones.
// Sources are the tags of ../shared/reference/dmp-rules.md. "Interpreted" marks rules where the
// sources leave a choice and the project made it (see node/policy/README.md).

#include <string_view>

namespace carnet::node::policy {

enum class Rule {
  // --- Step 0: request shape (defensive; the scenario loader rejects these first) ---
  kRequestDocumentMissing,  // REQUEST_DOCUMENT_MISSING: the action needs a document.
  kRequestTargetMissing,    // REQUEST_TARGET_MISSING: the action needs a target idNat.

  // --- Step 1, authenticate, happens in node/authn before the engine runs. ---

  // --- Step 2: dossier state (DESIGN §4.2; CSP R1111-36) ---
  kDossierNoneOnlyOpen,      // DOSSIER_NONE_ONLY_OPEN: no dossier: only "open" is possible.
  kDossierOpposed,           // DOSSIER_OPPOSED: the patient opposed the dossier: no access at all.
  kDossierDeletionDue,       // DOSSIER_DELETION_DUE: deletion requested >= 3 months ago: destroy.
  kDossierRetentionExpired,  // DOSSIER_RETENTION_EXPIRED: closed >= 10 years ago: destroy.
  kDossierClosed,            // DOSSIER_CLOSED: closed dossier: archived, no access.
  kDossierAlreadyExists,     // DOSSIER_ALREADY_EXISTS: "open" on an existing dossier.

  // --- Step 3: blocked professional (DESIGN §4.3; PDSM4DMP td02, ENS-APP blockPS) ---
  kBlockedProfessional,  // BLOCKED_PROFESSIONAL: patient blocked this idNat: deny, every mode.

  // --- Step 3b: who may ask for what (interpreted from ENS-APP, PDSM4DMP, DESIGN §4) ---
  kActionPatientOnly,       // ACTION_PATIENT_ONLY: a patient-side setting asked by a professional.
  kActionProfessionalOnly,  // ACTION_PROFESSIONAL_ONLY: a professional action asked by a patient.
  kRepresentativeNotMinor,  // REPRESENTATIVE_NOT_MINOR: legal representative of an adult.

  // --- Step 4: access mode (DESIGN §4.4; CSP L1111-17 I, R1111-48, TRE_R248) ---
  kModeEmergencyProfessionalOnly,  // MODE_EMERGENCY_PROFESSIONAL_ONLY: patient in emergency mode.
  kModeCentre15Refused,            // MODE_CENTRE15_REFUSED: patient opposed SAMU access.
  kModeCentre15PhysicianOnly,      // MODE_CENTRE15_PHYSICIAN_ONLY: régulateur must be médecin.
  kModeBrisDeGlaceRefused,         // MODE_BRIS_DE_GLACE_REFUSED: patient opposed bris de glace.
  kModeBrisDeGlaceJustificationMissing,  // MODE_BRIS_DE_GLACE_JUSTIFICATION_MISSING
  kAuthorizationExpired,   // AUTHORIZATION_EXPIRED: normal-mode read, authorization past `until`.
  kAuthorizationRequired,  // AUTHORIZATION_REQUIRED: normal-mode read, no authorization.

  // --- Step 5: per document on read (DESIGN §4.5; CSP R1111-49, R1111-53) ---
  kDocumentDeleted,                     // DOCUMENT_DELETED: deleted documents are never shown.
  kHabilitationDenied,                  // HABILITATION_DENIED: matrix cell says no.
  kHabilitationUnlisted,                // HABILITATION_UNLISTED: no cell: conservative default.
  kDocumentMasked,                      // DOCUMENT_MASKED: MASQUE_PS, actor not entitled.
  kDocumentInvisibleToPatient,          // DOCUMENT_INVISIBLE_TO_PATIENT: before reveal/1 month.
  kDocumentInvisibleToRepresentatives,  // DOCUMENT_INVISIBLE_TO_REPRESENTATIVES

  // --- Step 6: on write (DESIGN §4.6; HL7V2-CDA profils, DMPi-EX EX_2.1-1050) ---
  kWriteTypeUnknown,              // WRITE_TYPE_UNKNOWN: type not in the DMP type list.
  kWriteClass90PatientOnly,       // WRITE_CLASS_90_PATIENT_ONLY: class 90 is the patient's.
  kWritePatientClass90Only,       // WRITE_PATIENT_CLASS_90_ONLY: patient deposits class 90 only.
  kWriteVisibilityNotExplicit,    // WRITE_VISIBILITY_NOT_EXPLICIT: confidentiality not stated.
  kWriteConfidentialityConflict,  // WRITE_CONFIDENTIALITY_CONFLICT: more than one of N/R/V.
  kWriteInvisibleAndMasked,       // WRITE_INVISIBLE_AND_MASKED: INVISIBLE_PATIENT + MASQUE_PS.

  // --- Document lifecycle and settings (PDSM4DMP td2.1/td3.3, DRIMBOX, ENS-APP) ---
  kDocumentNotCurrent,         // DOCUMENT_NOT_CURRENT: replace/archive need a current version.
  kReplaceAuthorOnly,          // REPLACE_AUTHOR_ONLY (interpreted)
  kDeleteAuthorOnly,           // DELETE_AUTHOR_ONLY: only the author deletes (sourced).
  kArchiveAuthorOnly,          // ARCHIVE_AUTHOR_ONLY (interpreted)
  kRevealNotPermitted,         // REVEAL_NOT_PERMITTED: only author or treating physician.
  kRevealNothingHidden,        // REVEAL_NOTHING_HIDDEN: document is not invisible to anyone.
  kMaskNotPermitted,           // MASK_NOT_PERMITTED: professional not author/treating/admin.
  kBlockNotPermitted,          // BLOCK_NOT_PERMITTED: professional who is not an administrator.
  kTargetBlocked,              // TARGET_BLOCKED: designating a blocked professional.
  kRecordForOtherNeedsAccess,  // RECORD_FOR_OTHER_NEEDS_ACCESS: CSP L1111-17 II.

  // --- Final allow rules, one per action family (notifications: DESIGN §4.7) ---
  kAllowOpen,             // ALLOW_OPEN
  kAllowStatus,           // ALLOW_STATUS
  kAllowWrite,            // ALLOW_WRITE: deposit, replace, add_own_document.
  kAllowLifecycle,        // ALLOW_LIFECYCLE: delete, archive, reveal, mask, unmask.
  kAllowRead,             // ALLOW_READ
  kAllowList,             // ALLOW_LIST: then each document filtered as a read.
  kAllowTraces,           // ALLOW_TRACES
  kAllowRecord,           // ALLOW_RECORD: consent, care-team membership, opposition.
  kAllowSetting,          // ALLOW_SETTING: patient-side settings.
  kAllowClose,            // ALLOW_CLOSE
  kAllowDeletionRequest,  // ALLOW_DELETION_REQUEST
};

inline constexpr int kRuleCount = static_cast<int>(Rule::kAllowDeletionRequest) + 1;

// "DOSSIER_NONE_ONLY_OPEN", ...: the stable id.
std::string_view RuleId(Rule rule);
// One line: what the rule means, for README generation and --help.
std::string_view RuleMeaning(Rule rule);

}  // namespace carnet::node::policy
