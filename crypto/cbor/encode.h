#pragma once
// Deterministic CBOR encoding (RFC 8949 §4.2.1 "Core Deterministic Encoding Requirements"):
//   - every head uses the shortest form for its argument;
//   - only definite lengths;
//   - map entries sorted by the bytewise lexicographic order of their keys' encodings.
// The same Value always gives the same bytes, which is what signatures (COSE Sig_structure)
// and the trace log's Merkle leaves rely on.
//
// Encoding cannot fail. A map built in code with two equal keys is encoded as given (both
// entries, sorted); the decoder would reject the result, so do not build one.

#include <cstdint>

#include "crypto/cbor/value.h"
#include "hal/base/bytes.h"

namespace carnet::crypto::cbor {

Bytes Encode(const Value& value);
// Appends the encoding of `value` to `out`.
void EncodeTo(const Value& value, Bytes& out);
// Appends a head (major type 0..7, argument) in its shortest form.
void AppendHead(Bytes& out, uint8_t major_type, uint64_t argument);
// The length of the shortest head for `argument` (1, 2, 3, 5 or 9 bytes).
size_t ShortestHeadLength(uint64_t argument);

}  // namespace carnet::crypto::cbor
