#include "hal/card/card_reader.h"

#include <string_view>

#include "hal/base/secure_wipe.h"

namespace carnet::hal {
namespace {
constexpr std::string_view kRemovedPrefix = "card removed";
constexpr std::string_view kStateLostPrefix = "card state lost";

bool StartsWith(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }
}  // namespace

Status CardRemovedError(std::string_view detail) {
  return Unavailable(std::string(kRemovedPrefix) + ": " + std::string(detail));
}

Status CardStateLostError(std::string_view detail) {
  return Aborted(std::string(kStateLostPrefix) +
                 " (PIN and security environment must be redone): " + std::string(detail));
}

bool IsCardRemoved(const Status& s) {
  return s.code() == StatusCode::kUnavailable && StartsWith(s.message(), kRemovedPrefix);
}

bool IsCardStateLost(const Status& s) {
  return s.code() == StatusCode::kAborted && StartsWith(s.message(), kStateLostPrefix);
}

Result<std::vector<ReaderFeature>> ParseFeatureList(ByteView raw) {
  std::vector<ReaderFeature> out;
  ByteReader r(raw);
  while (!r.empty()) {
    auto tag = r.ReadU8();
    auto len = r.ReadU8();
    if (!tag.ok() || !len.ok()) return InvalidArgument("reader feature list: truncated entry");
    if (*len != 4) return InvalidArgument("reader feature list: value length is not 4");
    auto value = r.Read(4);
    if (!value.ok()) return InvalidArgument("reader feature list: truncated control code");
    out.push_back(ReaderFeature{*tag, ReadU32Be(*value)});
  }
  return out;
}

Result<ConnectInfo> CardReader::Connect(const std::string& reader, ShareMode mode) {
  CARNET_ASSIGN_OR_RETURN(ConnectInfo info, DoConnect(reader, mode));
  protocol_ = info.protocol;
  BumpCardSession();
  return info;
}

Result<ResponseApdu> CardReader::TransmitRaw(const CommandApdu& command) {
  auto raw = command.Serialize();
  if (!raw.ok()) return raw.status();
  ScopedWipe wipe_raw(*raw);  // a VERIFY command carries the PIN block
  CARNET_ASSIGN_OR_RETURN(Bytes answer, DoTransmit(*raw));
  ++stats_.apdus;
  if (answer.empty()) {
    // Even a refusal carries SW1 SW2: no byte at all means nobody answered. pcscd (and vpcd)
    // hand back an empty answer when the card is pulled mid-command, before their next poll
    // reports the removal; callers get the one removal signal, not a data error to decode.
    return CardRemovedError("card answered 0 bytes to " + command.HeaderString() +
                            " (pulled out or mute mid-command)");
  }
  auto response = ResponseApdu::Parse(answer);
  if (!response.ok()) {
    return DataLoss("card answered " + std::to_string(answer.size()) +
                    " bytes, not a response APDU, to " + command.HeaderString());
  }
  return response;
}

Result<ResponseApdu> CardReader::Transmit(const CommandApdu& command) {
  CommandApdu first = command;
  ScopedWipe wipe_first(first.data);  // the copy is resent on 6Cxx; it may hold a PIN block
  // T=0 cannot carry Lc and Le in one TPDU: send case 4 as case 3 and collect the answer with
  // GET RESPONSE (what the CPS3 traces and OpenSC's apdu.c do, cards.md §1.6).
  if (protocol_ == Protocol::kT0 && !first.data.empty() && first.le.has_value()) {
    first.le.reset();
  }
  CARNET_ASSIGN_OR_RETURN(ResponseApdu r, TransmitRaw(first));
  if (r.sw1() == 0x6C) {
    ++stats_.le_retries;
    first.le = r.sw2() == 0 ? 256u : r.sw2();
    CARNET_ASSIGN_OR_RETURN(r, TransmitRaw(first));
  }
  Bytes data = std::move(r.data);
  const uint8_t get_response_cla = command.cla == 0xA0 ? 0xA0 : 0x00;
  for (int round = 0; r.sw1() == 0x61; ++round) {
    if (round >= kMaxGetResponseRounds) {
      return DataLoss("card keeps answering 61xx after " + std::to_string(round) +
                      " GET RESPONSE rounds");
    }
    ++stats_.get_responses;
    CommandApdu get =
        CommandApdu::MakeLe(get_response_cla, 0xC0, 0x00, 0x00, r.sw2() == 0 ? 256u : r.sw2());
    CARNET_ASSIGN_OR_RETURN(r, TransmitRaw(get));
    if (r.sw1() == 0x6C) {
      ++stats_.le_retries;
      get.le = r.sw2() == 0 ? 256u : r.sw2();
      CARNET_ASSIGN_OR_RETURN(r, TransmitRaw(get));
    }
    Append(data, r.data);
  }
  if (data.size() > kExtendedLeMax) return OutOfRange("card response longer than 65536 bytes");
  return ResponseApdu{std::move(data), r.sw};
}

}  // namespace carnet::hal
