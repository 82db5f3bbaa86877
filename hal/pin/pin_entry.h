#pragma once
// PIN entry: how the cardholder's PIN gets to the card.
//
// Two backends behind one contract (Pigweed style: Verify() → private DoVerify()):
//   SecurePinEntry   the reader's own keypad, PC/SC part 10 FEATURE_VERIFY_PIN_DIRECT: the
//                    terminal never sees the PIN; the reader builds the VERIFY APDU from the
//                    PIN_VERIFY_STRUCTURE we give it (format and lengths from the card's AODF).
//   ConsolePinEntry  a terminal keypad/console: read without echo (termios) or from a file
//                    descriptor (--pin-stdin), straight into crypto::SecretBytes, then VERIFY.
// ChoosePinEntry picks the secure path whenever the reader offers it.
//
// Either way Verify() returns the card's status word: 9000 verified, 63Cx x tries left,
// 6983 blocked. A PIN that cannot be right (length or characters outside the card's PIN
// properties) is refused before any APDU, so a typo never costs a try. No PIN byte ever
// reaches a log or a Status message.

#include <cstdint>
#include <memory>
#include <string>

#include "crypto/core/secret.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"
#include "hal/card/card_reader.h"

namespace carnet::hal {

// From the card's PKCS#15 AODF (PinAttributes); defaults = the simulated CPS3 CHV1.
struct PinProperties {
  uint8_t reference = 0x01;  // P2 of VERIFY
  uint8_t min_length = 4;
  uint8_t max_length = 4;
  uint8_t stored_length = 4;  // Lc: the PIN padded with pad_char to this length
  uint8_t pad_char = 0xFF;
  // Only ASCII-numeric PINs (PinType ascii-numeric) are supported: what the CPS uses.
};

class PinEntry {
 public:
  virtual ~PinEntry() = default;
  // Has the PIN entered and verified by the card; returns the card's SW.
  Result<uint16_t> Verify(CardReader& reader, const PinProperties& props) {
    return DoVerify(reader, props);
  }

 private:
  virtual Result<uint16_t> DoVerify(CardReader& reader, const PinProperties& props) = 0;
};

// PIN_VERIFY_STRUCTURE (PC/SC part 10 §2.5.2; multi-byte fields little-endian) for an
// ASCII PIN of props.min_length..props.max_length digits, with the VERIFY APDU template.
Bytes BuildPinVerifyStructure(const PinProperties& props);

// Checks `pin` against `props` (digits only, length within bounds).
Status CheckPinFormat(ByteView pin, const PinProperties& props);
// The VERIFY command data: the PIN padded to stored_length.
crypto::SecretBytes PinBlock(ByteView pin, const PinProperties& props);

class SecurePinEntry final : public PinEntry {
 public:
  explicit SecurePinEntry(uint32_t verify_pin_direct_code) : code_(verify_pin_direct_code) {}

 private:
  Result<uint16_t> DoVerify(CardReader& reader, const PinProperties& props) override;
  uint32_t code_;
};

class ConsolePinEntry final : public PinEntry {
 public:
  // Reads from `fd`; when it is a terminal, echo is switched off and `prompt` is written to
  // stderr. Not owned.
  explicit ConsolePinEntry(int fd, std::string prompt = "PIN: ")
      : fd_(fd), prompt_(std::move(prompt)) {}

  // Reads one line (at most max_length + 1 characters are kept) as a secret.
  Result<crypto::SecretBytes> ReadSecret(size_t max_length);

 private:
  Result<uint16_t> DoVerify(CardReader& reader, const PinProperties& props) override;
  int fd_;
  std::string prompt_;
};

// Secure entry when the reader lists FEATURE_VERIFY_PIN_DIRECT, console entry on `fd`
// otherwise (Debian's vpcd 0.8 has no part 10 features: console).
Result<std::unique_ptr<PinEntry>> ChoosePinEntry(CardReader& reader, int fd);

}  // namespace carnet::hal
