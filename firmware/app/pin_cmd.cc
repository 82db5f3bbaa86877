// `carnet-terminal pin` and `carnet-terminal unblock`: the CPS holder PIN (CHV1) and its PUK.
// PINs come from the reader's secure PIN pad (hal/pin ChoosePinEntry), the console (no echo,
// /dev/tty) or, with --pin-stdin, standard input; they live only in crypto::SecretBytes and
// never reach an output or a log.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "firmware/app/commands.h"
#include "firmware/app/options.h"
#include "firmware/app/readers.h"
#include "firmware/cps/cps_card.h"
#include "hal/base/json.h"
#include "hal/pin/pin_entry.h"

namespace carnet::fw::app {
namespace {

constexpr char kPinUsage[] =
    "usage: carnet-terminal pin [--reader NAME] [--pin-stdin] [--json]\n"
    "\n"
    "Verifies the professional's CPS PIN. The PIN is typed on the reader's PIN pad when it has\n"
    "one, else on the console (not echoed); --pin-stdin reads one line from standard input.\n"
    "A blocked card is reported without asking for the PIN.\n"
    "  --reader NAME  the reader holding the CPS (default: the first reader with a CPS3)\n"
    "  --json         {\"reader\",\"result\":\"ok|wrong|blocked\",\"tries_left\"} on stdout\n"
    "Exit: 0 verified, 3 no CPS card, 4 wrong PIN (tries left printed), 5 blocked,\n"
    "1 reader/card failure, 2 usage.\n";

constexpr char kUnblockUsage[] =
    "usage: carnet-terminal unblock [--reader NAME] [--pin-stdin]\n"
    "\n"
    "Unblocks the CPS PIN with the PUK (8 digits) and sets a new PIN (4 digits). On the\n"
    "console the new PIN is asked twice; --pin-stdin reads two lines: the PUK, then the new PIN.\n"
    "Exit: 0 done, 3 no CPS card, 4 wrong PUK (tries left printed), 5 PUK blocked,\n"
    "1 reader/card failure, 2 usage.\n";

constexpr char kBlocked[] = "PIN blocked: unblock with the PUK: carnet-terminal unblock";

// Where typed secrets come from: stdin with --pin-stdin, else the controlling terminal.
class SecretSource {
 public:
  ~SecretSource() {
    if (tty_fd_ >= 0) ::close(tty_fd_);
  }
  Status Open(bool pin_stdin) {
    if (pin_stdin) {
      fd_ = STDIN_FILENO;
      return Status();
    }
    tty_fd_ = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty_fd_ < 0) return InvalidArgument("no console to type the PIN on: use --pin-stdin");
    fd_ = tty_fd_;
    return Status();
  }
  int fd() const { return fd_; }
  bool interactive() const { return tty_fd_ >= 0; }
  Result<crypto::SecretBytes> Read(const char* prompt, size_t max_length) {
    return hal::ConsolePinEntry(fd_, prompt).ReadSecret(max_length);
  }

 private:
  int fd_ = -1;
  int tty_fd_ = -1;
};

struct Session {
  std::unique_ptr<hal::CardReader> reader;
  std::string name;
};

// Reaches pcscd, finds the CPS and connects; the exit code on failure.
int Connect(const char* command, const std::string& requested, Session& s) {
  auto r = OpenReaders();
  if (!r.ok()) return Fail(command, r.status().message(), kExitFailure);
  s.reader = std::move(r).value();
  auto name = FindCpsReader(*s.reader, requested);
  if (!name.ok()) {
    const bool no_card = name.status().code() == StatusCode::kNotFound;
    return Fail(command, name.status().message(), no_card ? kExitNoCard : kExitFailure);
  }
  s.name = *name;
  auto c = s.reader->Connect(s.name, hal::ShareMode::kExclusive);
  if (!c.ok()) return Fail(command, "connecting to the CPS: " + c.status().message(), kExitFailure);
  return kExitOk;
}

int Report(const std::string& reader, bool json_out, const char* result, int tries_left) {
  if (json_out) {
    json::Value v = json::Value::MakeObject();
    v.Set("reader", json::Value::String(reader));
    v.Set("result", json::Value::String(result));
    if (tries_left >= 0) v.Set("tries_left", json::Value::Int(tries_left));
    std::printf("%s\n", json::Write(v).c_str());
  }
  const std::string r = result;
  if (r == "ok") {
    if (!json_out) std::printf("PIN verified\n");
    return kExitOk;
  }
  if (r == "blocked") {
    std::fprintf(stderr, "%s\n", kBlocked);
    return kExitBlocked;
  }
  std::fprintf(stderr, "wrong PIN: %d %s left\n", tries_left, tries_left == 1 ? "try" : "tries");
  return kExitWrongPin;
}

// The PIN entry: secure pad when the reader has one (and --pin-stdin was not asked for).
Result<std::unique_ptr<hal::PinEntry>> ChooseEntry(hal::CardReader& reader,
                                                   bool pin_stdin,
                                                   SecretSource& source) {
  if (pin_stdin) {
    CARNET_TRY(source.Open(true));
    return std::unique_ptr<hal::PinEntry>(new hal::ConsolePinEntry(source.fd(), "CPS PIN: "));
  }
  CARNET_ASSIGN_OR_RETURN(auto features, reader.Features());
  bool pad = false;
  for (const auto& f : features) pad = pad || f.tag == hal::kFeatureVerifyPinDirect;
  if (!pad) CARNET_TRY(source.Open(false));  // the console is needed only without a pad
  if (pad) std::fprintf(stderr, "Type the PIN on the reader's keypad.\n");
  return hal::ChoosePinEntry(reader, source.fd());
}

}  // namespace

