// Parsers of the Vitale files (project profile, tests/cardsim/README.md). Everything here is
// data from the card: strict BER-TLV (hal/base/tlv.h), bounded sizes, printable text only.
#include <set>

#include "firmware/vitale/nir.h"
#include "firmware/vitale/vitale_card.h"
#include "hal/base/tlv.h"

namespace carnet::fw::vitale {
namespace {

// One constructed element with `tag` covering the whole file.
Result<ByteView> Template(ByteView file, uint32_t tag, const char* what) {
  auto t = ParseSingleTlv(file);
  if (!t.ok()) return DataLoss(std::string(what) + ": " + t.status().message());
  if (t->tag != tag) return DataLoss(std::string(what) + ": unexpected template tag");
  return t->value;
}

std::string TagName(uint32_t tag) { return HexEncode(Bytes{static_cast<uint8_t>(tag)}); }

bool Printable(ByteView v) {
  for (uint8_t c : v) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// The primitive fields of a template, each tag at most once.
Result<std::vector<Tlv>> Fields(ByteView value, const char* what) {
  auto list = ParseTlvList(value);
  if (!list.ok()) return DataLoss(std::string(what) + ": " + list.status().message());
  std::set<uint32_t> seen;
  for (const Tlv& t : *list) {
    if (!seen.insert(t.tag).second) return DataLoss(std::string(what) + ": duplicate field");
  }
  return list;
}

// Text field `tag`: required or not, 1..max printable ASCII characters.
Result<std::string> Text(
    const std::vector<Tlv>& fields, uint32_t tag, bool required, size_t max, const char* what) {
  auto t = FindTlv(fields, tag);
  if (!t) {
    if (required) return DataLoss(std::string(what) + ": missing field " + TagName(tag));
    return std::string();
  }
  if (t->value.empty() || t->value.size() > max || !Printable(t->value)) {
    return DataLoss(std::string(what) + ": field " + TagName(tag) +
                    " is empty, too long or not printable text");
  }
  return ToString(t->value);
}

bool Digits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<std::vector<PointerEntry>> ParsePointerMap(ByteView file) {
  CARNET_ASSIGN_OR_RETURN(ByteView e0, Template(file, 0xE0, "pointer map (EF 2001)"));
  auto entries = ParseTlvList(e0);
  if (!entries.ok()) return DataLoss("pointer map (EF 2001): " + entries.status().message());
  if (entries->size() > kMaxPointers) return DataLoss("pointer map (EF 2001): too many entries");
  std::vector<PointerEntry> out;
  for (const Tlv& a0 : *entries) {
    if (a0.tag != 0xA0) return DataLoss("pointer map (EF 2001): unexpected entry tag");
    CARNET_ASSIGN_OR_RETURN(auto fields, Fields(a0.value, "pointer map entry"));
    auto name = FindTlv(fields, 0x80);
    auto fid = FindTlv(fields, 0x82);
    if (fields.size() != 2 || !name || !fid || name->value.size() != 8 || fid->value.size() != 2 ||
        !Printable(name->value)) {
      return DataLoss("pointer map (EF 2001): an entry must be 80 (8 characters) + 82 (2 bytes)");
    }
    out.push_back(PointerEntry{ToString(name->value), ReadU16Be(fid->value)});
  }
  return out;
}

Result<VitaleIdentity> ParseIdentity(ByteView file, int rank) {
  const char* what = rank == 0 ? "insured (ASSURE)" : "beneficiary";
  CARNET_ASSIGN_OR_RETURN(ByteView v, Template(file, 0x65, what));
  CARNET_ASSIGN_OR_RETURN(auto fields, Fields(v, what));
  VitaleIdentity id;
  id.rank = rank;
  CARNET_ASSIGN_OR_RETURN(id.nir, Text(fields, 0x93, true, kNirLength, what));
  CARNET_ASSIGN_OR_RETURN(id.surname, Text(fields, 0x80, true, 64, what));
  CARNET_ASSIGN_OR_RETURN(id.given_name, Text(fields, 0x81, true, 64, what));
  CARNET_ASSIGN_OR_RETURN(id.birth_date, Text(fields, 0x82, true, 8, what));
  CARNET_ASSIGN_OR_RETURN(id.nationality, Text(fields, 0x90, false, 3, what));
  CARNET_ASSIGN_OR_RETURN(id.quality, Text(fields, 0x83, false, 2, what));
  if (!Digits(id.birth_date, 8))
    return DataLoss(std::string(what) + ": birth date is not YYYYMMDD");
  Status s = NirKeyCheck(id.nir);
  if (!s.ok()) return s.Annotate(std::string(what) + " " + std::to_string(rank));
  return id;
}

Result<std::string> ParseCardInfo(ByteView file) {
  CARNET_ASSIGN_OR_RETURN(ByteView v, Template(file, 0x66, "card data (CARTE)"));
  CARNET_ASSIGN_OR_RETURN(auto fields, Fields(v, "card data (CARTE)"));
  CARNET_ASSIGN_OR_RETURN(std::string from, Text(fields, 0x80, true, 8, "card data (CARTE)"));
  if (!Digits(from, 8)) return DataLoss("card data (CARTE): start of validity is not YYYYMMDD");
  return from;
}

}  // namespace carnet::fw::vitale
