#pragma once
// CardReader: the terminal's view of a smart-card reader (PC/SC or a fake).
//
// Public calls are non-virtual and hold the logic every backend shares (T=0 GET RESPONSE and
// Le retry, argument checks, the card-session counter); backends implement the private Do…
// calls (Pigweed style, pw_i2c/initiator.h).
//
// Errors every caller must expect from the card calls, each with its own code so a session can
// react without parsing messages:
//   kUnavailable        no card in the reader, or the card was removed — including an answer of
//                       0 bytes mid-command, what pcscd returns when the card is pulled while it
//                       computes: the handle is dead; the session ends (IsCardRemoved()).
//   kAborted            the card was reset under us (another process, USB reset). The backend
//                       has reconnected, but the card's volatile state — verified PIN, security
//                       environment, selected file — is gone (IsCardStateLost()). The command
//                       was NOT retried: the caller must redo its state first.
//   kDeadlineExceeded   the reader did not answer within the watchdog deadline. The handle is
//                       abandoned; reconnect before the next command.
// Other codes come from the PC/SC layer with its SCARD_* code in the message.
//
// Threading: one CardReader is used by one thread at a time, except Cancel(), which any thread
// may call to abort a WaitForChange().

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/base/status.h"
#include "hal/card/apdu.h"

namespace carnet::hal {

enum class ShareMode { kExclusive, kShared };
enum class Protocol { kT0, kT1 };

struct ReaderState {
  std::string name;
  bool card_present = false;
  bool exclusive = false;    // another application holds the card exclusively
  bool mute = false;         // a card is there but does not answer to reset
  Bytes atr;                 // when present
  uint32_t event_count = 0;  // PC/SC event counter (high 16 bits of dwEventState): changes on
                             // every insert/remove, so a remove+reinsert between two polls shows
};

struct ConnectInfo {
  Bytes atr;
  Protocol protocol = Protocol::kT0;
};

// Part 10 features (PC/SC v2 part 10 §2.2): tag → control code.
struct ReaderFeature {
  uint8_t tag = 0;
  uint32_t control_code = 0;
};
inline constexpr uint8_t kFeatureVerifyPinDirect = 0x06;
inline constexpr uint8_t kFeatureModifyPinDirect = 0x07;
inline constexpr uint8_t kFeatureIfdPinProperties = 0x0A;
inline constexpr uint8_t kFeatureGetTlvProperties = 0x12;
// Parses the PCSC_TLV_STRUCTURE list (tag, length 4, big-endian control code) that
// CM_IOCTL_GET_FEATURE_REQUEST returns.
Result<std::vector<ReaderFeature>> ParseFeatureList(ByteView raw);

bool IsCardRemoved(const Status& s);
bool IsCardStateLost(const Status& s);
Status CardRemovedError(std::string_view detail);
Status CardStateLostError(std::string_view detail);

struct TransmitStats {
  uint64_t apdus = 0;  // every exchange with the card, GET RESPONSE and Le retries included
  uint64_t get_responses = 0;
  uint64_t le_retries = 0;
};

class CardReader {
 public:
  virtual ~CardReader() = default;
  CardReader(const CardReader&) = delete;
  CardReader& operator=(const CardReader&) = delete;

  // Names of the readers currently attached.
  Result<std::vector<std::string>> ListReaders() { return DoListReaders(); }

  // Blocks until a reader in `known` changes state (card inserted/removed) or a reader is
  // attached/detached, or `timeout` passes. `known` carries the state the caller last saw and
  // is updated in place; readers that appeared are appended, readers that left are erased.
  // Returns true if something changed, false on timeout; kCancelled-style interruption
  // (Cancel()) returns kAborted. Never busy-loops: an empty `known` still waits on hot-plug.
  Result<bool> WaitForChange(std::vector<ReaderState>& known, std::chrono::milliseconds timeout) {
    return DoWaitForChange(known, timeout);
  }
  // Aborts a WaitForChange in progress (from another thread).
  void Cancel() { DoCancel(); }

  // Connects to the card in `reader`. T=0 and T=1 are both offered; the card's ATR decides.
  Result<ConnectInfo> Connect(const std::string& reader, ShareMode mode);
  void Disconnect() { DoDisconnect(); }

  // Sends one command and returns the complete response, with T=0 handled here:
  //   61 xx  → GET RESPONSE (00 C0 00 00 xx) repeated while the card says more is available,
  //            concatenating data, until a final SW (9000 or an error);
  //   6C xx  → the same command resent once with Le = xx.
  // The returned SW is the card's last one; a non-9000 SW is NOT an error Status (the caller
  // interprets card SWs). Errors are transport errors (see the header comment).
  Result<ResponseApdu> Transmit(const CommandApdu& command);
  // One raw exchange, no T=0 handling (for tests and diagnostics).
  Result<ResponseApdu> TransmitRaw(const CommandApdu& command);

  // Warm-resets the card (SCardReconnect with SCARD_RESET_CARD): the card forgets its PIN
  // verification and security environment — what a terminal does at logout. Every other
  // handle on the card then gets "card state lost". Starts a new card session.
  Status ResetCard() {
    CARNET_TRY(DoResetCard());
    BumpCardSession();
    return Status();
  }

  Status BeginTransaction() { return DoBeginTransaction(); }
  Status EndTransaction() { return DoEndTransaction(); }

  // Reader control (SCardControl) and its Part 10 features; empty list when none.
  Result<Bytes> Control(uint32_t code, ByteView in) { return DoControl(code, in); }
  Result<std::vector<ReaderFeature>> Features() { return DoFeatures(); }

  // Increments each time the card's state was lost (reset, reconnect, new connection), so a
  // session can tell whether the card it verified the PIN on is still the same power cycle.
  uint64_t card_session() const { return card_session_; }
  const TransmitStats& stats() const { return stats_; }
  void ResetStats() { stats_ = {}; }

  // Upper bound on the number of GET RESPONSE rounds for one command (a card that keeps
  // answering 61xx forever must not hang us).
  static constexpr int kMaxGetResponseRounds = 64;
  Protocol protocol() const { return protocol_; }

 protected:
  CardReader() = default;
  void BumpCardSession() { ++card_session_; }

 private:
  virtual Result<std::vector<std::string>> DoListReaders() = 0;
  virtual Result<bool> DoWaitForChange(std::vector<ReaderState>& known,
                                       std::chrono::milliseconds timeout) = 0;
  virtual void DoCancel() = 0;
  virtual Result<ConnectInfo> DoConnect(const std::string& reader, ShareMode mode) = 0;
  virtual void DoDisconnect() = 0;
  // Exchanges raw bytes with the card (one C-APDU, one R-APDU).
  virtual Result<Bytes> DoTransmit(ByteView command) = 0;
  virtual Status DoResetCard() = 0;
  virtual Status DoBeginTransaction() = 0;
  virtual Status DoEndTransaction() = 0;
  virtual Result<Bytes> DoControl(uint32_t code, ByteView in) = 0;
  virtual Result<std::vector<ReaderFeature>> DoFeatures() = 0;

  uint64_t card_session_ = 0;
  Protocol protocol_ = Protocol::kT0;
  TransmitStats stats_;
};

}  // namespace carnet::hal
