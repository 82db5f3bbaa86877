#pragma once
// ISO/IEC 7816-4 §5.1 command and response APDUs: building, serializing and strict parsing.
//
// A CommandApdu is CLA INS P1 P2, optional command data (Lc) and an optional expected response
// length (Le). Serialize() picks the short form when it fits (Lc <= 255, Le <= 256) and the
// extended form otherwise. Parse() accepts exactly the seven ISO cases (1, 2S, 3S, 4S, 2E, 3E,
// 4E) and rejects anything else: it is used on bytes from a terminal (in the card simulator)
// and by the fuzzers, so it never trusts a length.
//
// Le semantics: `le` holds the *number of bytes* expected, 1..65536. The encoded value 00 means
// 256 (short) or 65536 (extended); both are decoded into the count, not left as 0.

#include <cstdint>
#include <optional>
#include <string>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::hal {

inline constexpr size_t kShortLeMax = 256;
inline constexpr size_t kExtendedLeMax = 65536;
inline constexpr size_t kShortLcMax = 255;
inline constexpr size_t kExtendedLcMax = 65535;

struct CommandApdu {
  uint8_t cla = 0;
  uint8_t ins = 0;
  uint8_t p1 = 0;
  uint8_t p2 = 0;
  Bytes data;
  std::optional<uint32_t> le;   // number of bytes expected (1..65536), absent = none expected
  bool force_extended = false;  // serialize in extended form even when the short form fits

  // Case 1 / 2 / 3 / 4 builders.
  static CommandApdu Make(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2);
  static CommandApdu MakeLe(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, uint32_t le);
  static CommandApdu MakeData(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, ByteView data);
  static CommandApdu MakeDataLe(
      uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, ByteView data, uint32_t le);

  // Strict ISO 7816-4 parse; rejects short headers, Lc/length mismatches, Lc = 0 encoded,
  // and trailing bytes.
  static Result<CommandApdu> Parse(ByteView raw);
  // Fails when data exceeds 65535 bytes or le is 0 or above 65536.
  Result<Bytes> Serialize() const;

  bool IsExtended() const;
  // "00 A4 09 0C [4 bytes]" style, for logs: never includes command data (it may be a PIN).
  std::string HeaderString() const;
};

struct ResponseApdu {
  Bytes data;
  uint16_t sw = 0;

  uint8_t sw1() const { return static_cast<uint8_t>(sw >> 8); }
  uint8_t sw2() const { return static_cast<uint8_t>(sw & 0xFF); }
  bool ok() const { return sw == 0x9000; }

  // Needs at least the two status bytes.
  static Result<ResponseApdu> Parse(ByteView raw);
  Bytes Serialize() const;
  static ResponseApdu Sw(uint16_t sw) { return ResponseApdu{{}, sw}; }
};

// "9000", "6a82" etc., for messages.
std::string SwString(uint16_t sw);

}  // namespace carnet::hal
