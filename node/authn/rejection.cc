#include "node/authn/rejection.h"

#include <array>
#include <cctype>

namespace carnet::node::authn {
namespace {

struct Entry {
  RejectCode code;
  int http;
  std::string_view name;
};

// One table, in enum order (checked by the test that walks every code).
constexpr std::array<Entry, 27> kTable = {{
    {RejectCode::kTooLarge, 413, "too_large"},
    {RejectCode::kMalformed, 400, "malformed_request"},
    {RejectCode::kTerminalCertMissing, 401, "terminal_certificate_missing"},
    {RejectCode::kTerminalCertUntrusted, 401, "terminal_certificate_untrusted"},
    {RejectCode::kTerminalNotEnrolled, 401, "terminal_not_enrolled"},
    {RejectCode::kTerminalRevoked, 401, "terminal_revoked"},
    {RejectCode::kTerminalMismatch, 401, "terminal_id_mismatch"},
    {RejectCode::kClientRoleMismatch, 401, "client_role_mismatch"},
    {RejectCode::kSignerCertMissing, 401, "signer_certificate_missing"},
    {RejectCode::kKeyUsageMismatch, 401, "key_usage_mismatch"},
    {RejectCode::kBadSignature, 401, "bad_signature"},
    {RejectCode::kSignerUntrusted, 401, "signer_untrusted"},
    {RejectCode::kDeviceSignerMismatch, 401, "device_signer_mismatch"},
    {RejectCode::kActorMismatch, 401, "actor_certificate_mismatch"},
    {RejectCode::kDirectoryUnknown, 401, "directory_unknown"},
    {RejectCode::kDirectoryInactive, 401, "directory_inactive"},
    {RejectCode::kDirectoryMismatch, 401, "directory_mismatch"},
    {RejectCode::kIdTokenMissing, 401, "id_token_missing"},
    {RejectCode::kIdTokenInvalid, 401, "id_token_invalid"},
    {RejectCode::kIdTokenSignature, 401, "id_token_signature"},
    {RejectCode::kIdTokenIssuer, 401, "id_token_issuer"},
    {RejectCode::kIdTokenAudience, 401, "id_token_audience"},
    {RejectCode::kIdTokenNonce, 401, "id_token_nonce"},
    {RejectCode::kIdTokenAcr, 401, "id_token_acr"},
    {RejectCode::kIdTokenExpired, 401, "id_token_expired"},
    {RejectCode::kIdTokenSubject, 401, "id_token_subject"},
    // An old request cannot be compared with the replay cache (which keeps one window of ids):
    // it is refused as a possible replay, hence 409.
    {RejectCode::kStale, 409, "stale_request"},
}};

const Entry& Find(RejectCode code) {
  auto i = static_cast<size_t>(code);
  return i < kTable.size() ? kTable[i] : kTable[static_cast<size_t>(RejectCode::kMalformed)];
}

}  // namespace

std::string_view RejectCodeName(RejectCode code) { return Find(code).name; }
int RejectHttpStatus(RejectCode code) { return Find(code).http; }

std::string RejectRuleId(RejectCode code) {
  std::string id = "AUTHN_";
  for (char c : Find(code).name)
    id += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return id;
}

Rejection Reject(RejectCode code, std::string reason) {
  return Rejection{code, RejectHttpStatus(code), std::string(RejectCodeName(code)),
                   std::move(reason), RejectRuleId(code)};
}

}  // namespace carnet::node::authn
