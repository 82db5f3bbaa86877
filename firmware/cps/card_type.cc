// Card type from the ATR (cards.md §1.2 and §3) and the status-word mapping.
#include <algorithm>
#include <array>

#include "firmware/cps/cps_card.h"

namespace carnet::fw::cps {
namespace {

struct MaskedAtr {
  std::array<uint8_t, 20> value;
  std::array<uint8_t, 20> mask;
  size_t size;
};

bool Matches(ByteView atr, const MaskedAtr& m) {
  if (atr.size() != m.size) return false;
  for (size_t i = 0; i < m.size; ++i) {
    if ((atr[i] & m.mask[i]) != (m.value[i] & m.mask[i])) return false;
  }
  return true;
}

// CPS3 contact (OpenSC's CPx mask leaves the pre-issuing bytes free), the other CPS listed in
// pcsc-tools, and the three CPS4 ATRs (a CPS4 behaves as a CPS3 at power-on).
constexpr MaskedAtr kCpsAtrs[] = {
    {{0x3B, 0xAC, 0x00, 0x40, 0x2A, 0x00, 0x12, 0x25, 0x00, 0x64, 0x80, 0x00, 0x03, 0x10, 0x00,
      0x90, 0x00},
     {0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xFF,
      0xFF, 0xFF},
     17},
    {{0x3B, 0x9B, 0x18, 0x80, 0x01, 0x00, 0x12, 0x25, 0x00, 0x64, 0x80, 0x04, 0x01, 0x00, 0x00,
      0x90, 0x44},
     {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
      0xFF, 0xFF},
     17},
    {{0x3B, 0x9B, 0x18, 0x80, 0x01, 0x00, 0x12, 0x25, 0x00, 0x64, 0x80, 0x00, 0x04, 0x01, 0x00,
      0x90, 0x44},
     {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
      0xFF, 0xFF},
     17},
    {{0x3B, 0xDC, 0x18, 0xFF, 0x00, 0x00, 0x12, 0x25, 0x00, 0x64, 0x80, 0x00, 0x04, 0x01, 0x00,
      0x90, 0x00},
     {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
      0xFF, 0xFF},
     17},
};

// Vitale 2: 3B 75 13 00 00 4x 09 EA|FA 90 00; Vitale 1 (inverse convention): 3F 65 25 00 xx 09
// x9|6A 90 00 (pcsc-tools list, cards.md §3).
constexpr MaskedAtr kVitaleAtrs[] = {
    {{0x3B, 0x75, 0x13, 0x00, 0x00, 0x40, 0x09, 0xEA, 0x90, 0x00},
     {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0xFF, 0xEF, 0xFF, 0xFF},
     10},
    {{0x3F, 0x65, 0x25, 0x00, 0x00, 0x09, 0x00, 0x90, 0x00},
     {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0xFF},
     9},
};

}  // namespace

std::string_view CardTypeName(CardType type) {
  switch (type) {
    case CardType::kCps3:
      return "CPS3";
    case CardType::kVitale:
      return "Vitale";
    case CardType::kUnknown:
      break;
  }
  return "unknown";
}

CardType DetectCardType(ByteView atr) {
  for (const auto& m : kCpsAtrs) {
    if (Matches(atr, m)) return CardType::kCps3;
  }
  for (const auto& m : kVitaleAtrs) {
    if (Matches(atr, m)) return CardType::kVitale;
  }
  return CardType::kUnknown;
}

Status SwToStatus(uint16_t sw, std::string_view operation) {
  const std::string op(operation);
  const std::string hex = " (SW " + hal::SwString(sw) + ")";
  if ((sw & 0xFFF0) == 0x63C0) {
    return Unauthenticated(op + ": wrong PIN, " + std::to_string(sw & 0x0F) + " tries left" + hex);
  }
  switch (sw) {
    case 0x6983:
      return PermissionDenied(op + ": PIN blocked, unblock it with the PUK" + hex);
    case 0x6982:
      return FailedPrecondition(op + ": security status not satisfied, verify the PIN first" + hex);
    case 0x6985:
      return FailedPrecondition(op + ": conditions of use not satisfied" + hex);
    case 0x6A82:
      return NotFound(op + ": file not found" + hex);
    case 0x6A88:
      return NotFound(op + ": referenced data (key or object) not found" + hex);
    case 0x6B00:
      return OutOfRange(op + ": offset beyond the end of the file" + hex);
    case 0x6700:
      return InvalidArgument(op + ": the card refused the length" + hex);
    case 0x6A80:
      return InvalidArgument(op + ": the card refused the data" + hex);
    case 0x6A86:
      return Internal(op + ": the card refused P1/P2" + hex);
    case 0x6D00:
      return Unimplemented(op + ": instruction not supported by this card" + hex);
    case 0x6E00:
      return Unimplemented(op + ": class not supported by this card" + hex);
    case 0x6F00:
      return Internal(op + ": the card reported an internal error" + hex);
    default:
      return Internal(op + ": unexpected card status" + hex);
  }
}

}  // namespace carnet::fw::cps
