#pragma once
// Helpers shared by the cbor tests.

#include <string>

#include "crypto/cbor/decode.h"
#include "hal/base/bytes.h"

namespace carnet::crypto::cbor::testing {

inline Bytes Hex(const std::string& hex) {
  auto r = HexDecode(hex);
  return r.ok() ? *r : Bytes{};
}

inline Result<Value> DecodeHex(const std::string& hex, const DecodeLimits& limits = {}) {
  return Decode(Hex(hex), limits);
}

inline DecodeLimits Lenient() {
  DecodeLimits l;
  l.require_canonical = false;
  return l;
}

}  // namespace carnet::crypto::cbor::testing
