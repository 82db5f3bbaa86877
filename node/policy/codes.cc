#include "node/policy/codes.h"

#include <algorithm>
#include <array>

namespace carnet::node::policy {
namespace {

constexpr std::array<std::string_view, 30> kProfessions = {
    "10", "21", "26", "28", "31", "32", "35", "36", "37", "38", "39", "40", "50", "60", "69",
    "70", "80", "81", "82", "83", "84", "85", "86", "91", "92", "93", "94", "95", "96", "98"};

constexpr std::array<std::string_view, 11> kClasses = {"10", "11", "31", "42", "43", "44",
                                                       "45", "52", "60", "90", "95"};

bool Contains(const auto& list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool IsProfessionCode(std::string_view code) { return Contains(kProfessions, code); }

bool IsClassCode(std::string_view code) { return Contains(kClasses, code); }

bool IsSpecialtyCode(std::string_view code) {
  if (code == "PAC00" || code == "SCD01" || code == "SCD02" || code == "SCD03") return true;
  if (code.size() != 4 || code.substr(0, 2) != "SM" || !IsDigit(code[2]) || !IsDigit(code[3])) {
    return false;
  }
  const int n = (code[2] - '0') * 10 + (code[3] - '0');
  return (n >= 1 && n <= 28) || n == 53 || n == 54;
}

bool IsTypeCodeSyntax(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  // LOINC: digits, '-', one check digit.
  const size_t dash = code.find('-');
  if (IsDigit(code[0])) {
    if (dash == std::string_view::npos || dash == 0 || dash + 2 != code.size()) return false;
    return std::all_of(code.begin(), code.begin() + static_cast<long>(dash), IsDigit) &&
           IsDigit(code.back());
  }
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '-';
  });
}

}  // namespace carnet::node::policy
