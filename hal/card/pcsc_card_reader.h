#pragma once
// PcscCardReader: CardReader over PCSC-lite (pcscd). The only code in Carnet that includes
// <winscard.h>; every SCARD_* code is turned into a Status in one function (PcscStatus in the
// .cc), which keeps the code and pcsc_stringify_error's text in the message.
//
// Connections: each Connect() opens its own PC/SC context. When the watchdog gives up on a
// stalled SCardTransmit/SCardControl, that context and card handle are handed to the stuck
// thread, which releases them whenever PC/SC returns; the reader itself is immediately usable
// again (Connect anew). This matters because pcsc-lite serialises calls per context, so a
// SCardDisconnect on the stalled context would itself hang.

#include <chrono>
#include <memory>
#include <string>

#include "hal/card/card_reader.h"

namespace carnet::hal {

struct PcscOptions {
  // Deadline for one SCardTransmit (an RSA-2048 signature on a real CPS3 takes about 1 s).
  std::chrono::milliseconds transmit_deadline{15000};
  // Deadline for SCardControl (secure PIN entry waits for the person at the keypad).
  std::chrono::milliseconds control_deadline{90000};
  // Deadline for SCardConnect (it can block while another client holds a transaction,
  // LudovicRousseau/PCSC#254).
  std::chrono::milliseconds connect_deadline{15000};
};

class PcscCardReader final : public CardReader {
 public:
  // Establishes a PC/SC context; kUnavailable if pcscd is not running.
  static Result<std::unique_ptr<PcscCardReader>> Create(PcscOptions options = {});
  ~PcscCardReader() override;

  struct Impl;

 private:
  explicit PcscCardReader(std::unique_ptr<Impl> impl);

  Result<std::vector<std::string>> DoListReaders() override;
  Result<bool> DoWaitForChange(std::vector<ReaderState>& known,
                               std::chrono::milliseconds timeout) override;
  void DoCancel() override;
  Result<ConnectInfo> DoConnect(const std::string& reader, ShareMode mode) override;
  void DoDisconnect() override;
  Result<Bytes> DoTransmit(ByteView command) override;
  Status DoResetCard() override;
  Status DoBeginTransaction() override;
  Status DoEndTransaction() override;
  Result<Bytes> DoControl(uint32_t code, ByteView in) override;
  Result<std::vector<ReaderFeature>> DoFeatures() override;

  // Reads the current state of every reader in `names` into `known`.
  Status Snapshot(const std::vector<std::string>& names, std::vector<ReaderState>& known);
  // Handles SCARD_W_RESET_CARD (reconnect, new card session) and removal on a failed call.
  Status OnCardError(long rv, const char* what);

  std::unique_ptr<Impl> impl_;
};

}  // namespace carnet::hal
