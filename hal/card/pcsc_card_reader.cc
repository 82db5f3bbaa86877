#include "hal/card/pcsc_card_reader.h"

#include <PCSC/reader.h>
#include <PCSC/winscard.h>

#include <cstdio>
#include <mutex>

#include "hal/base/log.h"
#include "hal/base/secure_wipe.h"
#include "hal/card/watchdog.h"

namespace carnet::hal {
namespace {

constexpr char kPnpReader[] = "\\\\?PnP?\\Notification";
constexpr size_t kMaxResponse = 65536 + 2;

// The one place SCARD_* codes become a Status (STYLE.md). The code and PC/SC's own text stay
// in the message so a field log can be matched with pcscd's.
Status PcscStatus(LONG rv, std::string_view what) {
  char code[32];
  std::snprintf(code, sizeof code, " (SCARD 0x%08lX)", static_cast<unsigned long>(rv));
  std::string detail = std::string(what) + ": " + pcsc_stringify_error(rv) + code;
  switch (rv) {
    case SCARD_S_SUCCESS:
      return Status();
    case SCARD_E_TIMEOUT:
      return DeadlineExceeded(detail);
    case SCARD_W_REMOVED_CARD:
    case SCARD_E_NO_SMARTCARD:
      return CardRemovedError(detail);
    case SCARD_W_RESET_CARD:
      return CardStateLostError(detail);
    case SCARD_E_CANCELLED:
      return Aborted(detail);
    case SCARD_E_NO_READERS_AVAILABLE:
    case SCARD_E_UNKNOWN_READER:
      return NotFound(detail);
    case SCARD_E_READER_UNAVAILABLE:
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
    case SCARD_E_SHARING_VIOLATION:
    case SCARD_W_UNRESPONSIVE_CARD:
    case SCARD_W_UNPOWERED_CARD:
    case SCARD_E_NOT_TRANSACTED:
    case SCARD_E_COMM_DATA_LOST:
      return Unavailable(detail);
    case SCARD_E_PROTO_MISMATCH:
    case SCARD_E_INVALID_HANDLE:
    case SCARD_E_NOT_READY:
      return FailedPrecondition(detail);
    case SCARD_E_INSUFFICIENT_BUFFER:
      return OutOfRange(detail);
    case SCARD_E_UNSUPPORTED_FEATURE:
      return Unimplemented(detail);
    case SCARD_E_INVALID_PARAMETER:
    case SCARD_E_INVALID_VALUE:
      return InvalidArgument(detail);
    default:
      return Internal(detail);
  }
}

// A context plus (optionally) a card handle. Shared with a watchdog thread: whoever drops the
// last reference releases it, so a stalled call releases its own context when it returns.
struct Connection {
  SCARDCONTEXT context = 0;
  SCARDHANDLE card = 0;
  bool has_card = false;
  ~Connection() {
    if (has_card) SCardDisconnect(card, SCARD_LEAVE_CARD);
    if (context != 0) SCardReleaseContext(context);
  }
};

DWORD ToDword(size_t n) { return static_cast<DWORD>(n); }

}  // namespace

struct PcscCardReader::Impl {
  PcscOptions options;
  SCARDCONTEXT context = 0;  // for ListReaders / WaitForChange / Cancel
  std::shared_ptr<Connection> connection;
  std::string reader;
  DWORD share = SCARD_SHARE_EXCLUSIVE;
  DWORD protocol = SCARD_PROTOCOL_T0;
  bool in_transaction = false;
  ~Impl() {
    if (context != 0) SCardReleaseContext(context);
  }
};

Result<std::unique_ptr<PcscCardReader>> PcscCardReader::Create(PcscOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &impl->context);
  if (rv != SCARD_S_SUCCESS) {
    impl->context = 0;
    return PcscStatus(rv, "SCardEstablishContext (is pcscd running?)");
  }
  return std::unique_ptr<PcscCardReader>(new PcscCardReader(std::move(impl)));
}

PcscCardReader::PcscCardReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PcscCardReader::~PcscCardReader() { DoDisconnect(); }

Result<std::vector<std::string>> PcscCardReader::DoListReaders() {
  DWORD size = 0;
  LONG rv = SCardListReaders(impl_->context, nullptr, nullptr, &size);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>{};
  if (rv != SCARD_S_SUCCESS) return PcscStatus(rv, "SCardListReaders");
  std::string buf(size, '\0');
  rv = SCardListReaders(impl_->context, nullptr, buf.data(), &size);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>{};
  if (rv != SCARD_S_SUCCESS) return PcscStatus(rv, "SCardListReaders");
  std::vector<std::string> names;
  // A multi-string: names separated by NUL, ended by an empty name.
  for (size_t pos = 0; pos < buf.size() && pos < size && buf[pos] != '\0';) {
    std::string name(buf.c_str() + pos);
    pos += name.size() + 1;
    names.push_back(std::move(name));
  }
  return names;
}

