// ECDSA signature encodings for P-256: raw r||s (JOSE/COSE) <-> DER (X.509, TLS).
#include <string>

#include "crypto/core/pk.h"

namespace carnet::crypto {
namespace {

constexpr size_t kScalarSize = 32;

// A minimal positive DER INTEGER for a 32-byte big-endian unsigned value.
void AppendDerInteger(Bytes& out, ByteView value) {
  size_t start = 0;
  while (start + 1 < value.size() && value[start] == 0) ++start;
  const bool pad = (value[start] & 0x80) != 0;  // else it would read as negative
  out.push_back(0x02);
  out.push_back(static_cast<uint8_t>(value.size() - start + (pad ? 1 : 0)));
  if (pad) out.push_back(0x00);
  out.insert(out.end(), value.begin() + static_cast<long>(start), value.end());
}

// Reads one INTEGER and writes it right-aligned into `out` (32 bytes). Strict DER: a
// non-minimal or negative encoding is a different byte string for the same signature, which
// is how signature malleability slips past replay caches keyed on signature bytes.
Status ReadDerInteger(ByteReader& in, MutableByteView out, const char* name) {
  const std::string what = std::string("ECDSA DER ") + name;
  auto tag = in.ReadU8();
  if (!tag.ok() || *tag != 0x02) return InvalidArgument(what + ": expected INTEGER");
  auto len = in.ReadU8();
  if (!len.ok() || *len == 0 || *len > kScalarSize + 1) {
    return InvalidArgument(what + ": bad length");
  }
  auto body = in.Read(*len);
  if (!body.ok()) return InvalidArgument(what + ": truncated");
  ByteView v = *body;
  if ((v[0] & 0x80) != 0) return InvalidArgument(what + ": negative");
  if (v[0] == 0x00 && v.size() > 1) {
    if ((v[1] & 0x80) == 0) return InvalidArgument(what + ": not minimally encoded");
    v = v.subspan(1);
  }
  if (v.size() > kScalarSize) return InvalidArgument(what + ": longer than 32 bytes");
  std::fill(out.begin(), out.end(), uint8_t{0});
  std::copy(v.begin(), v.end(), out.end() - static_cast<long>(v.size()));
  return Status::Ok();
}

}  // namespace

Result<Bytes> EcdsaRawToDer(ByteView raw) {
  if (raw.size() != 2 * kScalarSize) {
    return InvalidArgument("raw ECDSA P-256 signature must be 64 bytes, got " +
                           std::to_string(raw.size()));
  }
  Bytes body;
  AppendDerInteger(body, raw.first(kScalarSize));
  AppendDerInteger(body, raw.subspan(kScalarSize));
  Bytes out{0x30, static_cast<uint8_t>(body.size())};  // at most 70 bytes: short form
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Result<Bytes> EcdsaDerToRaw(ByteView der) {
  ByteReader in(der);
  auto tag = in.ReadU8();
  if (!tag.ok() || *tag != 0x30) return InvalidArgument("ECDSA DER: expected SEQUENCE");
  auto len = in.ReadU8();
  // Two INTEGERs of at most 35 bytes each fit a short-form length; long form is non-minimal.
  if (!len.ok() || (*len & 0x80) != 0) return InvalidArgument("ECDSA DER: bad SEQUENCE length");
  if (*len != in.remaining()) {
    return InvalidArgument(
        "ECDSA DER: SEQUENCE length does not match the input (truncated or "
        "trailing bytes)");
  }
  Bytes raw(2 * kScalarSize);
  CARNET_TRY(ReadDerInteger(in, MutableByteView(raw).first(kScalarSize), "r"));
  CARNET_TRY(ReadDerInteger(in, MutableByteView(raw).subspan(kScalarSize), "s"));
  if (!in.empty()) return InvalidArgument("ECDSA DER: trailing bytes inside the SEQUENCE");
  return raw;
}

}  // namespace carnet::crypto
