#include "tests/cardsim/cps3_card.h"

#include "hal/base/tlv.h"

namespace carnet::cardsim {
namespace {
uint16_t TriesSw(int left) { return static_cast<uint16_t>(0x63C0 | (left & 0x0F)); }
bool AllDigits(ByteView b) {
  for (uint8_t c : b) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
}  // namespace

Cps3Card::Cps3Card(Cps3Config config, Random& rng)
    : config_(std::move(config)),
      rng_(rng),
      pin_(AsBytes(config_.pin)),
      puk_(AsBytes(config_.puk)) {
  // The PIN text is only needed once, as SecretBytes; do not keep a std::string copy around.
  crypto::Zeroize(
      MutableByteView(reinterpret_cast<uint8_t*>(config_.pin.data()), config_.pin.size()));
  crypto::Zeroize(
      MutableByteView(reinterpret_cast<uint8_t*>(config_.puk.data()), config_.puk.size()));
  config_.pin.clear();
  config_.puk.clear();
  BuildFiles();
}

void Cps3Card::OnReset() {
  pin_verified_ = false;
  at_key_ = 0;
  dst_key_ = 0;
  ht_sha256_ = false;
  hash_.reset();
}

Answer Cps3Card::Dispatch(const CommandApdu& cmd) {
  switch (cmd.ins) {
    case 0xA4:
      return Select(cmd);
    case 0xB0:
      return ReadBinary(cmd);
    case 0x20:
      return Verify(cmd);
    case 0x2C:
      return ResetRetryCounter(cmd);
    case 0x24:
      return ChangeReferenceData(cmd);
    case 0xCB:
      return GetData(cmd);
    case 0x84:
      return GetChallenge(cmd);
    case 0x22:
      return ManageSecurityEnvironment(cmd);
    case 0x88:
      return InternalAuthenticate(cmd);
    case 0x2A:
      return Pso(cmd);
    default:
      return Answer::Sw(kSwInsNotSupported);
  }
}

uint16_t Cps3Card::CheckSecret(int ref, ByteView candidate) {
  int& tries = ref == 1 ? pin_tries_ : puk_tries_;
  const crypto::SecretBytes& secret = ref == 1 ? pin_ : puk_;
  if (tries == 0) return kSwAuthBlocked;
  if (candidate.size() != secret.size() || !AllDigits(candidate)) {
    return kSwWrongLength;  // refused before comparing: no try consumed
  }
  if (!crypto::ConstantTimeEqual(candidate, secret.view())) {
    --tries;
    if (ref == 1) pin_verified_ = false;
    return TriesSw(tries);
  }
  tries = ref == 1 ? kPinTriesMax : kPukTriesMax;
  return kSwOk;
}

Answer Cps3Card::Verify(const CommandApdu& cmd) {
  if (cmd.p1 != 0x00 || (cmd.p2 != 0x01 && cmd.p2 != 0x02)) return Answer::Sw(kSwWrongP1P2);
  const int ref = cmd.p2;
  if (cmd.data.empty()) {  // ISO 7816-4: ask for the state without presenting the PIN
    const int tries = ref == 1 ? pin_tries_ : puk_tries_;
    if (tries == 0) return Answer::Sw(kSwAuthBlocked);
    if (ref == 1 && pin_verified_) return Answer::Sw(kSwOk);
    return Answer::Sw(TriesSw(tries));
  }
  const uint16_t sw = CheckSecret(ref, cmd.data);
  if (sw == kSwOk && ref == 1) pin_verified_ = true;
  return Answer::Sw(sw);
}

Answer Cps3Card::ResetRetryCounter(const CommandApdu& cmd) {
  // P1 00: data = PUK || new PIN; P1 01: data = PUK (unblock, PIN unchanged). P2 = PIN ref 1.
  if ((cmd.p1 != 0x00 && cmd.p1 != 0x01) || cmd.p2 != 0x01) return Answer::Sw(kSwWrongP1P2);
  const size_t puk_len = puk_.size();
  const size_t want = cmd.p1 == 0x00 ? puk_len + pin_.size() : puk_len;
  if (cmd.data.size() != want) return Answer::Sw(kSwWrongLength);
  if (puk_uses_ == 0) return Answer::Sw(kSwAuthBlocked);
  const ByteView d = cmd.data;
  const uint16_t sw = CheckSecret(2, d.subspan(0, puk_len));
  if (sw != kSwOk) return Answer::Sw(sw);
  if (cmd.p1 == 0x00) {
    if (!AllDigits(d.subspan(puk_len))) return Answer::Sw(kSwWrongData);
    pin_ = crypto::SecretBytes(d.subspan(puk_len));
  }
  --puk_uses_;
  pin_tries_ = kPinTriesMax;
  pin_verified_ = false;
  return Answer::Sw(kSwOk);
}

Answer Cps3Card::ChangeReferenceData(const CommandApdu& cmd) {
  if (cmd.p1 != 0x00 || cmd.p2 != 0x01) return Answer::Sw(kSwWrongP1P2);
  if (cmd.data.size() != 2 * pin_.size()) return Answer::Sw(kSwWrongLength);
  const ByteView d = cmd.data;
  const uint16_t sw = CheckSecret(1, d.subspan(0, pin_.size()));
  if (sw != kSwOk) return Answer::Sw(sw);
  if (!AllDigits(d.subspan(pin_.size()))) return Answer::Sw(kSwWrongData);
  pin_ = crypto::SecretBytes(d.subspan(pin_.size()));
  pin_verified_ = true;
  return Answer::Sw(kSwOk);
}

Answer Cps3Card::GetData(const CommandApdu& cmd) {
  // 00 CB 3F FF Lc 4D <L> 70 <L> BF 81 0r 02 A0 80: the CHV SDO r (cards.md §1.5).
  if (cmd.p1 != 0x3F || cmd.p2 != 0xFF) return Answer::Sw(kSwWrongP1P2);
  auto outer = ParseSingleTlv(cmd.data);
  if (!outer.ok() || outer->tag != 0x4D) return Answer::Sw(kSwWrongData);
  auto tmpl = ParseSingleTlv(outer->value);
  if (!tmpl.ok() || tmpl->tag != 0x70) return Answer::Sw(kSwWrongData);
  auto sdo = ParseSingleTlv(tmpl->value);
  if (!sdo.ok()) return Answer::Sw(kSwWrongData);
  if (sdo->tag != 0xBF8101 && sdo->tag != 0xBF8102) {
    // SE and key SDOs are not published by this simulator: 6A88 is what optional SDOs get
    // on real IAS-ECC cards too (cards.md §6.9); terminals must not require them.
    return Answer::Sw(kSwDataNotFound);
  }
  const bool pin = sdo->tag == 0xBF8101;
  Bytes a0;
  AppendTlv(a0, 0x9A, Bytes{static_cast<uint8_t>(pin ? kPinTriesMax : kPukTriesMax)});
  AppendTlv(a0, 0x9B, Bytes{static_cast<uint8_t>(pin ? pin_tries_ : puk_tries_)});
  if (!pin) {
    AppendTlv(a0, 0x9C, Bytes{0x00, 0x64});
    AppendTlv(a0, 0x9D, Bytes{0x00, static_cast<uint8_t>(puk_uses_)});
  }
  // The ACL template A1 sits inside A0, exactly as in the trace.
  AppendTlv(a0, 0xA1, EncodeTlv(0x8C, Bytes{0xF3, 0x00, 0x00, 0x13, 0xFF, 0x00}));
  Bytes sdo_out = EncodeTlv(sdo->tag, EncodeTlv(0xA0, a0));
  return Answer{EncodeTlv(0x70, sdo_out), kSwOk, false};
}

Answer Cps3Card::GetChallenge(const CommandApdu& cmd) {
  if (cmd.p1 != 0 || cmd.p2 != 0 || !cmd.data.empty()) return Answer::Sw(kSwWrongP1P2);
  const size_t n = cmd.le.value_or(8);
  if (n > 256) return Answer::Sw(kSwWrongLength);
  auto bytes = rng_.Generate(n);
  if (!bytes.ok()) return Answer::Sw(0x6F00);
  return Answer{std::move(*bytes), kSwOk, false};
}

Answer Cps3Card::ManageSecurityEnvironment(const CommandApdu& cmd) {
  // P1 41 = SET for computation; P2 = CRT: A4 AT, AA HT, B6 DST, B8 CT.
  if (cmd.p1 != 0x41) return Answer::Sw(kSwWrongP1P2);
  auto items = ParseTlvList(cmd.data);
  if (!items.ok()) return Answer::Sw(kSwWrongData);
  auto key = FindTlv(*items, 0x84);
  auto alg = FindTlv(*items, 0x80);
  const uint8_t key_ref = key && key->value.size() == 1 ? key->value[0] : 0;
  const uint8_t alg_ref = alg && alg->value.size() == 1 ? alg->value[0] : 0;
  switch (cmd.p2) {
    case 0xA4:  // AT: the AUT key, RSA PKCS#1 (02)
      if (key_ref != kKeyRefAut) return Answer::Sw(kSwDataNotFound);
      if (alg && alg_ref != 0x02) return Answer::Sw(kSwWrongData);
      at_key_ = key_ref;
      return Answer::Sw(kSwOk);
    case 0xAA:  // HT: SHA-256 (40) only
      if (alg_ref != 0x40) return Answer::Sw(kSwWrongData);
      ht_sha256_ = true;
      hash_.reset();
      return Answer::Sw(kSwOk);
    case 0xB6:  // DST: the SIG key, RSA PKCS#1 with SHA-256 (42)
      if (key_ref != kKeyRefSig) return Answer::Sw(kSwDataNotFound);
      if (alg && alg_ref != 0x42) return Answer::Sw(kSwWrongData);
      dst_key_ = key_ref;
      hash_.reset();
      return Answer::Sw(kSwOk);
    default:
      return Answer::Sw(kSwWrongP1P2);
  }
}

Answer Cps3Card::InternalAuthenticate(const CommandApdu& cmd) {
  if (cmd.p1 != 0 || cmd.p2 != 0) return Answer::Sw(kSwWrongP1P2);
  if (!pin_verified_) return Answer::Sw(kSwSecurityNotSatisfied);
  if (at_key_ != kKeyRefAut) return Answer::Sw(kSwConditionsNotSatisfied);
  if (!config_.aut_key) return Answer::Sw(kSwDataNotFound);
  // Input at most 40 % of the modulus (cards.md §1.6 d): 102 bytes for RSA-2048.
  if (cmd.data.empty() || cmd.data.size() > 102) return Answer::Sw(kSwWrongLength);
  auto sig = config_.aut_key->RsaSignPkcs1Raw(cmd.data, rng_);
  if (!sig.ok()) return Answer::Sw(0x6F00);
  return Answer{std::move(*sig), kSwOk, true};
}

Answer Cps3Card::Pso(const CommandApdu& cmd) {
  if (cmd.p1 == 0x90 && cmd.p2 == 0xA0) return PsoHash(cmd);
  if (cmd.p1 == 0x9E && cmd.p2 == 0x9A) {
    if (!cmd.data.empty()) return Answer::Sw(kSwWrongLength);
    return PsoSign();
  }
  return Answer::Sw(kSwWrongP1P2);
}

Answer Cps3Card::PsoHash(const CommandApdu& cmd) {
  // 90 <0 | 32+8: intermediate state || bit counter> 80 <tail ≤ 64>  (cards.md §1.6 c), or
  // 90 20 <final hash> with no 80 (hash computed outside).
  if (!ht_sha256_) return Answer::Sw(kSwConditionsNotSatisfied);
  auto items = ParseTlvList(cmd.data);
  if (!items.ok()) return Answer::Sw(kSwWrongData);
  auto pre = FindTlv(*items, 0x90);
  auto tail = FindTlv(*items, 0x80);
  if (!pre) return Answer::Sw(kSwWrongData);
  if (!tail) {
    if (pre->value.size() != 32) return Answer::Sw(kSwWrongData);
    crypto::Sha256Digest d;
    std::copy(pre->value.begin(), pre->value.end(), d.begin());
    hash_ = d;
    return Answer::Sw(kSwOk);
  }
  if (pre->value.empty()) {
    hash_ = crypto::Sha256(tail->value);
    return Answer::Sw(kSwOk);
  }
  if (pre->value.size() != 40 || tail->value.size() > 64) return Answer::Sw(kSwWrongData);
  crypto::Sha256Partial partial;
  std::copy(pre->value.begin(), pre->value.begin() + 32, partial.state.begin());
  const uint64_t bits = ReadU64Be(pre->value.subspan(32));
  if (bits % 512 != 0) return Answer::Sw(kSwWrongData);
  partial.bytes_hashed = bits / 8;
  hash_ = crypto::Sha256FinishFromPartial(partial, tail->value);
  return Answer::Sw(kSwOk);
}

Answer Cps3Card::PsoSign() {
  if (!pin_verified_) return Answer::Sw(kSwSecurityNotSatisfied);
  if (dst_key_ != kKeyRefSig || !hash_) return Answer::Sw(kSwConditionsNotSatisfied);
  if (!config_.sig_key) return Answer::Sw(kSwDataNotFound);
  auto sig = config_.sig_key->RsaSignPkcs1Raw(crypto::Sha256DigestInfo(*hash_), rng_);
  hash_.reset();  // one hash, one signature
  if (!sig.ok()) return Answer::Sw(0x6F00);
  return Answer{std::move(*sig), kSwOk, true};
}

}  // namespace carnet::cardsim
