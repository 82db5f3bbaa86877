#include "hal/card/fake_card_reader.h"

namespace carnet::hal {

void FakeCardReader::AddReader(const std::string& name) {
  if (slots_.count(name) == 0) order_.push_back(name);
  slots_[name];
}

void FakeCardReader::InsertCard(const std::string& reader, ByteView atr, Protocol protocol) {
  AddReader(reader);
  Slot& s = slots_[reader];
  s.present = true;
  s.atr.assign(atr.begin(), atr.end());
  s.protocol = protocol;
  ++s.events;
}

void FakeCardReader::RemoveCard(const std::string& reader) {
  Slot& s = slots_[reader];
  s.present = false;
  s.atr.clear();
  ++s.events;
  if (connected_ == reader) connected_.reset();
}

void FakeCardReader::Expect(ByteView command, ByteView response) {
  script_.emplace_back(Bytes(command.begin(), command.end()),
                       Bytes(response.begin(), response.end()));
}

Result<std::vector<std::string>> FakeCardReader::DoListReaders() { return order_; }

Result<bool> FakeCardReader::DoWaitForChange(std::vector<ReaderState>& known,
                                             std::chrono::milliseconds /*timeout*/) {
  std::vector<ReaderState> now;
  for (const std::string& name : order_) {
    const Slot& s = slots_[name];
    ReaderState r;
    r.name = name;
    r.card_present = s.present;
    r.atr = s.atr;
    r.event_count = s.events;
    now.push_back(std::move(r));
  }
  bool changed = now.size() != known.size();
  for (size_t i = 0; !changed && i < now.size(); ++i) {
    changed = now[i].name != known[i].name || now[i].event_count != known[i].event_count;
  }
  known = std::move(now);
  return changed;
}

Result<ConnectInfo> FakeCardReader::DoConnect(const std::string& reader, ShareMode /*mode*/) {
  auto it = slots_.find(reader);
  if (it == slots_.end()) return NotFound("fake reader: no reader " + reader);
  if (!it->second.present) return CardRemovedError("fake reader: no card in " + reader);
  connected_ = reader;
  return ConnectInfo{it->second.atr, it->second.protocol};
}

Result<Bytes> FakeCardReader::DoTransmit(ByteView command) {
  if (!connected_) return FailedPrecondition("fake reader: not connected");
  sent_.emplace_back(command.begin(), command.end());
  const Fault fault = fault_;
  fault_ = Fault::kNone;
  switch (fault) {
    case Fault::kRemoved:
      RemoveCard(*connected_);
      return CardRemovedError("fake reader: card removed");
    case Fault::kReset:
      BumpCardSession();
      in_transaction_ = false;
      return CardStateLostError("fake reader: card reset");
    case Fault::kStall:
      connected_.reset();
      return DeadlineExceeded("fake reader: reader stalled");
    case Fault::kMalformed:
      return Bytes{0x90};
    case Fault::kEmptyAnswer:
      return Bytes{};
    case Fault::kNone:
      break;
  }
  if (!script_.empty()) {
    auto [expected, response] = std::move(script_.front());
    script_.pop_front();
    if (expected != Bytes(command.begin(), command.end())) {
      return Internal("fake reader: expected " + HexEncode(expected) + ", got " +
                      HexEncode(command));
    }
    return response;
  }
  if (handler_) return handler_(command);
  return Internal("fake reader: unscripted command " + HexEncode(command));
}

Status FakeCardReader::DoResetCard() {
  if (!connected_) return FailedPrecondition("fake reader: not connected");
  ++resets_;
  in_transaction_ = false;
  return Status();
}

Status FakeCardReader::DoBeginTransaction() {
  if (!connected_) return FailedPrecondition("fake reader: not connected");
  ++transactions_begun_;
  in_transaction_ = true;
  return Status();
}

Status FakeCardReader::DoEndTransaction() {
  in_transaction_ = false;
  return Status();
}

Result<Bytes> FakeCardReader::DoControl(uint32_t code, ByteView in) {
  if (!connected_) return FailedPrecondition("fake reader: not connected");
  if (!control_) return Unimplemented("fake reader: no control handler");
  return control_(code, in);
}

}  // namespace carnet::hal
