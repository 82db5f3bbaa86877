#include "tests/cardsim/sim_card.h"

#include "hal/base/tlv.h"

namespace carnet::cardsim {

SimFile* SimFile::AddDf(uint16_t id, Bytes name) {
  auto f = std::make_unique<SimFile>();
  f->fid = id;
  f->is_df = true;
  f->aid = std::move(name);
  f->parent = this;
  children.push_back(std::move(f));
  return children.back().get();
}

SimFile* SimFile::AddEf(uint16_t id, Bytes data, ReadCondition cond, uint8_t short_id) {
  auto f = std::make_unique<SimFile>();
  f->fid = id;
  f->content = std::move(data);
  f->read = cond;
  f->sfi = short_id;
  f->parent = this;
  children.push_back(std::move(f));
  return children.back().get();
}

SimFile* SimFile::Child(uint16_t id) const {
  for (const auto& c : children) {
    if (c->fid == id) return c.get();
  }
  return nullptr;
}

SimCard::SimCard() : mf_(std::make_unique<SimFile>()) {
  mf_->fid = 0x3F00;
  mf_->is_df = true;
  current_df_ = mf_.get();
}

void SimCard::Reset() {
  pending_.clear();
  current_df_ = mf_.get();
  current_ef_ = nullptr;
  OnReset();
}

Bytes SimCard::Process(ByteView command) {
  ++apdu_count_;
  auto parsed = CommandApdu::Parse(command);
  if (!parsed.ok()) {
    pending_.clear();
    return ResponseApdu::Sw(kSwWrongLength).Serialize();
  }
  const CommandApdu& cmd = *parsed;
  if (cmd.cla != 0x00) {
    pending_.clear();
    return ResponseApdu::Sw(kSwClaNotSupported).Serialize();
  }
  if (cmd.ins == 0xC0) return GetResponse(cmd);
  pending_.clear();
  return FinishT0(cmd, Dispatch(cmd));
}

Bytes SimCard::FinishT0(const CommandApdu& cmd, Answer a) {
  if (a.data.empty() || a.sw != kSwOk) return ResponseApdu::Sw(a.sw).Serialize();
  const bool case4 = !cmd.data.empty();
  if (case4 || a.via_get_response) {
    pending_ = std::move(a.data);
    const size_t n = pending_.size() >= 256 ? 0 : pending_.size();
    return ResponseApdu::Sw(static_cast<uint16_t>(0x6100 | n)).Serialize();
  }
  // Case 2: T=0 P3 must be the exact length (P3 = 00 means 256).
  const size_t le = cmd.le.value_or(256);
  if (le != a.data.size()) {
    if (a.data.size() < 256) {
      return ResponseApdu::Sw(static_cast<uint16_t>(0x6C00 | a.data.size())).Serialize();
    }
    if (le < a.data.size()) a.data.resize(le);
  }
  return ResponseApdu{std::move(a.data), kSwOk}.Serialize();
}

Bytes SimCard::GetResponse(const CommandApdu& cmd) {
  if (cmd.p1 != 0 || cmd.p2 != 0) return ResponseApdu::Sw(kSwWrongP1P2).Serialize();
  if (!cmd.data.empty()) return ResponseApdu::Sw(kSwWrongLength).Serialize();
  if (pending_.empty()) return ResponseApdu::Sw(kSwConditionsNotSatisfied).Serialize();
  const size_t le = cmd.le.value_or(256);
  if (le > pending_.size()) {
    return ResponseApdu::Sw(static_cast<uint16_t>(0x6C00 | (pending_.size() & 0xFF))).Serialize();
  }
  ResponseApdu r;
  r.data.assign(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(le));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(le));
  const size_t left = pending_.size();
  r.sw = left == 0 ? kSwOk : static_cast<uint16_t>(0x6100 | (left >= 256 ? 0 : left));
  return r.Serialize();
}

SimFile* SimCard::FindByAid(SimFile& root, ByteView aid) {
  if (!root.aid.empty() && root.aid == Bytes(aid.begin(), aid.end())) return &root;
  for (auto& c : root.children) {
    if (c->is_df) {
      if (SimFile* f = FindByAid(*c, aid)) return f;
    }
  }
  return nullptr;
}