namespace {

DWORD CurrentStateOf(const ReaderState& r) {
  DWORD s = static_cast<DWORD>(r.event_count) << 16;
  s |= r.card_present ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY;
  if (r.exclusive) s |= SCARD_STATE_EXCLUSIVE;
  if (r.mute) s |= SCARD_STATE_MUTE;
  return s;
}

void UpdateFrom(ReaderState& r, const SCARD_READERSTATE& s) {
  r.card_present = (s.dwEventState & SCARD_STATE_PRESENT) != 0;
  r.exclusive = (s.dwEventState & SCARD_STATE_EXCLUSIVE) != 0;
  r.mute = (s.dwEventState & SCARD_STATE_MUTE) != 0;
  r.event_count = static_cast<uint32_t>((s.dwEventState >> 16) & 0xFFFF);
  if (r.card_present && s.cbAtr <= MAX_ATR_SIZE) {
    r.atr.assign(s.rgbAtr, s.rgbAtr + s.cbAtr);
  } else {
    r.atr.clear();
  }
}

}  // namespace

Result<bool> PcscCardReader::DoWaitForChange(std::vector<ReaderState>& known,
                                             std::chrono::milliseconds timeout) {
  // First call, or readers came/went since the caller last looked: report the new snapshot.
  CARNET_ASSIGN_OR_RETURN(auto names, DoListReaders());
  bool same = names.size() == known.size();
  for (size_t i = 0; same && i < names.size(); ++i) same = names[i] == known[i].name;
  if (!same) {
    CARNET_TRY(Snapshot(names, known));
    return true;
  }
  std::vector<SCARD_READERSTATE> states(known.size() + 1);
  for (size_t i = 0; i < known.size(); ++i) {
    states[i].szReader = known[i].name.c_str();
    states[i].dwCurrentState = CurrentStateOf(known[i]);
  }
  // pcsc-lite keeps the number of readers in the high word of the PnP pseudo-reader's state:
  // passing the count we know makes it return as soon as a reader comes or goes, and wait
  // otherwise (passing UNAWARE would return at once, every time: a busy loop, eid-mw#161).
  SCARD_READERSTATE& pnp = states.back();
  pnp.szReader = kPnpReader;
  pnp.dwCurrentState = static_cast<DWORD>(known.size()) << 16;
  const DWORD ms = static_cast<DWORD>(timeout.count() < 0 ? 0 : timeout.count());
  LONG rv = SCardGetStatusChange(impl_->context, ms, states.data(), ToDword(states.size()));
  if (rv == SCARD_E_TIMEOUT) return false;
  if (rv == SCARD_E_UNKNOWN_READER) {
    // A reader we knew is gone: rebuild the list from scratch below.
    pnp.dwEventState = SCARD_STATE_CHANGED;
  } else if (rv != SCARD_S_SUCCESS) {
    return PcscStatus(rv, "SCardGetStatusChange");
  }
  bool changed = false;
  for (size_t i = 0; i < known.size(); ++i) {
    if ((states[i].dwEventState & SCARD_STATE_CHANGED) == 0) continue;
    UpdateFrom(known[i], states[i]);
    changed = true;
  }
  if ((pnp.dwEventState & SCARD_STATE_CHANGED) == 0) return changed;
  // Hot-plug: reconcile the list with what pcscd has now.
  CARNET_ASSIGN_OR_RETURN(names, DoListReaders());
  CARNET_TRY(Snapshot(names, known));
  return true;
}

Status PcscCardReader::Snapshot(const std::vector<std::string>& names,
                                std::vector<ReaderState>& known) {
  std::vector<ReaderState> next;
  for (const std::string& name : names) {
    ReaderState r;
    r.name = name;
    SCARD_READERSTATE s{};
    s.szReader = r.name.c_str();
    s.dwCurrentState = SCARD_STATE_UNAWARE;
    LONG rv = SCardGetStatusChange(impl_->context, 0, &s, 1);
    if (rv == SCARD_S_SUCCESS) {
      UpdateFrom(r, s);
    } else if (rv != SCARD_E_TIMEOUT && rv != SCARD_E_UNKNOWN_READER) {
      return PcscStatus(rv, "SCardGetStatusChange(" + name + ")");
    }
    next.push_back(std::move(r));
  }
  known = std::move(next);
  return Status();
}

