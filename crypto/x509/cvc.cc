#include "crypto/x509/cvc.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "crypto/x509/der.h"
#include "hal/base/tlv.h"

namespace carnet::crypto {
namespace {

constexpr uint32_t kTagCvc = 0x7F21;
constexpr uint32_t kTagBody = 0x7F4E;
constexpr uint32_t kTagProfile = 0x5F29;
constexpr uint32_t kTagCar = 0x42;
constexpr uint32_t kTagPublicKey = 0x7F49;
constexpr uint32_t kTagPoint = 0x86;
constexpr uint32_t kTagChr = 0x5F20;
constexpr uint32_t kTagEffective = 0x5F25;
constexpr uint32_t kTagExpiry = 0x5F24;
constexpr uint32_t kTagSignature = 0x5F37;
constexpr size_t kMaxReference = 16;
constexpr size_t kPointSize = 65;
constexpr size_t kSignatureSize = 64;

// The CVC is stricter than BER-TLV: tags of at most 2 bytes, at most 2 length bytes, no
// padding bytes, and never more than kMaxCvcBytes in all. hal/base/tlv.h enforces the rest
// (shortest forms, definite lengths, nothing past the end of the parent).
constexpr TlvLimits kCvcTlv = {.max_value_length = kMaxCvcBytes,
                               .max_tag_bytes = 2,
                               .max_length_bytes = 2,
                               .reject_padding_tags = true};

std::string TagName(uint32_t tag) {
  char buf[8];
  std::snprintf(buf, sizeof buf, tag > 0xFF ? "%04X" : "%02X", static_cast<unsigned>(tag));
  return buf;
}

// One TLV read from the front of `in`, which it advances; `whole` keeps the element's own bytes
// (tag and length included) because the signature covers the body exactly as received.
struct Element {
  Tlv tlv;
  ByteView whole;
};

Result<Element> ReadElement(ByteView& in) {
  const ByteView before = in;
  auto t = ReadTlv(in, kCvcTlv);
  if (!t.ok()) return t.status().Annotate("CVC");
  return Element{*t, before.first(before.size() - in.size())};
}

// All TLVs of `in`, which they must fill exactly; `expected` gives the only tags allowed, in
// their required order, each exactly once.
Result<std::vector<Element>> ReadChildren(ByteView in, std::initializer_list<uint32_t> expected) {
  std::vector<Element> items;
  while (!in.empty()) {
    CARNET_ASSIGN_OR_RETURN(Element e, ReadElement(in));
    const uint32_t tag = e.tlv.tag;
    for (const Element& seen : items) {
      if (seen.tlv.tag == tag) return InvalidArgument("CVC: duplicate tag " + TagName(tag));
    }
    if (std::find(expected.begin(), expected.end(), tag) == expected.end()) {
      return InvalidArgument("CVC: unexpected tag " + TagName(tag));
    }
    items.push_back(e);
  }
  for (uint32_t tag : expected) {
    auto is_tag = [tag](const Element& e) { return e.tlv.tag == tag; };
    if (std::none_of(items.begin(), items.end(), is_tag)) {
      return InvalidArgument("CVC: missing tag " + TagName(tag));
    }
  }
  // Every expected tag is present exactly once and nothing else is: same size, so the order
  // can be compared position by position.
  size_t i = 0;
  for (uint32_t tag : expected) {
    if (items[i].tlv.tag != tag) {
      return InvalidArgument("CVC: tag " + TagName(items[i].tlv.tag) + " out of order");
    }
    ++i;
  }
  return items;
}

bool IsPrintableReference(std::string_view s) {
  if (s.empty() || s.size() > kMaxReference) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

bool IsValidDate(const CvDate& d) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year < 2000 || d.year > 2099 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  bool leap = d.year % 4 == 0;  // exact for 2000..2099
  int days = d.month == 2 && !leap ? 28 : kDays[d.month - 1];
  return d.day <= days;
}

Bytes EncodeDate(const CvDate& d) {
  int yy = d.year % 100;
  return Bytes{uint8_t(yy / 10),      uint8_t(yy % 10),    uint8_t(d.month / 10),
               uint8_t(d.month % 10), uint8_t(d.day / 10), uint8_t(d.day % 10)};
}

Result<CvDate> DecodeDate(ByteView v) {
  if (v.size() != 6) return InvalidArgument("CVC: date must be 6 digits");
  for (uint8_t b : v) {
    if (b > 9) return InvalidArgument("CVC: date digit out of range");
  }
  CvDate d{2000 + v[0] * 10 + v[1], v[2] * 10 + v[3], v[4] * 10 + v[5]};
  if (!IsValidDate(d)) return InvalidArgument("CVC: impossible date");
  return d;
}

int DateKey(const CvDate& d) { return d.year * 10000 + d.month * 100 + d.day; }

Status CheckFields(const CvcFields& f) {
  if (!IsPrintableReference(f.car)) return InvalidArgument("CVC: CAR must be 1..16 printable");
  if (!IsPrintableReference(f.chr)) return InvalidArgument("CVC: CHR must be 1..16 printable");
  if (f.public_point.size() != kPointSize || f.public_point[0] != 0x04) {
    return InvalidArgument("CVC: public key must be an uncompressed P-256 point");
  }
  if (!IsValidDate(f.effective) || !IsValidDate(f.expiry)) {
    return InvalidArgument("CVC: dates must be valid days in 2000..2099");
  }
  if (DateKey(f.expiry) < DateKey(f.effective)) return InvalidArgument("CVC: expiry before start");
  return Status::Ok();
}

Result<CvcFields> DecodeBody(ByteView body_value) {
  CARNET_ASSIGN_OR_RETURN(auto items,
                          ReadChildren(body_value, {kTagProfile, kTagCar, kTagPublicKey, kTagChr,
                                                    kTagEffective, kTagExpiry}));
  CvcFields f;
  if (items[0].tlv.value.size() != 1) return InvalidArgument("CVC: profile id must be one byte");
  f.profile_id = items[0].tlv.value[0];
  if (f.profile_id != 0) return InvalidArgument("CVC: unknown profile id");
  f.car = ToString(items[1].tlv.value);
  CARNET_ASSIGN_OR_RETURN(auto key_items, ReadChildren(items[2].tlv.value, {kTagPoint}));
  f.public_point.assign(key_items[0].tlv.value.begin(), key_items[0].tlv.value.end());
  f.chr = ToString(items[3].tlv.value);
  CARNET_ASSIGN_OR_RETURN(f.effective, DecodeDate(items[4].tlv.value));
  CARNET_ASSIGN_OR_RETURN(f.expiry, DecodeDate(items[5].tlv.value));
  CARNET_TRY(CheckFields(f));
  return f;
}

}  // namespace

CvDate CvDateFromMillis(UnixMillis t) {
  std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return CvDate{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

Result<Bytes> EncodeCvc(const CvcFields& f, const PrivateKey& ca_key, Random& rng) {
  CARNET_TRY(CheckFields(f));
  if (f.profile_id != 0) return InvalidArgument("CVC: only profile 0 is defined");
  if (ca_key.type() != KeyType::kEcP256) return InvalidArgument("CVC: the CA key must be P-256");
  const uint8_t profile = f.profile_id;
  Bytes body = EncodeTlv(
      kTagBody,
      der::Concat(
          {EncodeTlv(kTagProfile, ByteView(&profile, 1)), EncodeTlv(kTagCar, AsBytes(f.car)),
           EncodeTlv(kTagPublicKey, EncodeTlv(kTagPoint, f.public_point)),
           EncodeTlv(kTagChr, AsBytes(f.chr)), EncodeTlv(kTagEffective, EncodeDate(f.effective)),
           EncodeTlv(kTagExpiry, EncodeDate(f.expiry))}));
  CARNET_ASSIGN_OR_RETURN(Bytes sig, ca_key.Sign(SignatureScheme::kEs256, body, rng));
  Bytes out = EncodeTlv(kTagCvc, der::Concat({body, EncodeTlv(kTagSignature, sig)}));
  if (out.size() > kMaxCvcBytes) return InvalidArgument("CVC: encoding too large");
  return out;
}

Result<CvCertificate> DecodeCvc(ByteView in) {
  if (in.size() > kMaxCvcBytes) return OutOfRange("CVC: larger than 512 bytes");
  ByteView rest = in;
  CARNET_ASSIGN_OR_RETURN(Element outer, ReadElement(rest));
  if (outer.tlv.tag != kTagCvc) return InvalidArgument("CVC: outer tag is not 7F21");
  if (!rest.empty()) return InvalidArgument("CVC: trailing bytes");
  CARNET_ASSIGN_OR_RETURN(auto items, ReadChildren(outer.tlv.value, {kTagBody, kTagSignature}));
  CvCertificate cvc;
  CARNET_ASSIGN_OR_RETURN(cvc.fields, DecodeBody(items[0].tlv.value));
  cvc.body.assign(items[0].whole.begin(), items[0].whole.end());
  if (items[1].tlv.value.size() != kSignatureSize) {
    return InvalidArgument("CVC: signature must be 64 bytes (r||s)");
  }
  cvc.signature.assign(items[1].tlv.value.begin(), items[1].tlv.value.end());
  return cvc;
}

Result<PublicKey> CvcPublicKey(const CvCertificate& cvc) {
  // SubjectPublicKeyInfo { { id-ecPublicKey, prime256v1 }, BIT STRING point }.
  static constexpr std::string_view kEcPublicKey = "\x2A\x86\x48\xCE\x3D\x02\x01";
  static constexpr std::string_view kPrime256v1 = "\x2A\x86\x48\xCE\x3D\x03\x01\x07";
  Bytes spki = der::Sequence({der::Sequence({der::Oid(kEcPublicKey), der::Oid(kPrime256v1)}),
                              der::BitString(cvc.fields.public_point)});
  auto key = PublicKey::FromDer(spki);
  if (!key.ok()) return key.status().Annotate("CVC public key");
  return key;
}

Status VerifyCvc(const CvCertificate& cvc,
                 const PublicKey& ca_key,
                 std::string_view expected_car,
                 UnixMillis now) {
  if (cvc.fields.car != expected_car) {
    return Unauthenticated("CVC: issued by '" + cvc.fields.car + "', expected '" +
                           std::string(expected_car) + "'");
  }
  // A forged card would carry a CVC with its own key; only the CA's signature binds the
  // holder reference (the NIR) to the card key.
  Status sig = ca_key.Verify(SignatureScheme::kEs256, cvc.body, cvc.signature);
  if (!sig.ok()) return Unauthenticated("CVC: signature does not verify: " + sig.message());
  const int today = DateKey(CvDateFromMillis(now));
  if (today < DateKey(cvc.fields.effective)) return Unauthenticated("CVC: not yet valid");
  if (today > DateKey(cvc.fields.expiry)) return Unauthenticated("CVC: expired");
  return Status::Ok();
}

}  // namespace carnet::crypto
