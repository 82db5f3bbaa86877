#pragma once
// CBOR major types (RFC 8949 §3.1), the top three bits of an item's initial byte. Shared by
// the decoder's head checks and the encoder so the two cannot disagree.

#include <cstdint>

namespace carnet::crypto::cbor {

inline constexpr uint8_t kMajorUnsigned = 0;
inline constexpr uint8_t kMajorNegative = 1;
inline constexpr uint8_t kMajorBytes = 2;
inline constexpr uint8_t kMajorText = 3;
inline constexpr uint8_t kMajorArray = 4;
inline constexpr uint8_t kMajorMap = 5;
inline constexpr uint8_t kMajorTag = 6;
inline constexpr uint8_t kMajorSimple = 7;

}  // namespace carnet::crypto::cbor