Bytes SimCard::Fcp(const SimFile& f) const {
  // Same shape as the real EF.SN.ICC FCP (cards.md §1.4): size, descriptor, FID, SFI, access
  // rules (IAS-ECC 8C/9C compact form: AM 7B and one SC byte per operation, last = READ) and
  // life-cycle "operational activated" (8A 05).
  Bytes body;
  if (!f.is_df) {
    Bytes size;
    AppendU16Be(size, static_cast<uint16_t>(f.content.size()));
    AppendTlv(body, 0x80, size);
  }
  AppendTlv(body, 0x82, Bytes{static_cast<uint8_t>(f.is_df ? 0x38 : 0x01)});
  Bytes fid;
  AppendU16Be(fid, f.fid);
  AppendTlv(body, 0x83, fid);
  if (!f.aid.empty()) AppendTlv(body, 0x84, f.aid);
  if (f.sfi != 0) AppendTlv(body, 0x88, Bytes{static_cast<uint8_t>(f.sfi << 3)});
  const uint8_t read_sc = f.read == ReadCondition::kPin ? 0x12 : 0x00;
  Bytes acl;
  AppendTlv(acl, 0x8C, Bytes{0x7B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, read_sc});
  AppendTlv(acl, 0x9C, Bytes{0x7B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00});
  AppendTlv(body, 0xA1, acl);
  AppendTlv(body, 0x8A, Bytes{0x05});
  return EncodeTlv(0x62, body);
}

Answer SimCard::SelectResult(SimFile* f, uint8_t p2) {
  if (f == nullptr) return Answer::Sw(kSwFileNotFound);
  if (f->is_df) {
    current_df_ = f;
    current_ef_ = nullptr;
  } else {
    current_df_ = f->parent;
    current_ef_ = f;
  }
  if (p2 == 0x0C) return Answer::Sw(kSwOk);
  return Answer{Fcp(*f), kSwOk, false};
}

Answer SimCard::Select(const CommandApdu& cmd) {
  const uint8_t p2 = cmd.p2;
  if (p2 != 0x0C && p2 != 0x04 && p2 != 0x00) return Answer::Sw(kSwWrongP1P2);
  const ByteView d = cmd.data;
  switch (cmd.p1) {
    case 0x00: {  // MF, or an FID under the current DF (or the current DF's parent)
      if (d.empty() || (d.size() == 2 && ReadU16Be(d) == 0x3F00))
        return SelectResult(mf_.get(), p2);
      if (d.size() != 2) return Answer::Sw(kSwWrongLength);
      SimFile* f = current_df_->Child(ReadU16Be(d));
      return SelectResult(f, p2);
    }
    case 0x01:
    case 0x02: {  // DF / EF under the current DF; the CPx answers 6A86 to P2=00 (cards.md §1.6)
      if (p2 == 0x00) return Answer::Sw(kSwWrongP1P2);
      if (d.size() != 2) return Answer::Sw(kSwWrongLength);
      SimFile* f = current_df_->Child(ReadU16Be(d));
      if (f != nullptr && f->is_df != (cmd.p1 == 0x01)) f = nullptr;
      return SelectResult(f, p2);
    }
    case 0x04: {  // DF name (AID)
      if (p2 == 0x00) return Answer::Sw(kSwWrongP1P2);
      if (d.empty() || d.size() > 16) return Answer::Sw(kSwWrongLength);
      return SelectResult(FindByAid(*mf_, d), p2);
    }
    case 0x08:
    case 0x09: {  // path from the MF, with or without the leading 3F00
      if (d.empty() || d.size() % 2 != 0) return Answer::Sw(kSwWrongLength);
      SimFile* f = mf_.get();
      size_t i = (ReadU16Be(d) == 0x3F00) ? 2 : 0;
      for (; i < d.size() && f != nullptr; i += 2) f = f->Child(ReadU16Be(d.subspan(i)));
      return SelectResult(f, p2);
    }
    default:
      return Answer::Sw(kSwWrongP1P2);
  }
}

Answer SimCard::ReadBinary(const CommandApdu& cmd) {
  if (!cmd.data.empty()) return Answer::Sw(kSwWrongLength);
  SimFile* f = current_ef_;
  size_t offset;
  if (cmd.p1 & 0x80) {  // P1 = 100x xxxx: short EF identifier, P2 = offset
    const uint8_t sfi = cmd.p1 & 0x1F;
    f = nullptr;
    for (const auto& c : current_df_->children) {
      if (!c->is_df && c->sfi == sfi && sfi != 0) f = c.get();
    }
    if (f == nullptr) return Answer::Sw(kSwFileNotFound);
    current_ef_ = f;
    offset = cmd.p2;
  } else {
    offset = (size_t{cmd.p1} << 8) | cmd.p2;
  }
  if (f == nullptr) return Answer::Sw(0x6986);  // no current EF
  if (f->read == ReadCondition::kPin && !PinVerified()) return Answer::Sw(kSwSecurityNotSatisfied);
  if (offset >= f->content.size()) return Answer::Sw(kSwWrongOffset);
  const size_t left = f->content.size() - offset;
  const size_t le = cmd.le.value_or(256);
  const size_t n = le < left ? le : left;
  Answer a;
  a.data.assign(f->content.begin() + static_cast<std::ptrdiff_t>(offset),
                f->content.begin() + static_cast<std::ptrdiff_t>(offset + n));
  return a;
}

}  // namespace carnet::cardsim