void PcscCardReader::DoCancel() { SCardCancel(impl_->context); }

Result<ConnectInfo> PcscCardReader::DoConnect(const std::string& reader, ShareMode mode) {
  DoDisconnect();
  auto conn = std::make_shared<Connection>();
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &conn->context);
  if (rv != SCARD_S_SUCCESS) {
    conn->context = 0;
    return PcscStatus(rv, "SCardEstablishContext");
  }
  const DWORD share = mode == ShareMode::kExclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED;
  auto result = std::make_shared<LONG>(SCARD_E_TIMEOUT);
  auto proto = std::make_shared<DWORD>(0);
  const bool done = RunWithDeadline(
      [conn, reader, share, result, proto] {
        *result = SCardConnect(conn->context, reader.c_str(), share,
                               SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &conn->card, proto.get());
        if (*result == SCARD_S_SUCCESS) conn->has_card = true;
      },
      impl_->options.connect_deadline);
  if (!done) return DeadlineExceeded("SCardConnect to " + reader + " did not return in time");
  if (*result != SCARD_S_SUCCESS) return PcscStatus(*result, "SCardConnect " + reader);
  BYTE atr[MAX_ATR_SIZE];
  DWORD atr_len = sizeof atr;
  DWORD state = 0;
  DWORD status_proto = 0;
  rv = SCardStatus(conn->card, nullptr, nullptr, &state, &status_proto, atr, &atr_len);
  if (rv != SCARD_S_SUCCESS) return PcscStatus(rv, "SCardStatus " + reader);
  impl_->connection = conn;
  impl_->reader = reader;
  impl_->share = share;
  impl_->protocol = *proto;
  ConnectInfo info;
  info.atr.assign(atr, atr + atr_len);
  info.protocol = *proto == SCARD_PROTOCOL_T1 ? Protocol::kT1 : Protocol::kT0;
  return info;
}

void PcscCardReader::DoDisconnect() {
  if (impl_->connection && impl_->in_transaction && impl_->connection->has_card) {
    SCardEndTransaction(impl_->connection->card, SCARD_LEAVE_CARD);
  }
  impl_->in_transaction = false;
  impl_->connection.reset();  // SCardDisconnect + release happen in ~Connection
}

Status PcscCardReader::OnCardError(long rv, const char* what) {
  Status s = PcscStatus(rv, what);
  if (rv == SCARD_W_RESET_CARD && impl_->connection) {
    // pcsc-lite's SCardReconnect keeps the transaction lock (OpenSC#480): end it first.
    if (impl_->in_transaction) SCardEndTransaction(impl_->connection->card, SCARD_LEAVE_CARD);
    impl_->in_transaction = false;
    DWORD proto = 0;
    LONG rr = SCardReconnect(impl_->connection->card, impl_->share,
                             SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_LEAVE_CARD, &proto);
    BumpCardSession();
    if (rr != SCARD_S_SUCCESS) {
      impl_->connection.reset();
      return PcscStatus(rr, "SCardReconnect after a card reset").Annotate(s.message());
    }
    log::Warn("card was reset; reconnected, card state lost", {{"reader", impl_->reader}});
    return s;
  }
  if (IsCardRemoved(s)) {
    impl_->in_transaction = false;
    impl_->connection.reset();
    log::Info("card removed", {{"reader", impl_->reader}});
  }
  return s;
}

