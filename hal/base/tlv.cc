#include "hal/base/tlv.h"

#include <algorithm>
#include <string>

namespace carnet {

bool Tlv::constructed() const {
  uint32_t first = tag;
  while (first > 0xFF) first >>= 8;
  return (first & 0x20) != 0;
}

namespace {

Result<uint32_t> ReadTag(ByteReader& r, const TlvLimits& limits) {
  auto b0 = r.ReadU8();
  if (!b0.ok()) return InvalidArgument("TLV: truncated tag (no byte left)");
  if (limits.reject_padding_tags && (*b0 == 0x00 || *b0 == 0xFF)) {
    return InvalidArgument("TLV: padding byte where a tag belongs");
  }
  uint32_t tag = *b0;
  if ((*b0 & 0x1F) != 0x1F) return tag;  // one-byte tag
  // Multi-byte tag: subsequent bytes have bit 8 set while more follow.
  const size_t max_bytes = std::min<size_t>(limits.max_tag_bytes, 3);
  uint32_t number = 0;
  for (size_t i = 1; i < max_bytes; ++i) {
    auto b = r.ReadU8();
    if (!b.ok()) return InvalidArgument("TLV: truncated multi-byte tag");
    if (i == 1 && *b == 0x80) return InvalidArgument("TLV: tag number has a leading zero group");
    tag = (tag << 8) | *b;
    number = (number << 7) | (*b & 0x7Fu);
    if ((*b & 0x80) == 0) {
      if (number < 0x1F) return InvalidArgument("TLV: tag not in its shortest form");
      return tag;
    }
  }
  return InvalidArgument("TLV: tag longer than " + std::to_string(max_bytes) + " bytes");
}

Result<size_t> ReadLength(ByteReader& r, const TlvLimits& limits) {
  auto b0 = r.ReadU8();
  if (!b0.ok()) return InvalidArgument("TLV: missing length");
  if (*b0 < 0x80) return size_t{*b0};
  if (*b0 == 0x80) return InvalidArgument("TLV: indefinite length");
  const size_t n = *b0 & 0x7Fu;
  const size_t max_n = std::min<size_t>(limits.max_length_bytes, 3);
  if (n > max_n) {
    return InvalidArgument("TLV: length field longer than " + std::to_string(max_n) + " bytes");
  }
  size_t len = 0;
  for (size_t i = 0; i < n; ++i) {
    auto b = r.ReadU8();
    if (!b.ok()) return InvalidArgument("TLV: truncated length");
    len = (len << 8) | *b;
  }
  const size_t min_for_n = n == 1 ? 0x80 : (size_t{1} << (8 * (n - 1)));
  if (len < min_for_n) return InvalidArgument("TLV: length not in its shortest form");
  return len;
}

}  // namespace

Result<Tlv> ReadTlv(ByteView& in, const TlvLimits& limits) {
  ByteReader r(in);
  CARNET_ASSIGN_OR_RETURN(uint32_t tag, ReadTag(r, limits));
  CARNET_ASSIGN_OR_RETURN(size_t len, ReadLength(r, limits));
  if (len > limits.max_value_length) return OutOfRange("TLV: value longer than the limit");
  if (len > r.remaining()) return InvalidArgument("TLV: value runs beyond the end of the input");
  auto value = r.Read(len);
  if (!value.ok()) return value.status();
  Tlv t;
  t.tag = tag;
  t.value = *value;
  in = in.subspan(r.position());
  return t;
}

Result<Tlv> ParseSingleTlv(ByteView in, const TlvLimits& limits) {
  if (in.empty()) return InvalidArgument("TLV: empty input");
  CARNET_ASSIGN_OR_RETURN(Tlv t, ReadTlv(in, limits));
  if (!in.empty()) return InvalidArgument("TLV: trailing bytes after the element");
  return t;
}

Result<std::vector<Tlv>> ParseTlvList(ByteView in, const TlvLimits& limits) {
  std::vector<Tlv> out;
  while (!in.empty()) {
    if (out.size() >= limits.max_elements) return OutOfRange("TLV: too many elements");
    CARNET_ASSIGN_OR_RETURN(Tlv t, ReadTlv(in, limits));
    out.push_back(t);
  }
  return out;
}

namespace {
Status ValidateAt(ByteView in, const TlvLimits& limits, size_t depth) {
  if (depth > limits.max_depth) return OutOfRange("TLV: nested deeper than the limit");
  CARNET_ASSIGN_OR_RETURN(auto list, ParseTlvList(in, limits));
  for (const Tlv& t : list) {
    if (t.constructed()) CARNET_TRY(ValidateAt(t.value, limits, depth + 1));
  }
  return Status();
}
}  // namespace

Status ValidateTlvTree(ByteView in, const TlvLimits& limits) { return ValidateAt(in, limits, 0); }

std::optional<Tlv> FindTlv(const std::vector<Tlv>& list, uint32_t tag) {
  for (const Tlv& t : list) {
    if (t.tag == tag) return t;
  }
  return std::nullopt;
}

Result<ByteView> FindTlvValue(ByteView in, uint32_t tag, const TlvLimits& limits) {
  CARNET_ASSIGN_OR_RETURN(auto list, ParseTlvList(in, limits));
  auto t = FindTlv(list, tag);
  if (!t) return NotFound("TLV: tag not present");
  return t->value;
}

void AppendTag(Bytes& out, uint32_t tag) {
  if (tag > 0xFFFF) out.push_back(static_cast<uint8_t>(tag >> 16));
  if (tag > 0xFF) out.push_back(static_cast<uint8_t>(tag >> 8));
  out.push_back(static_cast<uint8_t>(tag));
}

void AppendBerLength(Bytes& out, size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<uint8_t>(length));
  } else if (length <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<uint8_t>(length));
  } else if (length <= 0xFFFF) {
    out.push_back(0x82);
    AppendU16Be(out, static_cast<uint16_t>(length));
  } else {
    out.push_back(0x83);
    out.push_back(static_cast<uint8_t>(length >> 16));
    AppendU16Be(out, static_cast<uint16_t>(length & 0xFFFF));
  }
}

void AppendTlv(Bytes& out, uint32_t tag, ByteView value) {
  AppendTag(out, tag);
  if (value.size() > 0xFFFFFF) {
    AppendBerLength(out, 0);
    return;
  }
  AppendBerLength(out, value.size());
  Append(out, value);
}

Bytes EncodeTlv(uint32_t tag, ByteView value) {
  Bytes out;
  AppendTlv(out, tag, value);
  return out;
}

}  // namespace carnet
