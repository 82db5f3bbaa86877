#include "hal/card/apdu.h"

#include <cstdio>

namespace carnet::hal {

CommandApdu CommandApdu::Make(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2) {
  CommandApdu a;
  a.cla = cla;
  a.ins = ins;
  a.p1 = p1;
  a.p2 = p2;
  return a;
}

CommandApdu CommandApdu::MakeLe(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, uint32_t le) {
  CommandApdu a = Make(cla, ins, p1, p2);
  a.le = le;
  return a;
}

CommandApdu CommandApdu::MakeData(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, ByteView data) {
  CommandApdu a = Make(cla, ins, p1, p2);
  a.data.assign(data.begin(), data.end());
  return a;
}

CommandApdu CommandApdu::MakeDataLe(
    uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, ByteView data, uint32_t le) {
  CommandApdu a = MakeData(cla, ins, p1, p2, data);
  a.le = le;
  return a;
}

bool CommandApdu::IsExtended() const {
  return force_extended || data.size() > kShortLcMax || (le.has_value() && *le > kShortLeMax);
}

Result<Bytes> CommandApdu::Serialize() const {
  if (data.size() > kExtendedLcMax) return OutOfRange("APDU command data longer than 65535 bytes");
  if (le.has_value() && (*le == 0 || *le > kExtendedLeMax)) {
    return InvalidArgument("APDU Le must be 1..65536 bytes");
  }
  const bool ext = IsExtended();
  // Sized once: growing would free a buffer holding the command data (a PIN block) unwiped.
  size_t size = 4;
  if (!data.empty()) size += (ext ? 3u : 1u) + data.size();
  if (le.has_value()) size += ext ? (data.empty() ? 3u : 2u) : 1u;
  Bytes out;
  out.reserve(size);
  out = {cla, ins, p1, p2};
  if (!data.empty()) {
    if (ext) {
      out.push_back(0x00);
      AppendU16Be(out, static_cast<uint16_t>(data.size()));
    } else {
      out.push_back(static_cast<uint8_t>(data.size()));
    }
    Append(out, data);
  }
  if (le.has_value()) {
    // 256 (short) and 65536 (extended) are encoded as zero bytes.
    if (ext) {
      if (data.empty()) out.push_back(0x00);
      AppendU16Be(out, static_cast<uint16_t>(*le == kExtendedLeMax ? 0 : *le));
    } else {
      out.push_back(static_cast<uint8_t>(*le == kShortLeMax ? 0 : *le));
    }
  }
  return out;
}

namespace {

Result<CommandApdu> ParseExtended(CommandApdu a, ByteView body) {
  // body starts after the 00 marker byte.
  if (body.size() == 2) {  // case 2E
    const uint16_t le = ReadU16Be(body);
    a.le = le == 0 ? kExtendedLeMax : le;
    a.force_extended = true;
    return a;
  }
  if (body.size() < 2) return InvalidArgument("APDU: truncated extended length");
  const size_t lc = ReadU16Be(body);
  if (lc == 0) return InvalidArgument("APDU: extended Lc of zero");
  const ByteView rest = body.subspan(2);
  if (rest.size() != lc && rest.size() != lc + 2) {
    return InvalidArgument("APDU: extended Lc does not match the command length");
  }
  a.data.assign(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(lc));
  if (rest.size() == lc + 2) {  // case 4E
    const uint16_t le = ReadU16Be(rest.subspan(lc));
    a.le = le == 0 ? kExtendedLeMax : le;
  }
  a.force_extended = true;
  return a;
}

}  // namespace

Result<CommandApdu> CommandApdu::Parse(ByteView raw) {
  if (raw.size() < 4) return InvalidArgument("APDU: shorter than the 4-byte header");
  CommandApdu a = Make(raw[0], raw[1], raw[2], raw[3]);
  const ByteView body = raw.subspan(4);
  if (body.empty()) return a;  // case 1
  if (body.size() == 1) {      // case 2S
    a.le = body[0] == 0 ? kShortLeMax : body[0];
    return a;
  }
  if (body[0] == 0) {
    if (body.size() < 3) return InvalidArgument("APDU: truncated extended length");
    return ParseExtended(std::move(a), body.subspan(1));
  }
  const size_t lc = body[0];
  const ByteView rest = body.subspan(1);
  if (rest.size() != lc && rest.size() != lc + 1) {
    return InvalidArgument("APDU: Lc does not match the command length");
  }
  a.data.assign(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(lc));
  if (rest.size() == lc + 1) a.le = rest[lc] == 0 ? kShortLeMax : rest[lc];  // case 4S
  return a;
}

std::string CommandApdu::HeaderString() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02X %02X %02X %02X [%zu bytes]", cla, ins, p1, p2, data.size());
  return buf;
}

Result<ResponseApdu> ResponseApdu::Parse(ByteView raw) {
  if (raw.size() < 2) return InvalidArgument("response APDU shorter than SW1 SW2");
  if (raw.size() > kExtendedLeMax + 2) return OutOfRange("response APDU longer than 65538 bytes");
  ResponseApdu r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.sw = ReadU16Be(raw.subspan(raw.size() - 2));
  return r;
}

Bytes ResponseApdu::Serialize() const {
  Bytes out = data;
  AppendU16Be(out, sw);
  return out;
}

std::string SwString(uint16_t sw) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", sw);
  return buf;
}

}  // namespace carnet::hal
