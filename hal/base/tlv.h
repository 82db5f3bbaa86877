#pragma once
// Strict BER-TLV (ISO/IEC 7816-4 §5.2 / ITU-T X.690 subset) for data read from cards and for
// card-verifiable certificates (crypto/x509/cvc).
//
// What is accepted, and nothing else:
//   - tags of 1 to 3 bytes, in the shortest form (a multi-byte tag must need its extra bytes;
//     the first subsequent byte may not be 0x80, which would be padding inside the tag number);
//   - definite lengths: short form (0..127) or long form 81 xx / 82 xx xx / 83 xx xx xx, each
//     in the shortest form (81 05 is rejected: "overlong", a classic way to smuggle a second
//     reading of the same bytes past one parser and not another);
//   - values that fit inside the input, with nothing after the last element (no trailing or
//     padding bytes), nested to at most TlvLimits::max_depth levels when walked recursively.
// The indefinite length (80) and 4-byte lengths (84 ...) are rejected.

#include <cstdint>
#include <optional>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet {

struct TlvLimits {
  size_t max_value_length = 0xFFFFFF;  // what 3 length bytes can say
  size_t max_elements = 4096;          // per list, to bound work on hostile input
  size_t max_depth = 16;               // recursion bound for ValidateTlvTree
  // Formats stricter than BER-TLV narrow these (the Vitale CVC: 2-byte tags, 2 length bytes).
  size_t max_tag_bytes = 3;     // 1..3
  size_t max_length_bytes = 3;  // bytes after 81/82/83, 1..3
  // ISO 7816-4 §5.2.2: 00 and FF are padding, never a tag's first byte. Off by default because
  // card files read whole may end in padding the caller trims; on for self-contained objects.
  bool reject_padding_tags = false;
};

struct Tlv {
  uint32_t tag = 0;  // the tag bytes as a big-endian number: 0x5F20, 0x7F21, 0xBF8101
  ByteView value;    // points into the parsed input: it must outlive the Tlv

  // Bit 6 of the first tag byte (X.690 §8.1.2.5).
  bool constructed() const;
};

// Reads one element from the front of `in` and advances `in` past it.
Result<Tlv> ReadTlv(ByteView& in, const TlvLimits& limits = {});

// Parses exactly one element: `in` must hold it and nothing more.
Result<Tlv> ParseSingleTlv(ByteView in, const TlvLimits& limits = {});

// Parses a concatenation of elements covering all of `in` (empty input gives an empty list).
Result<std::vector<Tlv>> ParseTlvList(ByteView in, const TlvLimits& limits = {});

// Checks that `in` is a well-formed list and that every constructed element's value is itself
// a well-formed list, recursively, up to limits.max_depth.
Status ValidateTlvTree(ByteView in, const TlvLimits& limits = {});

// First element with `tag` in a list, or nullopt.
std::optional<Tlv> FindTlv(const std::vector<Tlv>& list, uint32_t tag);
// Parses `in` as a list and returns the value of the first `tag`; NotFound if absent.
Result<ByteView> FindTlvValue(ByteView in, uint32_t tag, const TlvLimits& limits = {});

// Encoding (for the simulator and for building command data). Tags up to 3 bytes; values up to
// 0xFFFFFF bytes (larger values are a programming error and are truncated to an empty value
// with tag kept — callers build small objects only).
void AppendTlv(Bytes& out, uint32_t tag, ByteView value);
Bytes EncodeTlv(uint32_t tag, ByteView value);
void AppendTag(Bytes& out, uint32_t tag);
void AppendBerLength(Bytes& out, size_t length);

}  // namespace carnet
