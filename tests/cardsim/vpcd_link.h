#pragma once
// VpcdLink: the simulator's side of the vpcd protocol (vsmartcard, doc/api.txt; cards.md §5.2).
//
// vpcd (the reader driver inside pcscd) listens on TCP 35963 + slot; the card connects as the
// client. Every message is a 2-byte big-endian length and a payload. vpcd sends; the card
// answers: 1-byte control messages 00 power off, 01 power on, 02 reset (no answer), 04 get ATR
// (answer: the ATR); anything longer is a C-APDU (answer: the R-APDU). Card removal = closing
// the socket.

#include <string>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::cardsim {

class VpcdLink {
 public:
  VpcdLink() = default;
  ~VpcdLink() { Close(); }
  VpcdLink(const VpcdLink&) = delete;
  VpcdLink& operator=(const VpcdLink&) = delete;

  // kUnavailable when nothing listens yet (pcscd not started): the caller retries.
  Status Connect(const std::string& host, int port);
  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Reads one message; kUnavailable when vpcd closed the connection.
  Result<Bytes> Receive();
  Status Send(ByteView payload);
  void Close();

 private:
  int fd_ = -1;
};

}  // namespace carnet::cardsim
