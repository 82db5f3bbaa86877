#include "hal/base/bytes.h"

#include <array>

namespace carnet {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string B64Encode(ByteView data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 63];
  }
  size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{data[i]} << 16;
    if (rest == 2) v |= uint32_t{data[i + 1]} << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) out += alphabet[(v >> 6) & 63];
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

Result<Bytes> B64Decode(std::string_view text, const char* alphabet, bool padded) {
  std::array<int, 256> value;
  value.fill(-1);
  for (int i = 0; i < 64; ++i) value[static_cast<uint8_t>(alphabet[i])] = i;
  if (padded) {
    if (text.size() % 4 != 0) return InvalidArgument("base64: length is not a multiple of 4");
    size_t pads = 0;
    while (pads < 2 && !text.empty() && text.back() == '=') {
      text.remove_suffix(1);
      ++pads;
    }
  }
  if (text.size() % 4 == 1) return InvalidArgument("base64: truncated input");
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = value[static_cast<uint8_t>(c)];
    if (v < 0) return InvalidArgument("base64: invalid character");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero: otherwise two encodings would decode to the same bytes.
  if ((acc & ((1u << bits) - 1)) != 0) return InvalidArgument("base64: non-canonical padding bits");
  return out;
}

}  // namespace

std::string HexEncode(ByteView data) {
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out += kHexDigits[b >> 4];
    out += kHexDigits[b & 15];
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view hex) {
  Bytes out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ' && high < 0) continue;
    int v = HexValue(c);
    if (v < 0) return InvalidArgument("hex: invalid character");
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0) return InvalidArgument("hex: odd number of digits");
  return out;
}

std::string Base64Encode(ByteView data) { return B64Encode(data, kB64, true); }
Result<Bytes> Base64Decode(std::string_view text) { return B64Decode(text, kB64, true); }
std::string Base64UrlEncode(ByteView data) { return B64Encode(data, kB64Url, false); }
Result<Bytes> Base64UrlDecode(std::string_view text) { return B64Decode(text, kB64Url, false); }

void Append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }
void AppendU16Be(Bytes& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
void AppendU32Be(Bytes& out, uint32_t v) {
  AppendU16Be(out, static_cast<uint16_t>(v >> 16));
  AppendU16Be(out, static_cast<uint16_t>(v));
}
void AppendU64Be(Bytes& out, uint64_t v) {
  AppendU32Be(out, static_cast<uint32_t>(v >> 32));
  AppendU32Be(out, static_cast<uint32_t>(v));
}
uint16_t ReadU16Be(ByteView in) { return static_cast<uint16_t>((in[0] << 8) | in[1]); }
uint32_t ReadU32Be(ByteView in) {
  return (uint32_t{ReadU16Be(in)} << 16) | ReadU16Be(in.subspan(2));
}
uint64_t ReadU64Be(ByteView in) {
  return (uint64_t{ReadU32Be(in)} << 32) | ReadU32Be(in.subspan(4));
}

Result<uint8_t> ByteReader::ReadU8() {
  if (remaining() < 1) return OutOfRange("input ends early (need 1 byte)");
  return data_[pos_++];
}
Result<uint16_t> ByteReader::ReadU16() {
  if (remaining() < 2) return OutOfRange("input ends early (need 2 bytes)");
  uint16_t v = ReadU16Be(data_.subspan(pos_));
  pos_ += 2;
  return v;
}
Result<ByteView> ByteReader::Read(size_t n) {
  if (remaining() < n) {
    return OutOfRange("input ends early (need " + std::to_string(n) + " bytes, have " +
                      std::to_string(remaining()) + ")");
  }
  ByteView v = data_.subspan(pos_, n);
  pos_ += n;
  return v;
}

}  // namespace carnet
