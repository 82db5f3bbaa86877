// The CPS3 file system: the IAS volet as seen in real traces (cards.md §1.4) and the PKCS#15
// objects OpenSC's iasecc driver and our firmware discover the keys and certificates through.
#include "hal/base/tlv.h"
#include "tests/cardsim/cps3_card.h"

namespace carnet::cardsim {
namespace {

Bytes Str(const std::string& s) { return Bytes(s.begin(), s.end()); }
Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) Append(out, p);
  return out;
}
Bytes Seq(std::initializer_list<Bytes> parts) { return EncodeTlv(0x30, Cat(parts)); }
Bytes Path(std::initializer_list<uint16_t> fids) {
  Bytes p;
  for (uint16_t f : fids) AppendU16Be(p, f);
  return Seq({EncodeTlv(0x04, p)});
}

// PKCS#15 (ISO 7816-15) object identifiers, as on the real card (cards.md §1.5, I2267).
const Bytes kSigId = {0xE8, 0x28, 0xBD, 0x08, 0x0F, 0x80, 0x25,
                      0x00, 0x00, 0x01, 0xFF, 0x00, 0x10, 0x01};
const Bytes kAutId = {0xE8, 0x28, 0xBD, 0x08, 0x0F, 0x80, 0x25,
                      0x00, 0x00, 0x01, 0xFF, 0x00, 0x10, 0x02};

constexpr uint16_t kPrkdf = 0x6001, kCdf = 0x6002, kAodf = 0x6003;
constexpr uint16_t kCertAut = 0xC001, kCertSig = 0xC002;

Bytes PinObject(const char* label, uint8_t auth_id, uint8_t ref, int len, bool unblocking) {
  // CommonObjectAttributes: label, flags (private, modifiable)
  Bytes common = Seq({EncodeTlv(0x0C, Str(label)), EncodeTlv(0x03, Bytes{0x06, 0xC0})});
  Bytes auth = Seq({EncodeTlv(0x04, Bytes{auth_id})});
  // PinFlags: initialized (bit 4) [+ unblockingPin (bit 6)]
  Bytes flags = unblocking ? Bytes{0x01, 0x0A} : Bytes{0x03, 0x08};
  const auto n = static_cast<uint8_t>(len);
  Bytes attrs = Seq({EncodeTlv(0x03, flags), EncodeTlv(0x0A, Bytes{0x01}),  // pinType ascii-numeric
                     EncodeTlv(0x02, Bytes{n}),                             // minLength
                     EncodeTlv(0x02, Bytes{n}),                             // storedLength
                     EncodeTlv(0x02, Bytes{n}),                             // maxLength
                     EncodeTlv(0x80, Bytes{ref}),                           // pinReference [0]
                     EncodeTlv(0x04, Bytes{0xFF}),  // padChar (never used: exact length)
                     Path({0x3F00})});
  return Seq({common, auth, EncodeTlv(0xA1, attrs)});
}

Bytes RsaKeyObject(const char* label, const Bytes& id, Bytes usage, uint8_t ref) {
  Bytes common = Seq({EncodeTlv(0x0C, Str(label)), EncodeTlv(0x03, Bytes{0x07, 0x80}),
                      EncodeTlv(0x04, Bytes{0x01})});  // authId 01: CHV1
  Bytes key = Seq({EncodeTlv(0x04, id), EncodeTlv(0x03, usage),
                   EncodeTlv(0x03, Bytes{0x03, 0xB8}),  // sensitive, alwaysSens., neverExtr., local
                   EncodeTlv(0x02, Bytes{0x00, ref})});
  Bytes rsa = Seq({Path({0x3F00, 0x0001}), EncodeTlv(0x02, Bytes{0x08, 0x00})});
  return Seq({common, key, EncodeTlv(0xA1, rsa)});
}

Bytes CertObject(const char* label, const Bytes& id, uint16_t fid) {
  Bytes common = Seq({EncodeTlv(0x0C, Str(label))});
  Bytes cert = Seq({EncodeTlv(0x04, id)});
  Bytes x509 = Seq({Path({0x3F00, 0x0001, fid})});
  return Seq({common, cert, EncodeTlv(0xA1, x509)});
}

Bytes SerialBcd(const std::string& digits) {
  // 8025000001 then the card number, BCD, F-padded to 5 bytes (cards.md §1.4 EF.SN.ICC).
  Bytes sn = {0x80, 0x25, 0x00, 0x00, 0x01};
  std::string d = digits.substr(0, 10);
  while (d.size() < 10) d.push_back('F');
  for (size_t i = 0; i < 10; i += 2) {
    auto nib = [](char c) { return static_cast<uint8_t>(c == 'F' ? 0xF : (c - '0') & 0xF); };
    sn.push_back(static_cast<uint8_t>(nib(d[i]) << 4 | nib(d[i + 1])));
  }
  return EncodeTlv(0x5A, sn);
}

Bytes DirRecord(const uint8_t last, const char* label) {
  Bytes aid(std::begin(kCpxIasAid), std::end(kCpxIasAid));
  aid.back() = last;
  return EncodeTlv(0x61, Cat({EncodeTlv(0x4F, aid), EncodeTlv(0x50, Str(label)),
                              EncodeTlv(0x51, Bytes{0x3F, 0x00, 0x00, 0x01})}));
}

