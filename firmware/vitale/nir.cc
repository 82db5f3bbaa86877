#include "firmware/vitale/nir.h"

#include <cstdint>
#include <string>

namespace carnet::fw::vitale {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<int> ComputeNirKey(std::string_view nir13) {
  if (nir13.size() != kNirBodyLength) {
    return InvalidArgument("NIR body must be 13 characters, got " + std::to_string(nir13.size()));
  }
  // N < 10^13 fits in 64 bits; built digit by digit so no string-to-number parser is
  // involved (those accept signs and spaces).
  uint64_t n = 0;
  for (size_t i = 0; i < nir13.size(); ++i) {
    const char c = nir13[i];
    unsigned digit = 0;
    if (IsDigit(c)) {
      digit = static_cast<unsigned>(c - '0');
    } else if (i == 6 && nir13[5] == '2' && (c == 'A' || c == 'B')) {
      // Corsica: "2A" counts as 19 and "2B" as 18. The '2' of position 5 is already in n
      // as its last digit: turn it into the '1' before appending 9 or 8.
      n -= 1;
      digit = (c == 'A') ? 9 : 8;
    } else {
      return InvalidArgument("NIR: character " + std::to_string(i + 1) +
                             " must be a digit (or 2A/2B for the department)");
    }
    n = n * 10 + digit;
  }
  return static_cast<int>(97 - (n % 97));
}

Status NirKeyCheck(std::string_view nir15) {
  if (nir15.size() != kNirLength) {
    return InvalidArgument("NIR must be 15 characters (13 + 2-digit key), got " +
                           std::to_string(nir15.size()));
  }
  CARNET_ASSIGN_OR_RETURN(const int expected, ComputeNirKey(nir15.substr(0, kNirBodyLength)));
  const char k1 = nir15[13];
  const char k2 = nir15[14];
  if (!IsDigit(k1) || !IsDigit(k2)) return InvalidArgument("NIR: the key must be 2 digits");
  const int key = (k1 - '0') * 10 + (k2 - '0');
  if (key < 1 || key > 97) return InvalidArgument("NIR: the key must be between 01 and 97");
  if (key != expected) return InvalidArgument("NIR: wrong key (the number is mistyped or forged)");
  return Status();
}

}  // namespace carnet::fw::vitale
