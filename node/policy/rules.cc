#include "node/policy/rules.h"

namespace carnet::node::policy {
namespace {

struct RuleInfo {
  std::string_view id;
  std::string_view meaning;
};

// Indexed by Rule; the static_assert below keeps it in step with the enum.
constexpr RuleInfo kRules[] = {
    {"REQUEST_DOCUMENT_MISSING", "the action needs document metadata and none was given"},
    {"REQUEST_TARGET_MISSING", "the action needs a target professional (idNat)"},
    {"DOSSIER_NONE_ONLY_OPEN", "the patient has no dossier: only 'open' is possible"},
    {"DOSSIER_OPPOSED", "the patient opposed the shared record: no access"},
    {"DOSSIER_DELETION_DUE", "deletion was requested 3 months ago or more: data must be destroyed"},
    {"DOSSIER_RETENTION_EXPIRED", "closed 10 years ago or more: data must be destroyed"},
    {"DOSSIER_CLOSED", "the dossier is closed: archived, no access"},
    {"DOSSIER_ALREADY_EXISTS", "'open' asked for a dossier that already exists"},
    {"BLOCKED_PROFESSIONAL", "the patient blocked this professional: denied in every mode"},
    {"ACTION_PATIENT_ONLY", "only the patient (or legal representative) may do this"},
    {"ACTION_PROFESSIONAL_ONLY", "only a professional may do this"},
    {"REPRESENTATIVE_NOT_MINOR", "a legal representative acts only for a minor"},
    {"MODE_EMERGENCY_PROFESSIONAL_ONLY", "emergency modes are for professionals"},
    {"MODE_CENTRE15_REFUSED", "the patient refused access by the SAMU (centre 15)"},
    {"MODE_CENTRE15_PHYSICIAN_ONLY", "centre 15 access is for the médecin régulateur"},
    {"MODE_BRIS_DE_GLACE_REFUSED", "the patient refused bris de glace access"},
    {"MODE_BRIS_DE_GLACE_JUSTIFICATION_MISSING", "bris de glace needs a justification"},
    {"AUTHORIZATION_EXPIRED", "the professional's authorization has expired"},
    {"AUTHORIZATION_REQUIRED", "reading needs care-team membership or explicit consent"},
    {"DOCUMENT_DELETED", "deleted documents are never shown"},
    {"HABILITATION_DENIED", "the habilitation matrix denies this profession this document type"},
    {"HABILITATION_UNLISTED", "no matrix cell: the conservative default denies"},
    {"DOCUMENT_MASKED",
     "masked (MASQUE_PS): only author, treating physician, administrators, "
     "patient, and emergency access if the patient allowed it"},
    {"DOCUMENT_INVISIBLE_TO_PATIENT", "INVISIBLE_PATIENT: hidden until revealed or one month"},
    {"DOCUMENT_INVISIBLE_TO_REPRESENTATIVES", "INVISIBLE_REPRESENTANTS_LEGAUX: hidden from them"},
    {"WRITE_TYPE_UNKNOWN", "the document type is not in the DMP type list"},
    {"WRITE_CLASS_90_PATIENT_ONLY", "class 90 documents are deposited by the patient only"},
    {"WRITE_PATIENT_CLASS_90_ONLY", "the patient deposits class 90 documents only"},
    {"WRITE_VISIBILITY_NOT_EXPLICIT", "a deposit must state its confidentiality codes"},
    {"WRITE_CONFIDENTIALITY_CONFLICT", "at most one of the HL7 codes N, R, V"},
    {"WRITE_INVISIBLE_AND_MASKED", "INVISIBLE_PATIENT together with MASQUE_PS is refused"},
    {"DOCUMENT_NOT_CURRENT", "only the current version can be replaced or archived"},
    {"REPLACE_AUTHOR_ONLY", "only the author replaces a document"},
    {"DELETE_AUTHOR_ONLY", "only the author deletes a document"},
    {"ARCHIVE_AUTHOR_ONLY", "only the author archives a document"},
    {"REVEAL_NOT_PERMITTED", "only the author or the treating physician reveals a document"},
    {"REVEAL_NOTHING_HIDDEN", "the document is not hidden from the patient or representatives"},
    {"MASK_NOT_PERMITTED", "a professional masks only as author, treating physician or admin"},
    {"BLOCK_NOT_PERMITTED", "a professional blocks another only as a designated administrator"},
    {"TARGET_BLOCKED", "a blocked professional cannot be designated"},
    {"RECORD_FOR_OTHER_NEEDS_ACCESS", "recording consent for another needs one's own access"},
    {"ALLOW_OPEN", "dossier opened with the patient's consent"},
    {"ALLOW_STATUS", "dossier status"},
    {"ALLOW_WRITE", "writing needs no read authorization"},
    {"ALLOW_LIFECYCLE", "document lifecycle change"},
    {"ALLOW_READ", "document read"},
    {"ALLOW_LIST", "list: each document filtered as a read"},
    {"ALLOW_TRACES", "traces"},
    {"ALLOW_RECORD", "consent, care-team membership or opposition recorded"},
    {"ALLOW_SETTING", "patient-side setting"},
    {"ALLOW_CLOSE", "dossier closed; kept 10 years"},
    {"ALLOW_DELETION_REQUEST", "deletion requested; honoured within 3 months"},
};
static_assert(sizeof kRules / sizeof kRules[0] == kRuleCount, "one entry per Rule");

}  // namespace

std::string_view RuleId(Rule rule) {
  auto i = static_cast<size_t>(rule);
  return i < static_cast<size_t>(kRuleCount) ? kRules[i].id : "UNKNOWN";
}

std::string_view RuleMeaning(Rule rule) {
  auto i = static_cast<size_t>(rule);
  return i < static_cast<size_t>(kRuleCount) ? kRules[i].meaning : "";
}

}  // namespace carnet::node::policy
