#pragma once
// SimCard: the pure APDU engine of the card simulator (no sockets, no threads): bytes of one
// C-APDU in, bytes of one R-APDU out. Profiles (Cps3Card, VitaleCard) derive from it.
//
// This base holds what every profile shares:
//   - it ALWAYS answers with at least SW1 SW2 — vpcd has no timeout, so silence would hang the
//     reader thread of pcscd: a malformed APDU gets 67 00, an unknown CLA 6E 00, INS 6D 00;
//   - T=0 behaviour: a command that sent data and returns data (case 4) answers 61 xx and the
//     data waits for GET RESPONSE (00 C0 00 00 xx; 61 yy again while more remains; 6C xx when
//     the Le asked for is larger than what is left); a case-2 command whose Le is not the
//     exact response length answers 6C xx (cards.md §1.6, §1.7, §6.6);
//   - a small ISO 7816-4 file system: SELECT (by FID, DF name, path) and READ BINARY,
//     with FCP templates and a read condition per file.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/card/apdu.h"

namespace carnet::cardsim {

using hal::CommandApdu;
using hal::ResponseApdu;

// Status words the simulator uses (ISO 7816-4 §5.1.3; cards.md §1.7).
inline constexpr uint16_t kSwOk = 0x9000;
inline constexpr uint16_t kSwWrongLength = 0x6700;
inline constexpr uint16_t kSwSecurityNotSatisfied = 0x6982;
inline constexpr uint16_t kSwAuthBlocked = 0x6983;
inline constexpr uint16_t kSwConditionsNotSatisfied = 0x6985;
inline constexpr uint16_t kSwWrongData = 0x6A80;
inline constexpr uint16_t kSwFileNotFound = 0x6A82;
inline constexpr uint16_t kSwWrongP1P2 = 0x6A86;
inline constexpr uint16_t kSwDataNotFound = 0x6A88;
inline constexpr uint16_t kSwWrongOffset = 0x6B00;
inline constexpr uint16_t kSwInsNotSupported = 0x6D00;
inline constexpr uint16_t kSwClaNotSupported = 0x6E00;

// A profile's answer before the T=0 layer: data + SW, and whether the real card delivers it
// through 61 xx even for a case-2 command (PSO CDS does on the CPS3, cards.md §1.6 c).
struct Answer {
  Bytes data;
  uint16_t sw = kSwOk;
  bool via_get_response = false;
  static Answer Sw(uint16_t sw) { return Answer{{}, sw, false}; }
};

enum class ReadCondition { kAlways, kPin, kContactOnly };

struct SimFile {
  uint16_t fid = 0;
  bool is_df = false;
  Bytes aid;  // DF name, if any
  uint8_t sfi = 0;
  Bytes content;
  ReadCondition read = ReadCondition::kAlways;
  SimFile* parent = nullptr;
  std::vector<std::unique_ptr<SimFile>> children;

  SimFile* AddDf(uint16_t id, Bytes name = {});
  SimFile* AddEf(uint16_t id,
                 Bytes data,
                 ReadCondition cond = ReadCondition::kAlways,
                 uint8_t short_id = 0);
  SimFile* Child(uint16_t id) const;
};

class SimCard {
 public:
  virtual ~SimCard() = default;
  SimCard(const SimCard&) = delete;
  SimCard& operator=(const SimCard&) = delete;

  virtual Bytes Atr() const = 0;
  // Power-on or warm reset: volatile state (verified PIN, security environment, current DF,
  // pending GET RESPONSE data) is lost, as on a real card.
  void Reset();
  // One exchange. Never returns fewer than 2 bytes.
  Bytes Process(ByteView command);

  uint64_t apdu_count() const { return apdu_count_; }

 protected:
  SimCard();
  virtual Answer Dispatch(const CommandApdu& cmd) = 0;
  virtual void OnReset() {}
  // Whether the holder PIN is currently verified (for ReadCondition::kPin).
  virtual bool PinVerified() const { return false; }

  SimFile& mf() { return *mf_; }
  SimFile* current_df() const { return current_df_; }
  SimFile* current_ef() const { return current_ef_; }
  Answer Select(const CommandApdu& cmd);
  Answer ReadBinary(const CommandApdu& cmd);
  SimFile* FindByAid(SimFile& root, ByteView aid);

 private:
  Bytes FinishT0(const CommandApdu& cmd, Answer answer);
  Bytes GetResponse(const CommandApdu& cmd);
  Bytes Fcp(const SimFile& f) const;
  Answer SelectResult(SimFile* f, uint8_t p2);

  std::unique_ptr<SimFile> mf_;
  SimFile* current_df_ = nullptr;
  SimFile* current_ef_ = nullptr;
  Bytes pending_;
  uint64_t apdu_count_ = 0;
};

}  // namespace carnet::cardsim