int RunPin(Args args) {
  static constexpr OptionSpec kSpecs[] = {{"reader", true, false},
                                          {"pin-stdin", false, false},
                                          {"json", false, false},
                                          {"help", false, false}};
  auto o = Options::Parse(args, kSpecs);
  if (!o.ok()) {
    std::fputs(kPinUsage, stderr);
    return Fail("pin", o.status().message(), kExitUsage);
  }
  if (o->Has("help")) {
    std::fputs(kPinUsage, stdout);
    return kExitOk;
  }
  Session s;
  if (int rc = Connect("pin", o->Get("reader"), s); rc != kExitOk) return rc;
  const bool json_out = o->Has("json");
  cps::CpsCard card(*s.reader);
  auto status = card.PinStatus();
  if (!status.ok()) return Fail("pin", status.status().message(), kExitFailure);
  if (status->blocked) return Report(s.name, json_out, "blocked", 0);
  SecretSource source;
  auto entry = ChooseEntry(*s.reader, o->Has("pin-stdin"), source);
  if (!entry.ok()) return Fail("pin", entry.status().message(), kExitUsage);
  auto sw = (*entry)->Verify(*s.reader, hal::PinProperties{});
  if (!sw.ok()) {
    const bool format = sw.status().code() == StatusCode::kInvalidArgument;
    return Fail("pin", sw.status().message() + (format ? " (no try was spent)" : ""),
                format ? kExitWrongPin : kExitFailure);
  }
  if (*sw == 0x9000) return Report(s.name, json_out, "ok", -1);
  if (*sw == 0x6983 || *sw == 0x63C0) return Report(s.name, json_out, "blocked", 0);
  if ((*sw & 0xFFF0) == 0x63C0) return Report(s.name, json_out, "wrong", *sw & 0x0F);
  return Fail("pin", cps::SwToStatus(*sw, "VERIFY PIN").message(), kExitFailure);
}

int RunUnblock(Args args) {
  static constexpr OptionSpec kSpecs[] = {
      {"reader", true, false}, {"pin-stdin", false, false}, {"help", false, false}};
  auto o = Options::Parse(args, kSpecs);
  if (!o.ok()) {
    std::fputs(kUnblockUsage, stderr);
    return Fail("unblock", o.status().message(), kExitUsage);
  }
  if (o->Has("help")) {
    std::fputs(kUnblockUsage, stdout);
    return kExitOk;
  }
  Session s;
  if (int rc = Connect("unblock", o->Get("reader"), s); rc != kExitOk) return rc;
  SecretSource source;
  if (Status st = source.Open(o->Has("pin-stdin")); !st.ok()) {
    return Fail("unblock", st.message(), kExitUsage);
  }
  auto puk = source.Read("PUK: ", 8);
  auto pin = puk.ok() ? source.Read("New PIN: ", 4) : puk.status();
  if (!pin.ok()) return Fail("unblock", pin.status().message(), kExitFailure);
  if (source.interactive()) {
    auto again = source.Read("New PIN again: ", 4);
    if (!again.ok() || !again->Equals(*pin)) {
      return Fail("unblock", "the two new PINs differ; nothing was sent to the card", kExitUsage);
    }
  }
  cps::CpsCard card(*s.reader);
  auto r = card.Unblock(*puk, *pin);
  if (!r.ok()) {
    const bool format = r.status().code() == StatusCode::kInvalidArgument;
    return Fail("unblock", r.status().message() + (format ? " (no try was spent)" : ""),
                format ? kExitWrongPin : kExitFailure);
  }
  switch (r->outcome) {
    case cps::PinOutcome::kOk:
      std::printf("PIN unblocked; the new PIN is set\n");
      return kExitOk;
    case cps::PinOutcome::kWrong:
      std::fprintf(stderr, "wrong PUK: %d %s left\n", r->tries_left,
                   r->tries_left == 1 ? "try" : "tries");
      return kExitWrongPin;
    case cps::PinOutcome::kBlocked:
      break;
  }
  std::fprintf(stderr, "PUK blocked: the card can no longer be unblocked; order a new CPS\n");
  return kExitBlocked;
}

}  // namespace carnet::fw::app
