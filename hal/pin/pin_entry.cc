#include "hal/pin/pin_entry.h"

#include <termios.h>
#include <unistd.h>

#include <array>
#include <cstdio>

namespace carnet::hal {

Bytes BuildPinVerifyStructure(const PinProperties& p) {
  Bytes s = {
      0x1E,          // bTimerOut: 30 s
      0x1E,          // bTimerOut2
      0x02,          // bmFormatString: ASCII, PIN at offset 0 of the APDU data
      0x00,          // bmPINBlockString: no length field in the block
      0x00,          // bmPINLengthFormat
      p.max_length,  // wPINMaxExtraDigit = min << 8 | max, little-endian: max first
      p.min_length,
      0x02,                      // bEntryValidationCondition: validation key pressed
      0x00,                      // bNumberMessage (as OpenSC sends for IAS-ECC, cards.md §5.1)
      0x00,         0x00,        // wLangId
      0x00,                      // bMsgIndex
      0x00,         0x00, 0x00,  // bTeoPrologue
  };
  Bytes apdu = {0x00, 0x20, 0x00, p.reference, p.stored_length};
  apdu.insert(apdu.end(), p.stored_length, p.pad_char);
  const auto n = static_cast<uint32_t>(apdu.size());
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<uint8_t>(n >> (8 * i)));  // ulDataLength
  Append(s, apdu);
  return s;
}

Status CheckPinFormat(ByteView pin, const PinProperties& p) {
  if (pin.size() < p.min_length || pin.size() > p.max_length) {
    return InvalidArgument("PIN must have " + std::to_string(p.min_length) + " to " +
                           std::to_string(p.max_length) + " digits");
  }
  for (uint8_t c : pin) {
    if (c < '0' || c > '9') return InvalidArgument("PIN must contain digits only");
  }
  if (pin.size() > p.stored_length) return InvalidArgument("PIN longer than the card stores");
  return Status();
}

crypto::SecretBytes PinBlock(ByteView pin, const PinProperties& p) {
  crypto::SecretBytes block(p.stored_length);
  MutableByteView out = block.mutable_view();
  for (size_t i = 0; i < out.size(); ++i) out[i] = i < pin.size() ? pin[i] : p.pad_char;
  return block;
}

Result<uint16_t> SecurePinEntry::DoVerify(CardReader& reader, const PinProperties& props) {
  CARNET_ASSIGN_OR_RETURN(Bytes answer, reader.Control(code_, BuildPinVerifyStructure(props)));
  if (answer.size() != 2) {
    return DataLoss("reader's secure PIN entry answered " + std::to_string(answer.size()) +
                    " bytes instead of a status word");
  }
  return ReadU16Be(answer);
}

Result<crypto::SecretBytes> ConsolePinEntry::ReadSecret(size_t max_length) {
  const bool tty = isatty(fd_) != 0;
  termios saved{};
  if (tty) {
    std::fputs(prompt_.c_str(), stderr);
    std::fflush(stderr);
    tcgetattr(fd_, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd_, TCSAFLUSH, &quiet);
  }
  std::array<uint8_t, 64> buf{};
  size_t n = 0;
  Status status;
  for (;;) {
    uint8_t c;
    const ssize_t r = ::read(fd_, &c, 1);
    if (r < 0) {
      status = Unavailable("reading the PIN failed");
      break;
    }
    if (r == 0 || c == '\n') break;
    if (c == '\r') continue;
    if (n < buf.size() && n <= max_length) buf[n++] = c;  // longer input stays "too long"
  }
  if (tty) {
    tcsetattr(fd_, TCSAFLUSH, &saved);
    std::fputs("\n", stderr);
  }
  crypto::SecretBytes secret(ByteView(buf.data(), n));
  crypto::Zeroize(buf);
  if (!status.ok()) return status;
  return secret;
}

Result<uint16_t> ConsolePinEntry::DoVerify(CardReader& reader, const PinProperties& props) {
  CARNET_ASSIGN_OR_RETURN(crypto::SecretBytes pin, ReadSecret(props.max_length));
  CARNET_TRY(CheckPinFormat(pin.view(), props));
  crypto::SecretBytes block = PinBlock(pin.view(), props);
  CommandApdu verify = CommandApdu::MakeData(0x00, 0x20, 0x00, props.reference, block.view());
  auto r = reader.Transmit(verify);
  crypto::Zeroize(verify.data);  // the APDU copy of the PIN
  if (!r.ok()) return r.status();
  return r->sw;
}

Result<std::unique_ptr<PinEntry>> ChoosePinEntry(CardReader& reader, int fd) {
  CARNET_ASSIGN_OR_RETURN(auto features, reader.Features());
  for (const ReaderFeature& f : features) {
    if (f.tag == kFeatureVerifyPinDirect) {
      return std::unique_ptr<PinEntry>(new SecurePinEntry(f.control_code));
    }
  }
  return std::unique_ptr<PinEntry>(new ConsolePinEntry(fd));
}

}  // namespace carnet::hal
