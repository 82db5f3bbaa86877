#pragma once
// FakeCardReader: an in-memory CardReader for unit tests (never for integration tests, which
// use the real pcscd and the card simulator, DESIGN.md §6).
//
// Two ways to answer commands:
//   - a strict script: Expect(command, response) pairs consumed in order; an unexpected command
//     fails the exchange with kInternal naming the bytes (so a test sees exactly what differed);
//   - a handler: any function from command bytes to response bytes (e.g. the card simulator's
//     APDU engine), used once the script is empty.
// Faults are injected for the next exchange: removal, reset, stall, malformed or empty answer.

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hal/card/card_reader.h"

namespace carnet::hal {

class FakeCardReader final : public CardReader {
 public:
  using Handler = std::function<Bytes(ByteView command)>;
  // kEmptyAnswer: the exchange "succeeds" with no byte, what pcscd gives when the card is
  // pulled mid-command.
  enum class Fault { kNone, kRemoved, kReset, kStall, kMalformed, kEmptyAnswer };

  FakeCardReader() = default;

  // Readers and cards.
  void AddReader(const std::string& name);
  void InsertCard(const std::string& reader, ByteView atr, Protocol protocol = Protocol::kT0);
  void RemoveCard(const std::string& reader);

  // Commands.
  void Expect(ByteView command, ByteView response);
  void SetHandler(Handler handler) { handler_ = std::move(handler); }
  void InjectFault(Fault fault) { fault_ = fault; }
  bool ScriptDone() const { return script_.empty(); }
  const std::vector<Bytes>& sent() const { return sent_; }

  // Reader control.
  void SetFeatures(std::vector<ReaderFeature> features) { features_ = std::move(features); }
  void SetControlHandler(std::function<Result<Bytes>(uint32_t, ByteView)> h) {
    control_ = std::move(h);
  }
  int resets() const { return resets_; }
  int transactions_begun() const { return transactions_begun_; }
  bool in_transaction() const { return in_transaction_; }

 private:
  struct Slot {
    bool present = false;
    Bytes atr;
    Protocol protocol = Protocol::kT0;
    uint32_t events = 0;
  };

  Result<std::vector<std::string>> DoListReaders() override;
  Result<bool> DoWaitForChange(std::vector<ReaderState>& known,
                               std::chrono::milliseconds timeout) override;
  void DoCancel() override {}
  Result<ConnectInfo> DoConnect(const std::string& reader, ShareMode mode) override;
  void DoDisconnect() override { connected_.reset(); }
  Result<Bytes> DoTransmit(ByteView command) override;
  Status DoResetCard() override;
  Status DoBeginTransaction() override;
  Status DoEndTransaction() override;
  Result<Bytes> DoControl(uint32_t code, ByteView in) override;
  Result<std::vector<ReaderFeature>> DoFeatures() override { return features_; }

  std::map<std::string, Slot> slots_;
  std::vector<std::string> order_;
  std::optional<std::string> connected_;
  std::deque<std::pair<Bytes, Bytes>> script_;
  Handler handler_;
  Fault fault_ = Fault::kNone;
  std::vector<Bytes> sent_;
  std::vector<ReaderFeature> features_;
  std::function<Result<Bytes>(uint32_t, ByteView)> control_;
  int resets_ = 0;
  int transactions_begun_ = 0;
  bool in_transaction_ = false;
};

}  // namespace carnet::hal
