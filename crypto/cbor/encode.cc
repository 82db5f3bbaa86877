#include "crypto/cbor/encode.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "crypto/cbor/major_type.h"

namespace carnet::crypto::cbor {
namespace {

constexpr uint8_t kSimpleFalse = 0xf4;
constexpr uint8_t kSimpleTrue = 0xf5;
constexpr uint8_t kSimpleNull = 0xf6;
constexpr uint8_t kSimpleUndefined = 0xf7;

void EncodeMap(std::span<const MapEntry> entries, Bytes& out) {
  // RFC 8949 §4.2.1: sort by the bytewise lexicographic order of the encoded keys.
  std::vector<std::pair<Bytes, const Value*>> encoded;
  encoded.reserve(entries.size());
  for (const auto& [k, v] : entries) encoded.emplace_back(Encode(k), &v);
  std::sort(encoded.begin(), encoded.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  AppendHead(out, kMajorMap, entries.size());
  for (const auto& [key_bytes, v] : encoded) {
    Append(out, key_bytes);
    EncodeTo(*v, out);
  }
}

}  // namespace

size_t ShortestHeadLength(uint64_t argument) {
  if (argument < 24) return 1;
  if (argument <= 0xff) return 2;
  if (argument <= 0xffff) return 3;
  if (argument <= 0xffffffff) return 5;
  return 9;
}

void AppendHead(Bytes& out, uint8_t major_type, uint64_t argument) {
  const auto mt = static_cast<uint8_t>(major_type << 5);
  switch (ShortestHeadLength(argument)) {
    case 1:
      out.push_back(static_cast<uint8_t>(mt | argument));
      return;
    case 2:
      out.push_back(static_cast<uint8_t>(mt | 24));
      out.push_back(static_cast<uint8_t>(argument));
      return;
    case 3:
      out.push_back(static_cast<uint8_t>(mt | 25));
      AppendU16Be(out, static_cast<uint16_t>(argument));
      return;
    case 5:
      out.push_back(static_cast<uint8_t>(mt | 26));
      AppendU32Be(out, static_cast<uint32_t>(argument));
      return;
    default:
      out.push_back(static_cast<uint8_t>(mt | 27));
      AppendU64Be(out, argument);
      return;
  }
}

void EncodeTo(const Value& value, Bytes& out) {
  switch (value.type()) {
    case Type::kUnsigned:
      AppendHead(out, kMajorUnsigned, value.raw_number());
      return;
    case Type::kNegative:
      AppendHead(out, kMajorNegative, value.raw_number());
      return;
    case Type::kByteString:
    case Type::kTextString: {
      const bool text = value.is(Type::kTextString);
      ByteView data = text ? AsBytes(*value.AsText()) : *value.AsBytes();
      AppendHead(out, text ? kMajorText : kMajorBytes, data.size());
      Append(out, data);
      return;
    }
    case Type::kArray: {
      auto items = *value.AsArray();
      AppendHead(out, kMajorArray, items.size());
      for (const auto& item : items) EncodeTo(item, out);
      return;
    }
    case Type::kMap:
      EncodeMap(*value.AsMap(), out);
      return;
    case Type::kTag:
      AppendHead(out, kMajorTag, value.raw_number());
      EncodeTo(**value.TagContent(), out);
      return;
    case Type::kBool:
      out.push_back(value.raw_number() != 0 ? kSimpleTrue : kSimpleFalse);
      return;
    case Type::kNull:
      out.push_back(kSimpleNull);
      return;
    case Type::kUndefined:
      out.push_back(kSimpleUndefined);
      return;
  }
}

Bytes Encode(const Value& value) {
  Bytes out;
  EncodeTo(value, out);
  return out;
}

}  // namespace carnet::crypto::cbor
