// Strict CBOR decoder: our own head check, then libcbor's streaming decoder for the item.
//
// Why a head check of our own in front of libcbor: libcbor's callbacks give the value of an
// item but not how wide its head was, and we must reject non-shortest heads (canonical
// input), indefinite lengths, and oversize lengths *before* libcbor looks at the body. A head
// is at most 9 bytes and its grammar is tiny (RFC 8949 §3), so reading it here is simpler
// and safer than re-encoding to compare widths. libcbor then decodes the item itself (and
// hands us the string body); we cross-check that it consumed exactly what the head says.
//
// Tags are the exception: libcbor 0.8 rejects the one-byte tag heads 0xc6..0xd4 (tags 6..20)
// as "unassigned", and tag 18 is COSE_Sign1, so tag heads are taken from our head check.
#include "crypto/cbor/decode.h"

#include <cbor.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crypto/cbor/encode.h"
#include "crypto/cbor/major_type.h"

namespace carnet::crypto::cbor {
namespace {

std::string At(size_t offset) { return " at offset " + std::to_string(offset); }

std::string MajorName(uint8_t major) {
  constexpr const char* kNames[] = {
      "unsigned integer", "negative integer", "byte string", "text string", "array", "map", "tag",
      "simple value"};
  return kNames[major & 7];
}

// A head (RFC 8949 §3.1): major type, additional information, argument, length in bytes.
struct Head {
  uint8_t major = 0;
  uint8_t info = 0;
  uint64_t argument = 0;
  size_t length = 1;
};

Result<Head> CheckSimple(Head h, size_t pos) {
  if (h.info >= 20 && h.info <= 23) return h;  // false, true, null, undefined
  if (h.info >= 25 && h.info <= 27) {
    return InvalidArgument("floating-point number" + At(pos) + " is not supported");
  }
  if (h.info == 31) return InvalidArgument("unexpected break byte 0xff" + At(pos));
  if (h.info >= 28) return InvalidArgument("reserved additional information" + At(pos));
  return InvalidArgument("unsupported simple value" + At(pos));
}

// Reads and checks the head at `pos` (in.size() > pos).
Result<Head> ReadHead(ByteView in, size_t pos, bool canonical) {
  const uint8_t initial = in[pos];
  Head h{static_cast<uint8_t>(initial >> 5), static_cast<uint8_t>(initial & 0x1f), 0, 1};
  if (h.major == kMajorSimple) return CheckSimple(h, pos);
  if (h.info < 24) {
    h.argument = h.info;
    return h;
  }
  if (h.info == 31 && h.major >= kMajorBytes && h.major <= kMajorMap) {
    // Indefinite lengths have no fixed size to check limits against and no single
    // deterministic form: never accepted.
    return InvalidArgument("indefinite-length " + MajorName(h.major) + At(pos));
  }
  if (h.info > 27) {
    return InvalidArgument("reserved additional information " + std::to_string(h.info) + " in " +
                           MajorName(h.major) + " head" + At(pos));
  }
  const size_t n = size_t{1} << (h.info - 24);
  if (in.size() - pos - 1 < n) {
    return InvalidArgument("truncated input: " + MajorName(h.major) + " head" + At(pos) +
                           " needs " + std::to_string(n + 1) + " bytes");
  }
  for (size_t i = 0; i < n; ++i) h.argument = (h.argument << 8) | in[pos + 1 + i];
  h.length = 1 + n;
  if (canonical && ShortestHeadLength(h.argument) != h.length) {
    return InvalidArgument("non-canonical head" + At(pos) + ": " + MajorName(h.major) +
                           " argument " + std::to_string(h.argument) + " in " +
                           std::to_string(h.length) + " bytes instead of " +
                           std::to_string(ShortestHeadLength(h.argument)));
  }
  return h;
}

// What libcbor's callbacks report for one item.
struct Token {
  enum class Kind {
    kNone,
    kUnsigned,
    kNegative,
    kBytes,
    kText,
    kArray,
    kMap,
    kBool,
    kNull,
    kUndefined,
    kOther
  };
  Kind kind = Kind::kNone;
  uint64_t number = 0;
  const uint8_t* data = nullptr;
  size_t size = 0;
};
using Kind = Token::Kind;

Token& Tok(void* context) { return *static_cast<Token*>(context); }
void SetNumber(void* c, Kind kind, uint64_t v) {
  Tok(c).kind = kind;
  Tok(c).number = v;
}
void OnUint8(void* c, uint8_t v) { SetNumber(c, Kind::kUnsigned, v); }
void OnUint16(void* c, uint16_t v) { SetNumber(c, Kind::kUnsigned, v); }
void OnUint32(void* c, uint32_t v) { SetNumber(c, Kind::kUnsigned, v); }
void OnUint64(void* c, uint64_t v) { SetNumber(c, Kind::kUnsigned, v); }
void OnNeg8(void* c, uint8_t v) { SetNumber(c, Kind::kNegative, v); }
void OnNeg16(void* c, uint16_t v) { SetNumber(c, Kind::kNegative, v); }
void OnNeg32(void* c, uint32_t v) { SetNumber(c, Kind::kNegative, v); }
void OnNeg64(void* c, uint64_t v) { SetNumber(c, Kind::kNegative, v); }
void OnArray(void* c, size_t n) { SetNumber(c, Kind::kArray, n); }
void OnMap(void* c, size_t n) { SetNumber(c, Kind::kMap, n); }
void OnBool(void* c, bool v) { SetNumber(c, Kind::kBool, v ? 1 : 0); }
void OnNull(void* c) { Tok(c).kind = Kind::kNull; }
void OnUndefined(void* c) { Tok(c).kind = Kind::kUndefined; }
void OnOther(void* c) { Tok(c).kind = Kind::kOther; }
void OnString(void* c, Kind kind, cbor_data data, size_t size) {
  Tok(c).kind = kind;
  Tok(c).data = data;
  Tok(c).size = size;
}
// libcbor 0.8 names these fields confusingly: `byte_string` / `string` receive a whole
// definite-length string; the *_start callbacks announce indefinite ones.
void OnBytes(void* c, cbor_data d, size_t n) { OnString(c, Kind::kBytes, d, n); }
void OnText(void* c, cbor_data d, size_t n) { OnString(c, Kind::kText, d, n); }

cbor_callbacks MakeCallbacks() {
  cbor_callbacks cb = cbor_empty_callbacks;
  cb.uint8 = OnUint8;
  cb.uint16 = OnUint16;
  cb.uint32 = OnUint32;
  cb.uint64 = OnUint64;
  cb.negint8 = OnNeg8;
  cb.negint16 = OnNeg16;
  cb.negint32 = OnNeg32;
  cb.negint64 = OnNeg64;
  cb.byte_string = OnBytes;
  cb.string = OnText;
  cb.array_start = OnArray;
  cb.map_start = OnMap;
  cb.boolean = OnBool;
  cb.null = OnNull;
  cb.undefined = OnUndefined;
  // Everything our head check already refuses; marked so a disagreement cannot slip by.
  cb.byte_string_start = OnOther;
  cb.string_start = OnOther;
  cb.indef_array_start = OnOther;
  cb.indef_map_start = OnOther;
  cb.indef_break = OnOther;
  return cb;
}

const cbor_callbacks kCallbacks = MakeCallbacks();

// The token libcbor must produce for a head of this major type (simple values: any of
// bool/null/undefined).
bool TokenMatchesHead(const Token& t, const Head& h, size_t read) {
  switch (h.major) {
    case 0:
    case 1:
      return t.kind == (h.major == 0 ? Kind::kUnsigned : Kind::kNegative) &&
             t.number == h.argument && read == h.length;
    case kMajorBytes:
    case kMajorText:
      return t.kind == (h.major == kMajorBytes ? Kind::kBytes : Kind::kText) &&
             t.size == h.argument && read == h.length + t.size;
    case kMajorArray:
    case kMajorMap:
      return t.kind == (h.major == kMajorArray ? Kind::kArray : Kind::kMap) &&
             t.number == h.argument && read == h.length;
    default:
      return (t.kind == Kind::kBool || t.kind == Kind::kNull || t.kind == Kind::kUndefined) &&
             read == 1;
  }
}

struct Frame {
  Type type = Type::kArray;  // kArray, kMap or kTag
  size_t start = 0;          // offset of the container's head
  uint64_t remaining = 0;    // children still expected (a map counts keys and values)
  uint64_t tag = 0;
  Value value;                // the array or map being filled
  Value key;                  // a map's pending key
  ByteView last_key;          // raw encoding of the previous key (canonical mode)
  std::set<Bytes> seen_keys;  // canonical encodings of the keys so far (lenient mode)
};

class Decoder {
 public:
  Decoder(ByteView in, const DecodeLimits& limits) : in_(in), limits_(limits) {}
  Result<Value> Run();

