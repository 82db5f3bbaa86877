#include "tests/cardsim/vitale_card.h"

#include "hal/base/tlv.h"

namespace carnet::cardsim {
namespace {
Bytes Str(const std::string& s) { return Bytes(s.begin(), s.end()); }

// One pointer-map entry: A0 { 80 name(8) 82 EF id }.
void AppendPointer(Bytes& out, const char* name, uint16_t fid) {
  Bytes e;
  AppendTlv(e, 0x80, Str(name));
  Bytes id;
  AppendU16Be(id, fid);
  AppendTlv(e, 0x82, id);
  AppendTlv(out, 0xA0, e);
}

Bytes BeneficiaryTlv(const Beneficiary& b) {
  Bytes v;
  AppendTlv(v, 0x90, Str(b.nationality));
  AppendTlv(v, 0x93, Str(b.nir));
  AppendTlv(v, 0x80, Str(b.last_name));
  AppendTlv(v, 0x81, Str(b.first_name));
  AppendTlv(v, 0x82, Str(b.birth_date));
  AppendTlv(v, 0x83, Str(b.quality));
  return EncodeTlv(0x65, v);
}
}  // namespace

VitaleCard::VitaleCard(VitaleConfig config, Random& rng) : config_(std::move(config)), rng_(rng) {
  BuildFiles();
}

void VitaleCard::BuildFiles() {
  SimFile& root = mf();
  Bytes dir;
  AppendTlv(dir, 0x61, EncodeTlv(0x4F, Bytes(std::begin(kVitaleAid), std::end(kVitaleAid))));
  AppendTlv(dir, 0x61, EncodeTlv(0x4F, Bytes(std::begin(kMfVitaleAid), std::end(kMfVitaleAid))));
  root.AddEf(0x2F00, dir);
  SimFile* app = root.AddDf(0x2000, Bytes(std::begin(kVitaleAid), std::end(kVitaleAid)));
  Bytes map;
  AppendPointer(map, "CARTE   ", 0x2002);
  AppendPointer(map, "ASSURE  ", 0x2004);
  const size_t n = config_.beneficiaries.size() < 16 ? config_.beneficiaries.size() : 16;
  for (size_t i = 1; i < n; ++i) {
    std::string name = "BENEF" + std::to_string(i);
    name.resize(8, ' ');
    AppendPointer(map, name.c_str(), static_cast<uint16_t>(0x2004 + i));
  }
  AppendPointer(map, "CVCERTIF", 0x2010);
  app->AddEf(0x2001, EncodeTlv(0xE0, map));
  app->AddEf(0x2002, EncodeTlv(0x66, EncodeTlv(0x80, Str(config_.card_valid_from))));
  for (size_t i = 0; i < n; ++i) {
    app->AddEf(static_cast<uint16_t>(0x2004 + i), BeneficiaryTlv(config_.beneficiaries[i]));
  }
  if (!config_.cvc.empty()) app->AddEf(0x2010, config_.cvc);
  root.AddDf(0x2100, Bytes(std::begin(kMfVitaleAid), std::end(kMfVitaleAid)));
}

Answer VitaleCard::Dispatch(const CommandApdu& cmd) {
  switch (cmd.ins) {
    case 0xA4:
      return Select(cmd);
    case 0xB0:
      return ReadBinary(cmd);
    case 0x88:
      return InternalAuthenticate(cmd);
    default:
      return Answer::Sw(kSwInsNotSupported);
  }
}

Answer VitaleCard::InternalAuthenticate(const CommandApdu& cmd) {
  // 00 88 00 00 Lc <challenge 8..64> 00 -> 64-byte ECDSA P-256 SHA-256 signature r||s.
  if (cmd.p1 != 0 || cmd.p2 != 0) return Answer::Sw(kSwWrongP1P2);
  if (cmd.data.size() < 8 || cmd.data.size() > 64) return Answer::Sw(kSwWrongLength);
  if (!config_.card_key) return Answer::Sw(kSwDataNotFound);
  auto sig = config_.card_key->Sign(crypto::SignatureScheme::kEs256, cmd.data, rng_);
  if (!sig.ok()) return Answer::Sw(0x6F00);
  return Answer{std::move(*sig), kSwOk, true};
}

}  // namespace carnet::cardsim