Result<Bytes> PcscCardReader::DoTransmit(ByteView command) {
  if (!impl_->connection) return FailedPrecondition("Transmit: not connected to a card");
  struct Exchange {
    Bytes send;
    Bytes recv = Bytes(kMaxResponse);
    DWORD recv_len = 0;
    LONG rv = SCARD_E_TIMEOUT;
    // The command may be a VERIFY with the PIN block; a stalled call may free it much later.
    ~Exchange() { SecureWipe(send); }
  };
  auto ex = std::make_shared<Exchange>();
  ex->send.assign(command.begin(), command.end());
  ex->recv_len = ToDword(ex->recv.size());
  auto conn = impl_->connection;
  const SCARD_IO_REQUEST* pci = impl_->protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
  const bool done = RunWithDeadline(
      [conn, ex, pci] {
        ex->rv = SCardTransmit(conn->card, pci, ex->send.data(), ToDword(ex->send.size()), nullptr,
                               ex->recv.data(), &ex->recv_len);
      },
      impl_->options.transmit_deadline);
  if (!done) {
    // The stuck thread owns `conn` now; drop ours so the next call starts afresh.
    impl_->connection.reset();
    impl_->in_transaction = false;
    SCardCancel(impl_->context);
    log::Error("reader did not answer: watchdog fired", {{"reader", impl_->reader}});
    return DeadlineExceeded("SCardTransmit on " + impl_->reader + " did not return within " +
                            std::to_string(impl_->options.transmit_deadline.count()) +
                            " ms; reconnect to continue");
  }
  if (ex->rv != SCARD_S_SUCCESS) return OnCardError(ex->rv, "SCardTransmit");
  if (ex->recv_len == 0) {
    // pcscd returns success with no byte (not even SW1 SW2) when the card is pulled while it
    // computes; SCARD_W_REMOVED_CARD only comes at its next poll. Same signal, same cleanup.
    impl_->in_transaction = false;
    impl_->connection.reset();
    log::Info("card removed (empty answer)", {{"reader", impl_->reader}});
    return CardRemovedError("SCardTransmit on " + impl_->reader +
                            ": card answered 0 bytes (pulled out or mute mid-command)");
  }
  ex->recv.resize(ex->recv_len);
  return std::move(ex->recv);
}

Status PcscCardReader::DoResetCard() {
  if (!impl_->connection) return FailedPrecondition("ResetCard: not connected");
  if (impl_->in_transaction) SCardEndTransaction(impl_->connection->card, SCARD_LEAVE_CARD);
  impl_->in_transaction = false;
  DWORD proto = 0;
  LONG rv = SCardReconnect(impl_->connection->card, impl_->share,
                           SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_RESET_CARD, &proto);
  if (rv != SCARD_S_SUCCESS) return OnCardError(rv, "SCardReconnect(SCARD_RESET_CARD)");
  impl_->protocol = proto;
  return Status();
}

Status PcscCardReader::DoBeginTransaction() {
  if (!impl_->connection) return FailedPrecondition("BeginTransaction: not connected");
  LONG rv = SCardBeginTransaction(impl_->connection->card);
  if (rv != SCARD_S_SUCCESS) return OnCardError(rv, "SCardBeginTransaction");
  impl_->in_transaction = true;
  return Status();
}

Status PcscCardReader::DoEndTransaction() {
  if (!impl_->connection) return FailedPrecondition("EndTransaction: not connected");
  impl_->in_transaction = false;
  LONG rv = SCardEndTransaction(impl_->connection->card, SCARD_LEAVE_CARD);
  if (rv != SCARD_S_SUCCESS) return OnCardError(rv, "SCardEndTransaction");
  return Status();
}

Result<Bytes> PcscCardReader::DoControl(uint32_t code, ByteView in) {
  if (!impl_->connection) return FailedPrecondition("Control: not connected");
  struct Exchange {
    Bytes send;
    Bytes recv = Bytes(1024);
    DWORD returned = 0;
    LONG rv = SCARD_E_TIMEOUT;
  };
  auto ex = std::make_shared<Exchange>();
  ex->send.assign(in.begin(), in.end());
  auto conn = impl_->connection;
  const bool done = RunWithDeadline(
      [conn, ex, code] {
        ex->rv = SCardControl(conn->card, code, ex->send.data(), ToDword(ex->send.size()),
                              ex->recv.data(), ToDword(ex->recv.size()), &ex->returned);
      },
      impl_->options.control_deadline);
  if (!done) {
    impl_->connection.reset();
    return DeadlineExceeded("SCardControl on " + impl_->reader + " did not return in time");
  }
  if (ex->rv != SCARD_S_SUCCESS) return OnCardError(ex->rv, "SCardControl");
  ex->recv.resize(ex->returned);
  return std::move(ex->recv);
}

Result<std::vector<ReaderFeature>> PcscCardReader::DoFeatures() {
  auto raw = DoControl(CM_IOCTL_GET_FEATURE_REQUEST, {});
  if (!raw.ok()) {
    if (IsCardRemoved(raw.status()) || IsCardStateLost(raw.status()) ||
        raw.status().code() == StatusCode::kDeadlineExceeded) {
      return raw.status();
    }
    // Readers without Part 10 support (vpcd 0.8 answers IFD_ERROR_NOT_SUPPORTED to every
    // control code) simply have no features.
    log::Debug("reader has no PC/SC part 10 features", {{"reason", raw.status().message()}});
    return std::vector<ReaderFeature>{};
  }
  return ParseFeatureList(*raw);
}

}  // namespace carnet::hal
