#pragma once
// Strict CBOR decoding of untrusted input, with explicit limits.
//
// Built on libcbor's streaming decoder (cbor_stream_decode), never cbor_load: cbor_load
// allocates what a head announces before it has seen the data (a 5-byte array head makes it
// allocate gigabytes). Here every limit is checked against the head before anything is
// allocated, and memory use is bounded by the input size.
//
// Rejected, each with a Status naming the problem and the byte offset:
//   - empty input, input larger than max_input_size                       (kInvalidArgument /
//   - truncated input (a head, a string body or a container cut short)      kOutOfRange for
//   - bytes after the top-level item                                        the limits)
//   - indefinite lengths, the "break" byte, reserved additional-info values 28..30
//   - floating-point numbers and simple values other than false/true/null/undefined
//   - text strings that are not valid UTF-8 (overlong forms, surrogates, > U+10FFFF)
//   - duplicate map keys (compared as values)
//   - nesting deeper than max_depth (arrays, maps and tags each add a level)
//   - more than max_items data items in total, strings longer than max_string_length,
//     arrays or maps declaring more than max_container_length entries
//   - when require_canonical: heads not in their shortest form, and map keys not in the
//     bytewise order of their encodings (RFC 8949 §4.2.1), so that Encode(Decode(x)) == x.

#include <cstddef>

#include "crypto/cbor/value.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::crypto::cbor {

struct DecodeLimits {
  size_t max_input_size = 64 * 1024;
  size_t max_depth = 16;
  size_t max_items = 4096;
  size_t max_string_length = 64 * 1024;
  size_t max_container_length = 1024;  // entries of one array, or key/value pairs of one map
  bool require_canonical = true;
};

// Decodes exactly one CBOR data item that spans all of `input`.
Result<Value> Decode(ByteView input, const DecodeLimits& limits = DecodeLimits{});

// True when `text` is well-formed UTF-8 (RFC 3629). On failure `bad_offset` is the offset of
// the first byte of the offending sequence.
bool IsValidUtf8(ByteView text, size_t& bad_offset);

}  // namespace carnet::crypto::cbor
