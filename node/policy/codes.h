#pragma once
// The closed code lists the policy accepts (dmp-rules.md §1.3). A code outside these lists is
// an error in the matrix file and in a scenario, never a silent "unknown means no".

#include <string_view>

namespace carnet::node::policy {

// TRE_G15_ProfessionSante (OID 1.2.250.1.71.1.2.7), including codes ended in 2024 that old
// cards still carry.
bool IsProfessionCode(std::string_view code);
// The verified subset of TRE_R01 savoir-faire codes (SM01..SM28, SM53, SM54, SCD01..03, PAC00).
bool IsSpecialtyCode(std::string_view code);
// JDV_J57_ClassCode_DMP (the 11 clinical classes).
bool IsClassCode(std::string_view code);
// Looks like a typeCode: LOINC "digits-digit" or a TRE_A05 token (A-Z, 0-9, '_', '-').
bool IsTypeCodeSyntax(std::string_view code);

inline constexpr std::string_view kPhysician = "10";  // Médecin
inline constexpr std::string_view kPatientClass = "90";

}  // namespace carnet::node::policy
