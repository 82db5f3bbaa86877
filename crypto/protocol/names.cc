// Stable wire names of the protocol enums, the action → arguments table, and identifier shapes.
#include <array>
#include <cstdint>
#include <string>

#include "crypto/protocol/request.h"
#include "crypto/protocol/response.h"
#include "crypto/x509/certificate.h"

namespace carnet::protocol {
namespace {

// Same text as node/policy/model.cc, in enum order.
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

constexpr std::array<std::string_view, 3> kModeNames = {"normal", "bris_de_glace", "centre_15"};
constexpr std::array<std::string_view, 3> kActorKindNames = {"professional", "patient",
                                                             "legal_representative"};
constexpr std::array<std::string_view, 3> kDossierStateNames = {"none", "open", "closed"};
constexpr std::array<std::string_view, 4> kDocumentStatusNames = {"current", "obsolete", "archived",
                                                                  "deleted"};
constexpr std::array<std::string_view, 7> kErrorCodeNames = {
    "malformed", "unauthenticated", "denied",     "conflict",
    "too_large", "rate_limited",    "unavailable"};
constexpr std::array<int, 7> kHttpStatuses = {400, 401, 403, 409, 413, 429, 503};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, E e) {
  const auto i = static_cast<size_t>(e);
  return i < N ? names[i] : "?";
}

template <typename E, size_t N>
Result<E> Parse(const std::array<std::string_view, N>& names,
                std::string_view name,
                std::string_view what) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return InvalidArgument("unknown " + std::string(what) + " \"" + std::string(name) + "\"");
}

}  // namespace

std::string_view ModeName(Mode mode) { return NameOf(kModeNames, mode); }
Result<Mode> ParseMode(std::string_view name) { return Parse<Mode>(kModeNames, name, "mode"); }
std::string_view ActionName(Action action) { return NameOf(kActionNames, action); }
Result<Action> ParseAction(std::string_view name) {
  return Parse<Action>(kActionNames, name, "action");
}
std::string_view ActorKindName(ActorKind kind) { return NameOf(kActorKindNames, kind); }
Result<ActorKind> ParseActorKind(std::string_view name) {
  return Parse<ActorKind>(kActorKindNames, name, "actor kind");
}
std::string_view DossierStateName(DossierState state) { return NameOf(kDossierStateNames, state); }
Result<DossierState> ParseDossierState(std::string_view name) {
  return Parse<DossierState>(kDossierStateNames, name, "dossier state");
}
std::string_view DocumentStatusName(DocumentStatus status) {
  return NameOf(kDocumentStatusNames, status);
}
Result<DocumentStatus> ParseDocumentStatus(std::string_view name) {
  return Parse<DocumentStatus>(kDocumentStatusNames, name, "document status");
}
std::string_view ErrorCodeName(ErrorCode code) { return NameOf(kErrorCodeNames, code); }
Result<ErrorCode> ParseErrorCode(std::string_view name) {
  return Parse<ErrorCode>(kErrorCodeNames, name, "error code");
}
int HttpStatus(ErrorCode code) {
  const auto i = static_cast<size_t>(code);
  return i < kHttpStatuses.size() ? kHttpStatuses[i] : 500;
}
Result<ErrorCode> ErrorCodeFromHttpStatus(int http_status) {
  for (size_t i = 0; i < kHttpStatuses.size(); ++i) {
    if (kHttpStatuses[i] == http_status) return static_cast<ErrorCode>(i);
  }
  return InvalidArgument("no error code for HTTP status " + std::to_string(http_status));
}

size_t ArgsIndexFor(Action action) {
  switch (action) {
    case Action::kOpen:
      return 1;  // OpenArgs
    case Action::kDeposit:
    case Action::kReplace:
    case Action::kAddOwnDocument:
      return 2;  // DepositArgs
    case Action::kRead:
    case Action::kDelete:
    case Action::kArchive:
    case Action::kReveal:
    case Action::kMask:
    case Action::kUnmask:
      return 3;  // DocumentRef
    case Action::kList:
      return 4;  // ListFilter
    case Action::kRecordConsent:
    case Action::kRecordCareTeam:
    case Action::kRecordOpposition:
    case Action::kBlock:
    case Action::kUnblock:
    case Action::kDesignateTreatingPhysician:
    case Action::kDesignateAdministrator:
      return 5;  // TargetArgs
    case Action::kSetEmergencyPreferences:
      return 6;
    case Action::kSetDefaultMasking:
      return 7;
    case Action::kTraces:
      return 8;
    case Action::kStatus:
    case Action::kClose:
    case Action::kRequestDeletion:
      return 0;  // NoArgs
  }
  return 0;
}

// NIR / NIA: 13 characters (positions 5-6 may be the Corsican departments 2A / 2B) and a
// 2-digit key = 97 - (N mod 97), with 2A → 19 and 2B → 18 substituted (cards.md §4).
bool InsShapeValid(std::string_view ins) {
  if (ins.size() != 15) return false;
  std::string digits(ins.substr(0, 13));
  if (digits[5] == '2' && (digits[6] == 'A' || digits[6] == 'B')) {
    digits[5] = '1';
    digits[6] = digits[6] == 'A' ? '9' : '8';
  }
  uint64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  uint64_t key = 0;
  for (char c : ins.substr(13)) {
    if (c < '0' || c > '9') return false;
    key = key * 10 + static_cast<uint64_t>(c - '0');
  }
  return key == 97 - (n % 97);
}

bool IdNatShapeValid(std::string_view idnat) {
  return idnat.size() == 12 && idnat[0] == '8' && crypto::RppsLuhnValid(idnat.substr(1));
}

}  // namespace carnet::protocol
