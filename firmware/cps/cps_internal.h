#pragma once
// firmware/cps internals shared by the sources and the unit tests: file ids, APDU builders
// and the holder-data parsers (tests/cardsim/README.md layout).

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "crypto/core/hash.h"
#include "firmware/cps/cps_card.h"
#include "hal/card/apdu.h"

namespace carnet::fw::cps::internal {

inline constexpr uint8_t kIasAid[] = {0xE8, 0x28, 0xBD, 0x08, 0x0F, 0x80, 0x25,
                                      0x00, 0x00, 0x01, 0xFF, 0x00, 0x10};
inline constexpr uint16_t kEfSnIcc = 0xD003;  // under MF
inline constexpr uint16_t kEfNamePs = 0xD110;
inline constexpr uint16_t kEfInfoPs = 0xD111;
inline constexpr uint16_t kEfSituationFirst = 0xD120;
inline constexpr int kSituationFiles = 16;
inline constexpr uint16_t kEfCertAut = 0xC001;
inline constexpr uint16_t kEfCertSig = 0xC002;
inline constexpr uint8_t kPinRef = 0x01;
inline constexpr uint8_t kKeyRefSig = 0x81;
inline constexpr uint8_t kKeyRefAut = 0x82;
inline constexpr size_t kPinLength = 4;
inline constexpr size_t kPukLength = 8;
inline constexpr size_t kReadChunk = 0xE7;      // CPx max READ BINARY (cards.md §1.6)
inline constexpr size_t kMaxFileSize = 0x4000;  // holder files and certificates are far smaller
inline constexpr size_t kMaxDigestInfo = 102;   // 40 % of a 2048-bit modulus

// SELECT by path from the MF (P1 09), P2 04 (FCP) or 0C (no answer data).
hal::CommandApdu SelectPath(std::initializer_list<uint16_t> fids, bool want_fcp);
hal::CommandApdu SelectAid(ByteView aid);
hal::CommandApdu ReadBinary(size_t offset, size_t length);
hal::CommandApdu VerifyCmd(ByteView pin_or_empty);
hal::CommandApdu MseSetAtAut();
hal::CommandApdu MseSetHtSha256();
hal::CommandApdu MseSetDstSig();
hal::CommandApdu InternalAuthenticate(ByteView digest_info);
// PSO HASH data: 90 28 <state 32><bit counter 8> 80 n <tail>, or 90 00 80 n <data> when
// the message is shorter than one block.
hal::CommandApdu PsoHash(ByteView message);
hal::CommandApdu PsoComputeSignature();

// File size from an FCP (62 { 80 size | 81 size … }); DataLoss when absent or malformed.
Result<size_t> FcpFileSize(ByteView fcp);
// EF.SN.ICC: 5A 0A 80 25 00 00 01 <BCD, F-padded> → the digits after the prefix.
Result<std::string> ParseCardNumber(ByteView sn);
// D110 A0{80..85}, D111 A1{80..82}, D12x A2{80..86} into `out`.
Status ParseNamePs(ByteView content, HolderIdentity& out);
Status ParseInfoPs(ByteView content, HolderIdentity& out);
Result<Situation> ParseSituation(ByteView content);

}  // namespace carnet::fw::cps::internal
