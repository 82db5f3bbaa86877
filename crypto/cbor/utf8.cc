// UTF-8 validation (RFC 3629) for CBOR text strings.
#include "crypto/cbor/decode.h"

namespace carnet::crypto::cbor {

bool IsValidUtf8(ByteView s, size_t& bad_offset) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = s[i];
    size_t n = 0;
    uint32_t cp = 0;
    uint32_t min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1fu, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0fu, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07u, min = 0x10000;
    } else {
      bad_offset = i;
      return false;
    }
    bool ok = s.size() - i - 1 >= n;
    for (size_t j = 1; ok && j <= n; ++j) {
      ok = (s[i + j] & 0xc0) == 0x80;
      cp = (cp << 6) | (s[i + j] & 0x3fu);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      bad_offset = i;
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace carnet::crypto::cbor
