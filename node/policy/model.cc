#include "node/policy/model.h"

#include <array>

namespace carnet::node::policy {
namespace {

constexpr std::array<std::string_view, kActionCount> kActionNames = {"open",
                                                                     "status",
                                                                     "deposit",
                                                                     "replace",
                                                                     "delete",
                                                                     "archive",
                                                                     "reveal",
                                                                     "list",
                                                                     "read",
                                                                     "traces",
                                                                     "record_consent",
                                                                     "record_care_team",
                                                                     "record_opposition",
                                                                     "block",
                                                                     "unblock",
                                                                     "mask",
                                                                     "unmask",
                                                                     "set_default_masking",
                                                                     "set_emergency_preferences",
                                                                     "designate_treating_physician",
                                                                     "designate_administrator",
                                                                     "add_own_document",
                                                                     "close",
                                                                     "request_deletion"};

}  // namespace

bool ActionNeedsDocument(Action a) {
  switch (a) {
    case Action::kDeposit:
    case Action::kReplace:
    case Action::kDelete:
    case Action::kArchive:
    case Action::kReveal:
    case Action::kRead:
    case Action::kMask:
    case Action::kUnmask:
    case Action::kAddOwnDocument:
      return true;
    default:
      return false;
  }
}

bool ActionNeedsTarget(Action a) {
  return a == Action::kBlock || a == Action::kUnblock || a == Action::kDesignateTreatingPhysician ||
         a == Action::kDesignateAdministrator;
}

std::string_view ActorKindName(ActorKind k) {
  switch (k) {
    case ActorKind::kProfessional:
      return "professional";
    case ActorKind::kPatient:
      return "patient";
    case ActorKind::kLegalRepresentative:
      return "legal_representative";
  }
  return "?";
}

std::string_view ModeName(Mode m) {
  switch (m) {
    case Mode::kNormal:
      return "normal";
    case Mode::kBrisDeGlace:
      return "bris_de_glace";
    case Mode::kCentre15:
      return "centre_15";
  }
  return "?";
}

std::string_view ActionName(Action a) {
  auto i = static_cast<size_t>(a);
  return i < kActionNames.size() ? kActionNames[i] : "?";
}

std::optional<Action> ActionFromName(std::string_view name) {
  for (size_t i = 0; i < kActionNames.size(); ++i) {
    if (kActionNames[i] == name) return static_cast<Action>(i);
  }
  return std::nullopt;
}

std::string_view DocumentStatusName(DocumentStatus s) {
  switch (s) {
    case DocumentStatus::kCurrent:
      return "current";
    case DocumentStatus::kObsolete:
      return "obsolete";
    case DocumentStatus::kArchived:
      return "archived";
    case DocumentStatus::kDeleted:
      return "deleted";
  }
  return "?";
}

std::string_view ObligationName(ObligationKind k) {
  switch (k) {
    case ObligationKind::kNotifyPatient:
      return "notify_patient";
    case ObligationKind::kNotifyTreatingPhysician:
      return "notify_treating_physician";
    case ObligationKind::kFirstAccessNotice:
      return "first_access_notice";
    case ObligationKind::kFilterMaskedDocuments:
      return "filter_masked_documents";
    case ObligationKind::kFilterTracesToActor:
      return "filter_traces_to_actor";
    case ObligationKind::kWarnNotVisibleToPatient:
      return "warn_not_visible_to_patient";
    case ObligationKind::kSchedulePatientNotice:
      return "schedule_patient_notice";
    case ObligationKind::kScheduleReveal:
      return "schedule_reveal";
    case ObligationKind::kMarkPreviousObsolete:
      return "mark_previous_obsolete";
    case ObligationKind::kApplyDefaultMasking:
      return "apply_default_masking";
    case ObligationKind::kDestroyOnRetentionExpiry:
      return "destroy_on_retention_expiry";
    case ObligationKind::kDestroyOnRequest:
      return "destroy_on_request";
  }
  return "?";
}

}  // namespace carnet::node::policy
