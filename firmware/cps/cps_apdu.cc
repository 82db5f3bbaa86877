// APDU builders and holder-data parsers (cps_internal.h).
#include "firmware/cps/cps_internal.h"
#include "hal/base/tlv.h"

namespace carnet::fw::cps::internal {
namespace {

using hal::CommandApdu;

// Printable text of a holder field; control characters make the card's answer malformed.
Result<std::string> Text(ByteView v, std::string_view field) {
  std::string s;
  s.reserve(v.size());
  for (uint8_t c : v) {
    if (c < 0x20 || c == 0x7F) {
      return DataLoss("holder field " + std::string(field) + " holds a control character");
    }
    s.push_back(static_cast<char>(c));
  }
  return s;
}

// The single constructed element `tag` of a holder file, as a list of primitives.
Result<std::vector<Tlv>> Template(ByteView content, uint32_t tag, std::string_view file) {
  auto outer = ParseSingleTlv(content);
  if (!outer.ok() || outer->tag != tag) {
    return DataLoss(std::string(file) + ": not one " + std::to_string(tag) + " template");
  }
  auto items = ParseTlvList(outer->value);
  if (!items.ok()) return DataLoss(std::string(file) + ": " + items.status().message());
  return items;
}

Status Field(const std::vector<Tlv>& items,
             uint32_t tag,
             std::string_view name,
             bool required,
             std::string& out) {
  auto t = FindTlv(items, tag);
  if (!t) {
    if (required) return DataLoss("holder data: " + std::string(name) + " missing");
    return Status();
  }
  CARNET_ASSIGN_OR_RETURN(out, Text(t->value, name));
  return Status();
}

}  // namespace

CommandApdu SelectPath(std::initializer_list<uint16_t> fids, bool want_fcp) {
  Bytes path;
  for (uint16_t f : fids) AppendU16Be(path, f);
  if (want_fcp) return CommandApdu::MakeDataLe(0x00, 0xA4, 0x09, 0x04, path, 256);
  return CommandApdu::MakeData(0x00, 0xA4, 0x09, 0x0C, path);
}

CommandApdu SelectAid(ByteView aid) { return CommandApdu::MakeData(0x00, 0xA4, 0x04, 0x0C, aid); }

CommandApdu ReadBinary(size_t offset, size_t length) {
  return CommandApdu::MakeLe(0x00, 0xB0, static_cast<uint8_t>((offset >> 8) & 0x7F),
                             static_cast<uint8_t>(offset & 0xFF), static_cast<uint32_t>(length));
}

CommandApdu VerifyCmd(ByteView pin_or_empty) {
  if (pin_or_empty.empty()) return CommandApdu::Make(0x00, 0x20, 0x00, kPinRef);
  return CommandApdu::MakeData(0x00, 0x20, 0x00, kPinRef, pin_or_empty);
}

CommandApdu MseSetAtAut() {
  const uint8_t d[] = {0x84, 0x01, kKeyRefAut, 0x80, 0x01, 0x02};
  return CommandApdu::MakeData(0x00, 0x22, 0x41, 0xA4, d);
}

CommandApdu MseSetHtSha256() {
  const uint8_t d[] = {0x80, 0x01, 0x40};
  return CommandApdu::MakeData(0x00, 0x22, 0x41, 0xAA, d);
}

CommandApdu MseSetDstSig() {
  const uint8_t d[] = {0x84, 0x01, kKeyRefSig, 0x80, 0x01, 0x42};
  return CommandApdu::MakeData(0x00, 0x22, 0x41, 0xB6, d);
}

CommandApdu InternalAuthenticate(ByteView digest_info) {
  return CommandApdu::MakeDataLe(0x00, 0x88, 0x00, 0x00, digest_info, 256);
}

CommandApdu PsoHash(ByteView message) {
  const crypto::Sha256Partial partial = crypto::Sha256PartialBlocks(message);
  const ByteView tail = message.subspan(static_cast<size_t>(partial.bytes_hashed));
  Bytes data;
  if (partial.bytes_hashed == 0) {
    AppendTlv(data, 0x90, {});
  } else {
    Bytes pre(partial.state.begin(), partial.state.end());
    AppendU64Be(pre, partial.bytes_hashed * 8);  // the card counts bits (cards.md §1.6 c)
    AppendTlv(data, 0x90, pre);
  }
  AppendTlv(data, 0x80, tail);
  return CommandApdu::MakeData(0x00, 0x2A, 0x90, 0xA0, data);
}

CommandApdu PsoComputeSignature() { return CommandApdu::MakeLe(0x00, 0x2A, 0x9E, 0x9A, 256); }

Result<size_t> FcpFileSize(ByteView fcp) {
  auto outer = ParseSingleTlv(fcp);
  if (!outer.ok() || outer->tag != 0x62) return DataLoss("FCP: not one 62 template");
  auto items = ParseTlvList(outer->value);
  if (!items.ok()) return DataLoss("FCP: " + items.status().message());
  auto size = FindTlv(*items, 0x80);
  if (!size) size = FindTlv(*items, 0x81);
  if (!size || size->value.empty() || size->value.size() > 2) {
    return DataLoss("FCP: no usable file size (tag 80)");
  }
  size_t n = 0;
  for (uint8_t b : size->value) n = (n << 8) | b;
  if (n > kMaxFileSize) return DataLoss("FCP: file size " + std::to_string(n) + " too large");
  return n;
}

Result<std::string> ParseCardNumber(ByteView sn) {
  const uint8_t prefix[] = {0x5A, 0x0A, 0x80, 0x25, 0x00, 0x00, 0x01};
  if (sn.size() != 12 || !std::equal(std::begin(prefix), std::end(prefix), sn.begin())) {
    return DataLoss("EF.SN.ICC is not 5A 0A 8025000001 + 5 BCD bytes");
  }
  std::string digits;
  bool ended = false;
  for (uint8_t b : sn.subspan(7)) {
    for (uint8_t nibble : {static_cast<uint8_t>(b >> 4), static_cast<uint8_t>(b & 0x0F)}) {
      if (nibble == 0x0F) {
        ended = true;
      } else if (nibble > 9 || ended) {
        return DataLoss("EF.SN.ICC: card number is not F-padded BCD");
      } else {
        digits.push_back(static_cast<char>('0' + nibble));
      }
    }
  }
  if (digits.empty()) return DataLoss("EF.SN.ICC: empty card number");
  return digits;
}

Status ParseNamePs(ByteView content, HolderIdentity& out) {
  CARNET_ASSIGN_OR_RETURN(auto items, Template(content, 0xA0, "CPS_NAME_PS"));
  CARNET_TRY(Field(items, 0x80, "card type", false, out.card_type));
  CARNET_TRY(Field(items, 0x81, "id type", false, out.id_type));
  CARNET_TRY(Field(items, 0x82, "idNat", true, out.id_nat));
  CARNET_TRY(Field(items, 0x83, "civility", false, out.civility));
  CARNET_TRY(Field(items, 0x84, "surname", true, out.surname));
  CARNET_TRY(Field(items, 0x85, "given name", false, out.given_name));
  if (out.id_nat.empty()) return DataLoss("holder data: empty idNat");
  return Status();
}

Status ParseInfoPs(ByteView content, HolderIdentity& out) {
  CARNET_ASSIGN_OR_RETURN(auto items, Template(content, 0xA1, "CPS_INFO_PS"));
  CARNET_TRY(Field(items, 0x80, "profession", true, out.profession));
  CARNET_TRY(Field(items, 0x81, "category", false, out.category));
  CARNET_TRY(Field(items, 0x82, "specialty", false, out.specialty));
  return Status();
}

Result<Situation> ParseSituation(ByteView content) {
  CARNET_ASSIGN_OR_RETURN(auto items, Template(content, 0xA2, "situation"));
  Situation s;
  auto index = FindTlv(items, 0x80);
  if (!index || index->value.size() != 1) return DataLoss("situation: index is not 1 byte");
  s.index = index->value[0];
  CARNET_TRY(Field(items, 0x81, "mode", false, s.mode));
  CARNET_TRY(Field(items, 0x82, "sector", false, s.sector));
  CARNET_TRY(Field(items, 0x83, "structure id", false, s.structure_id));
  CARNET_TRY(Field(items, 0x84, "structure name", false, s.structure_name));
  CARNET_TRY(Field(items, 0x85, "billing number", false, s.billing_number));
  CARNET_TRY(Field(items, 0x86, "specialty", false, s.specialty));
  return s;
}

}  // namespace carnet::fw::cps::internal
