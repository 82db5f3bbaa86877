#pragma once
// Byte buffers and views, and the few conversions every module needs (hex, base64,
// big-endian integers). `ByteView` never owns; `Bytes` always does.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hal/base/status.h"

namespace carnet {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
using MutableByteView = std::span<uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string ToString(ByteView b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// Lower-case hex, no separators.
std::string HexEncode(ByteView data);
// Accepts upper or lower case and ASCII spaces between bytes ("3B AC 00"); rejects odd lengths
// and any other character.
Result<Bytes> HexDecode(std::string_view hex);

// RFC 4648 base64 with padding; base64url without padding (JWS, RFC 7515).
std::string Base64Encode(ByteView data);
Result<Bytes> Base64Decode(std::string_view text);
std::string Base64UrlEncode(ByteView data);
Result<Bytes> Base64UrlDecode(std::string_view text);

void Append(Bytes& out, ByteView more);
void AppendU16Be(Bytes& out, uint16_t v);
void AppendU32Be(Bytes& out, uint32_t v);
void AppendU64Be(Bytes& out, uint64_t v);
uint16_t ReadU16Be(ByteView in);  // requires in.size() >= 2
uint32_t ReadU32Be(ByteView in);  // requires in.size() >= 4
uint64_t ReadU64Be(ByteView in);  // requires in.size() >= 8

// A bounds-checked reader over untrusted bytes: every read states how much it needs and
// fails (rather than reading past the end) when the input is short.
class ByteReader {
 public:
  explicit ByteReader(ByteView data) : data_(data) {}
  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  size_t position() const { return pos_; }
  Result<uint8_t> ReadU8();
  Result<uint16_t> ReadU16();
  Result<ByteView> Read(size_t n);
  ByteView Rest() const { return data_.subspan(pos_); }

 private:
  ByteView data_;
  size_t pos_ = 0;
};

}  // namespace carnet
