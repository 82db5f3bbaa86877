#include "crypto/x509/der.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace carnet::crypto::der {

Bytes Tlv(uint8_t tag, ByteView content) {
  Bytes out;
  out.reserve(content.size() + 6);
  out.push_back(tag);
  size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else {
    Bytes len;
    for (size_t v = n; v != 0; v >>= 8) len.insert(len.begin(), static_cast<uint8_t>(v & 0xFF));
    out.push_back(static_cast<uint8_t>(0x80 | len.size()));
    Append(out, len);
  }
  Append(out, content);
  return out;
}

Bytes Concat(std::initializer_list<ByteView> elements) {
  Bytes out;
  for (ByteView e : elements) Append(out, e);
  return out;
}

Bytes Sequence(std::initializer_list<ByteView> elements) {
  return Tlv(kSequence, Concat(elements));
}

Bytes SetOf(std::vector<Bytes> elements) {
  // X.690 §11.6: compare as octet strings, the shorter padded with trailing zeros.
  std::sort(elements.begin(), elements.end(), [](const Bytes& a, const Bytes& b) {
    size_t n = std::max(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      uint8_t x = i < a.size() ? a[i] : 0;
      uint8_t y = i < b.size() ? b[i] : 0;
      if (x != y) return x < y;
    }
    return false;
  });
  Bytes content;
  for (const Bytes& e : elements) Append(content, e);
  return Tlv(kSet, content);
}

Bytes Oid(std::string_view encoded) { return Tlv(kOid, AsBytes(encoded)); }

Bytes UnsignedInteger(ByteView magnitude) {
  size_t skip = 0;
  while (skip + 1 < magnitude.size() && magnitude[skip] == 0) ++skip;
  Bytes body;
  if (magnitude.empty() || (magnitude[skip] & 0x80) != 0) body.push_back(0);
  body.insert(body.end(), magnitude.begin() + static_cast<std::ptrdiff_t>(skip), magnitude.end());
  return Tlv(kInteger, body);
}

Bytes SmallInteger(uint32_t v) {
  Bytes be;
  AppendU32Be(be, v);
  return UnsignedInteger(be);
}

Bytes Boolean(bool v) {
  const uint8_t b = v ? 0xFF : 0x00;
  return Tlv(0x01, ByteView(&b, 1));
}

Bytes BitString(ByteView content) {
  Bytes body{0x00};
  Append(body, content);
  return Tlv(kBitString, body);
}

Result<Bytes> Time(UnixMillis t) {
  std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  if (gmtime_r(&secs, &tm) == nullptr) return InvalidArgument("time out of range");
  int year = tm.tm_year + 1900;
  char buf[32];
  bool utc = year >= 1950 && year < 2050;
  int n = utc ? std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02dZ", year % 100,
                              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)
              : std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02dZ", year, tm.tm_mon + 1,
                              tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (n <= 0 || year > 9999 || year < 0) return InvalidArgument("time out of range");
  return Tlv(utc ? kUtcTime : kGeneralizedTime,
             AsBytes(std::string_view(buf, static_cast<size_t>(n))));
}

Bytes Explicit(uint8_t n, ByteView inner) { return Tlv(static_cast<uint8_t>(0xA0 | n), inner); }

uint8_t ContextPrimitive(uint8_t n) { return static_cast<uint8_t>(0x80 | n); }

}  // namespace carnet::crypto::der