// EF.ATR exactly as read on a real CPS3 (cards.md §1.4, OpenSC I2223).
const Bytes kEfAtr = {0x80, 0x43, 0x01, 0xB8, 0x46, 0x04, 0x04, 0xB0, 0xEC, 0xC1, 0x47, 0x03,
                      0x94, 0x01, 0x80, 0x4F, 0x08, 0x80, 0x25, 0x00, 0x00, 0x01, 0xFF, 0x01,
                      0x00, 0xE0, 0x10, 0x02, 0x02, 0x01, 0x04, 0x02, 0x02, 0x01, 0x04, 0x02,
                      0x02, 0x01, 0x00, 0x02, 0x02, 0x01, 0x00, 0x78, 0x08, 0x06, 0x06, 0x2B,
                      0x81, 0x22, 0xF8, 0x78, 0x02, 0x82, 0x02, 0x90, 0x00};

}  // namespace

void Cps3Card::BuildFiles() {
  SimFile& root = mf();
  // The MF is the IAS-ECC root application: its DF name is the AID EF.ATR announces (tag 4F),
  // which OpenSC selects right after reading EF.ATR.
  root.aid = {0x80, 0x25, 0x00, 0x00, 0x01, 0xFF, 0x01, 0x00};
  root.AddEf(0x2F01, kEfAtr);
  root.AddEf(0x2F00, Cat({DirRecord(0x10, "CPX IAS"), DirRecord(0x20, "CPX IAS CL")}),
             ReadCondition::kAlways, 0x1E);
  root.AddEf(0xD003, SerialBcd(config_.card_number), ReadCondition::kAlways, 0x1C);
  // EF_ACTUA (D010) is absent, as on the traced card: SELECT answers 6A82.

  SimFile* app = root.AddDf(0x0001, Bytes(std::begin(kCpxIasAid), std::end(kCpxIasAid)));
  const Cps3Holder& h = config_.holder;
  app->AddEf(0x7001, Cat({EncodeTlv(0x80, Str(h.card_type)), SerialBcd(config_.card_number)}),
             ReadCondition::kContactOnly);
  // Holder data: this project's layout (README.md), the real ASN.1 is not public.
  app->AddEf(
      0xD110,
      EncodeTlv(0xA0,
                Cat({EncodeTlv(0x80, Str(h.card_type)), EncodeTlv(0x81, Str(h.id_nat.substr(0, 1))),
                     EncodeTlv(0x82, Str(h.id_nat)), EncodeTlv(0x83, Str(h.civility)),
                     EncodeTlv(0x84, Str(h.last_name)), EncodeTlv(0x85, Str(h.first_name))})));
  app->AddEf(0xD111, EncodeTlv(0xA1, Cat({EncodeTlv(0x80, Str(h.profession)),
                                          EncodeTlv(0x81, Str(h.category)),
                                          EncodeTlv(0x82, Str(h.specialty))})));
  for (size_t i = 0; i < h.situations.size() && i < 16; ++i) {
    const Situation& s = h.situations[i];
    app->AddEf(
        static_cast<uint16_t>(0xD120 + i),
        EncodeTlv(0xA2,
                  Cat({EncodeTlv(0x80, Bytes{static_cast<uint8_t>(i + 1)}),
                       EncodeTlv(0x81, Str(s.mode)), EncodeTlv(0x82, Str(s.sector)),
                       EncodeTlv(0x83, Str(s.structure_id)), EncodeTlv(0x84, Str(s.structure_name)),
                       EncodeTlv(0x85, Str(s.billing_number)), EncodeTlv(0x86, Str(s.specialty))})),
        ReadCondition::kPin);
  }
  // PKCS#15.
  app->AddEf(0x5031, Cat({EncodeTlv(0xA0, Path({0x3F00, 0x0001, kPrkdf})),
                          EncodeTlv(0xA4, Path({0x3F00, 0x0001, kCdf})),
                          EncodeTlv(0xA8, Path({0x3F00, 0x0001, kAodf}))}));
  Bytes serial = SerialBcd(config_.card_number);
  app->AddEf(0x5032, Seq({EncodeTlv(0x02, Bytes{0x00}),
                          EncodeTlv(0x04, Bytes(serial.begin() + 2, serial.end())),
                          EncodeTlv(0x0C, Str("ASIP Sante (simulated)")),
                          EncodeTlv(0x80, Str("CPS3 " + h.last_name)),
                          EncodeTlv(0x03, Bytes{0x05, 0xA0})}));  // readOnly, prnGeneration
  app->AddEf(kAodf, Cat({PinObject("Code porteur", 0x01, 0x01, 4, false),
                         PinObject("Code de deblocage", 0x02, 0x02, 8, true)}));
  app->AddEf(kPrkdf,
             Cat({RsaKeyObject("CPS_PRIV_AUT", kAutId, Bytes{0x05, 0x60}, kKeyRefAut),
                  RsaKeyObject("CPS_PRIV_SIG", kSigId, Bytes{0x06, 0x00, 0x40}, kKeyRefSig)}));
  app->AddEf(kCdf, Cat({CertObject("CPS_CERT_AUT", kAutId, kCertAut),
                        CertObject("CPS_CERT_SIG", kSigId, kCertSig)}));
  app->AddEf(kCertAut, config_.aut_cert);
  app->AddEf(kCertSig, config_.sig_cert);
}

}  // namespace carnet::cardsim
