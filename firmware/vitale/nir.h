#pragma once
// The NIR (numéro d'inscription au répertoire, "numéro de sécurité sociale") carried by the
// Vitale card: 13 characters and a 2-digit control key (DESIGN.md §2, cards.md §4).
//
//   position  0     sex (digit)
//             1-2   year of birth          3-4  month of birth
//             5-6   department: 2 digits, or "2A" / "2B" (Corsica)
//             7-9   commune                10-12 order number
//             13-14 key = 97 - (N mod 97), N the 13 first characters as a number with
//                   2A -> 19 and 2B -> 18 substituted first; always 01..97.
//
// The check is syntactic (the key catches one wrong digit and most swaps); it does not say
// the person exists. Pure functions: no card, no I/O.

#include <string_view>

#include "hal/base/status.h"

namespace carnet::fw::vitale {

inline constexpr size_t kNirBodyLength = 13;
inline constexpr size_t kNirLength = 15;

// The key of a 13-character NIR body; kInvalidArgument (with the reason) when the body is
// not 13 characters, has a non-digit outside the department, or a department letter other
// than 2A / 2B.
Result<int> ComputeNirKey(std::string_view nir13);

// Full check of a 15-character NIR: length, digits, 2A/2B, key in 01..97 and equal to the
// computed one. OK or kInvalidArgument naming what is wrong (never echoing more than the
// offending position, so a log line does not carry the whole identifier).
Status NirKeyCheck(std::string_view nir15);

}  // namespace carnet::fw::vitale