 private:
  Status Step();
  Status CheckHeadLimits(const Head& head, size_t start) const;
  Status Open(Type type, uint64_t count, uint64_t tag, size_t start);
  Status Finish(Value v, size_t start);
  Status AddToMap(Frame& f, Value v, size_t start);
  Result<Value> Leaf(const Token& t, size_t start) const;

  ByteView in_;
  const DecodeLimits& limits_;
  size_t pos_ = 0;
  size_t items_ = 0;
  std::vector<Frame> stack_;
  std::optional<Value> root_;
};

Result<Value> Decoder::Run() {
  if (in_.empty()) return InvalidArgument("empty CBOR input");
  if (in_.size() > limits_.max_input_size) {
    return OutOfRange("CBOR input of " + std::to_string(in_.size()) +
                      " bytes exceeds the limit of " + std::to_string(limits_.max_input_size));
  }
  while (!root_) {
    if (pos_ >= in_.size()) {
      return InvalidArgument("truncated input: ends" + At(pos_) + " inside " +
                             std::to_string(stack_.size()) + " unfinished container(s)");
    }
    CARNET_TRY(Step());
  }
  if (pos_ != in_.size()) {
    return InvalidArgument("trailing bytes: " + std::to_string(in_.size() - pos_) +
                           " byte(s) after the top-level item" + At(pos_));
  }
  return std::move(*root_);
}

Status Decoder::CheckHeadLimits(const Head& head, size_t start) const {
  if (items_ > limits_.max_items) {
    return OutOfRange("more than " + std::to_string(limits_.max_items) + " data items" + At(start));
  }
  const bool is_string = head.major == kMajorBytes || head.major == kMajorText;
  if (is_string && head.argument > limits_.max_string_length) {
    return OutOfRange(MajorName(head.major) + " of " + std::to_string(head.argument) + " bytes" +
                      At(start) + " exceeds the limit of " +
                      std::to_string(limits_.max_string_length));
  }
  const bool is_container = head.major == kMajorArray || head.major == kMajorMap;
  if (is_container && head.argument > limits_.max_container_length) {
    return OutOfRange(MajorName(head.major) + " of " + std::to_string(head.argument) + " entries" +
                      At(start) + " exceeds the limit of " +
                      std::to_string(limits_.max_container_length));
  }
  if ((is_container || head.major == kMajorTag) && stack_.size() >= limits_.max_depth) {
    return OutOfRange("nesting deeper than " + std::to_string(limits_.max_depth) + At(start));
  }
  return Status::Ok();
}

Status Decoder::Step() {
  const size_t start = pos_;
  ++items_;
  CARNET_ASSIGN_OR_RETURN(Head head, ReadHead(in_, start, limits_.require_canonical));
  CARNET_TRY(CheckHeadLimits(head, start));
  if (head.major == kMajorTag) {
    pos_ = start + head.length;
    return Open(Type::kTag, 1, head.argument, start);
  }
  Token token;
  const cbor_decoder_result r =
      cbor_stream_decode(in_.data() + start, in_.size() - start, &kCallbacks, &token);
  if (r.status == CBOR_DECODER_NEDATA) {
    return InvalidArgument("truncated input: " + MajorName(head.major) + At(start) + " needs " +
                           std::to_string(r.required) + " bytes, " +
                           std::to_string(in_.size() - start) + " left");
  }
  if (r.status != CBOR_DECODER_FINISHED) {
    return InvalidArgument("malformed " + MajorName(head.major) + At(start) + " (libcbor status " +
                           std::to_string(r.status) + ")");
  }
  if (!TokenMatchesHead(token, head, r.read)) {
    return Internal("CBOR decoder disagreement on the " + MajorName(head.major) + At(start));
  }
  pos_ = start + r.read;
  if (token.kind == Kind::kArray) return Open(Type::kArray, token.number, 0, start);
  if (token.kind == Kind::kMap) return Open(Type::kMap, token.number, 0, start);
  CARNET_ASSIGN_OR_RETURN(Value leaf, Leaf(token, start));
  return Finish(std::move(leaf), start);
}

Result<Value> Decoder::Leaf(const Token& t, size_t start) const {
  switch (t.kind) {
    case Kind::kUnsigned:
      return Value::Unsigned(t.number);
    case Kind::kNegative:
      return Value::Negative(t.number);
    case Kind::kBytes:
      return Value::ByteString(ByteView(t.data, t.size));
    case Kind::kText: {
      size_t bad = 0;
      if (!IsValidUtf8(ByteView(t.data, t.size), bad)) {
        return InvalidArgument("invalid UTF-8 in the text string" + At(start) + " (byte " +
                               std::to_string(bad) + " of the string)");
      }
      return Value::Text(std::string_view(reinterpret_cast<const char*>(t.data), t.size));
    }
    case Kind::kBool:
      return Value::Bool(t.number != 0);
    case Kind::kNull:
      return Value::Null();
    case Kind::kUndefined:
      return Value::Undefined();
    default:
      return Internal("unexpected CBOR token" + At(start));
  }
}

Status Decoder::Open(Type type, uint64_t count, uint64_t tag, size_t start) {
  if (count == 0) {
    return Finish(type == Type::kMap ? Value::Map({}) : Value::Array({}), start);
  }
  Frame f;
  f.type = type;
  f.start = start;
  f.remaining = type == Type::kMap ? 2 * count : count;
  f.tag = tag;
  f.value = type == Type::kMap ? Value::Map({}) : Value::Array({});
  stack_.push_back(std::move(f));
  return Status::Ok();
}

Status Decoder::AddToMap(Frame& f, Value v, size_t start) {
  if (f.remaining % 2 == 1) {  // a value: its key is pending
    f.value.Insert(std::move(f.key), std::move(v));
    return Status::Ok();
  }
  if (limits_.require_canonical) {
    // Canonical keys are their own canonical encodings: comparing raw bytes both orders the
    // keys (RFC 8949 §4.2.1) and finds duplicates.
    ByteView raw = in_.subspan(start, pos_ - start);
    if (!f.last_key.empty()) {
      const auto cmp = std::lexicographical_compare_three_way(raw.begin(), raw.end(),
                                                              f.last_key.begin(), f.last_key.end());
      if (cmp == 0) return InvalidArgument("duplicate map key" + At(start));
      if (cmp < 0) return InvalidArgument("map keys not in canonical order" + At(start));
    }
    f.last_key = raw;
  } else if (!f.seen_keys.insert(Encode(v)).second) {
    // Two keys with one value (e.g. 1 and 0x18 0x01) are duplicates too: a reader that kept
    // the first and one that kept the last would see different messages.
    return InvalidArgument("duplicate map key" + At(start));
  }
  f.key = std::move(v);
  return Status::Ok();
}

// Attaches a finished item to its parent, closing every container it completes.
Status Decoder::Finish(Value v, size_t start) {
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    if (f.type == Type::kMap) {
      CARNET_TRY(AddToMap(f, std::move(v), start));
    } else if (f.type == Type::kArray) {
      f.value.Append(std::move(v));
    } else {
      f.value = Value::Tag(f.tag, std::move(v));
    }
    if (--f.remaining > 0) return Status::Ok();
    v = std::move(f.value);
    start = f.start;
    stack_.pop_back();
  }
  root_ = std::move(v);
  return Status::Ok();
}

}  // namespace

Result<Value> Decode(ByteView input, const DecodeLimits& limits) {
  return Decoder(input, limits).Run();
}

}  // namespace carnet::crypto::cbor
