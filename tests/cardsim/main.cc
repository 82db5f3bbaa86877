// carnet-cardsim: a CPS3 or Vitale card plugged into pcscd through vsmartcard's vpcd.
// Usage: see kSimUsage (profile.cc) and README.md.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "hal/base/log.h"
#include "tests/cardsim/profile.h"
#include "tests/cardsim/vpcd_link.h"

namespace carnet::cardsim {
namespace {

using Clock = std::chrono::steady_clock;

struct ControlPeer {
  int fd;
  std::string buffer;
};

class Simulator {
 public:
  Simulator(std::unique_ptr<SimCard> card, std::string host, int port, bool log_apdus)
      : card_(std::move(card)), host_(std::move(host)), port_(port), log_apdus_(log_apdus) {}

  Status ListenControl(const std::string& path);
  int Run();

 private:
  void TryConnect();
  void OnVpcdMessage(const Bytes& msg);
  void WaitStall();
  void PollControl(int timeout_ms, bool with_link);
  void ReadControl(ControlPeer& peer);
  std::string Command(const std::string& line);

  std::unique_ptr<SimCard> card_;
  std::string host_;
  int port_;
  bool log_apdus_;
  VpcdLink link_;
  bool inserted_ = true;
  bool quit_ = false;
  int stall_ms_ = 0;
  bool malformed_once_ = false;
  int listen_fd_ = -1;
  std::vector<ControlPeer> peers_ = {ControlPeer{STDIN_FILENO, {}}};
  Clock::time_point next_connect_ = Clock::now();
};

Status Simulator::ListenControl(const std::string& path) {
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return InvalidArgument("control socket path too long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  ::unlink(path.c_str());
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 4) != 0) {
    return Unavailable("control socket " + path + ": " + std::strerror(errno));
  }
  return Status();
}

void Simulator::TryConnect() {
  if (!inserted_ || link_.connected() || Clock::now() < next_connect_) return;
  if (link_.Connect(host_, port_).ok()) {
    card_->Reset();  // insertion = a fresh power-on
    log::Info("card inserted", {{"port", port_}});
  } else {
    next_connect_ = Clock::now() + std::chrono::milliseconds(200);
  }
}

void Simulator::OnVpcdMessage(const Bytes& msg) {
  if (msg.size() == 1) {
    switch (msg[0]) {
      case 0x00:  // power off
      case 0x01:  // power on
      case 0x02:  // reset
        card_->Reset();
        return;
      case 0x04:
        link_.Send(card_->Atr()).IgnoreError();
        return;
      default:
        return;  // unknown control: vpcd expects no answer
    }
  }
  if (stall_ms_ > 0) WaitStall();
  if (malformed_once_) {
    malformed_once_ = false;
    log::Warn("sending a malformed answer, as asked");
    link_.Send(Bytes{0x90}).IgnoreError();
    return;
  }
  Bytes answer = card_->Process(msg);
  if (log_apdus_) {
    const size_t n = msg.size() < 4 ? msg.size() : 4;
    log::Info("apdu", {{"header", HexEncode(ByteView(msg).first(n))},
                       {"lc", static_cast<uint64_t>(msg.size() > 5 ? msg.size() - 5 : 0)},
                       {"sw", HexEncode(ByteView(answer).last(2))}});
  }
  if (!link_.Send(answer).ok()) link_.Close();
}

void Simulator::WaitStall() {
  const auto until = Clock::now() + std::chrono::milliseconds(stall_ms_);
  log::Warn("stalling", {{"ms", stall_ms_}});
  stall_ms_ = 0;
  while (!quit_ && Clock::now() < until) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    PollControl(static_cast<int>(left.count()) + 1, /*with_link=*/false);
  }
}

std::string Simulator::Command(const std::string& line) {
  std::string cmd = line.substr(0, line.find(' '));
  std::string arg = line.find(' ') == std::string::npos ? "" : line.substr(line.find(' ') + 1);
  if (cmd == "REMOVE") {
    inserted_ = false;
    link_.Close();
    return "OK";
  }
  if (cmd == "REINSERT" || cmd == "INSERT") {
    inserted_ = true;
    next_connect_ = Clock::now();
    return "OK";
  }
  if (cmd == "RESET") {
    card_->Reset();
    return "OK";
  }
  if (cmd == "STALL") {
    char* end = nullptr;
    long ms = std::strtol(arg.c_str(), &end, 10);
    if (arg.empty() || *end != '\0' || ms <= 0 || ms > 600000)
      return "ERR STALL needs 1..600000 ms";
    stall_ms_ = static_cast<int>(ms);
    return "OK";
  }
  if (cmd == "MALFORMED") {
    malformed_once_ = true;
    return "OK";
  }
  if (cmd == "STATUS") {
    return "OK inserted=" + std::to_string(inserted_) +
           " connected=" + std::to_string(link_.connected()) +
           " apdus=" + std::to_string(card_->apdu_count());
  }
  if (cmd == "QUIT") {
    quit_ = true;
    return "OK";
  }
  return "ERR unknown command '" + cmd + "'";
}

void Simulator::ReadControl(ControlPeer& peer) {
  char buf[256];
  ssize_t n = ::read(peer.fd, buf, sizeof buf);
  if (n <= 0) {
    if (peer.fd != STDIN_FILENO) ::close(peer.fd);
    peer.fd = -1;
    return;
  }
  peer.buffer.append(buf, static_cast<size_t>(n));
  for (size_t nl; (nl = peer.buffer.find('\n')) != std::string::npos;) {
    std::string line = peer.buffer.substr(0, nl);
    peer.buffer.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::string reply = Command(line) + "\n";
    const int out = peer.fd == STDIN_FILENO ? STDOUT_FILENO : peer.fd;
    if (::write(out, reply.data(), reply.size()) < 0) peer.fd = -1;
  }
}

void Simulator::PollControl(int timeout_ms, bool with_link) {
  std::vector<pollfd> fds;
  for (const auto& p : peers_) fds.push_back(pollfd{p.fd, POLLIN, 0});
  const size_t listen_at = fds.size();
  if (listen_fd_ >= 0) fds.push_back(pollfd{listen_fd_, POLLIN, 0});
  const size_t link_at = fds.size();
  if (with_link && link_.connected()) fds.push_back(pollfd{link_.fd(), POLLIN, 0});
  if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return;
  for (size_t i = 0; i < peers_.size(); ++i) {
    if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) ReadControl(peers_[i]);
  }
  if (listen_fd_ >= 0 && (fds[listen_at].revents & POLLIN)) {
    int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c >= 0) peers_.push_back(ControlPeer{c, {}});
  }
  std::erase_if(peers_, [](const ControlPeer& p) { return p.fd < 0; });
  if (with_link && link_at < fds.size() && (fds[link_at].revents & (POLLIN | POLLHUP | POLLERR))) {
    auto msg = link_.Receive();
    if (!msg.ok()) {
      log::Info("vpcd connection closed", {{"reason", msg.status().message()}});
      link_.Close();
      next_connect_ = Clock::now() + std::chrono::milliseconds(200);
      return;
    }
    OnVpcdMessage(*msg);
  }
}

int Simulator::Run() {
  while (!quit_) {
    TryConnect();
    PollControl(link_.connected() ? 1000 : 200, /*with_link=*/true);
  }
  link_.Close();
  return 0;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto opts = ParseSimArgs(args);
  if (!opts.ok() || opts->Get("help") == "1") {
    if (!opts.ok()) std::fprintf(stderr, "carnet-cardsim: %s\n", opts.status().message().c_str());
    std::fputs(kSimUsage, stderr);
    return 2;
  }
  if (Status s = ResolveSimOptions(*opts); !s.ok()) {
    std::fprintf(stderr, "carnet-cardsim: %s\n", s.ToString().c_str());
    return 2;
  }
  const std::string seed = opts->Get("seed");
  FakeRandom fake(seed.empty() ? 1 : std::stoull(seed));
  Random& rng = seed.empty() ? static_cast<Random&>(SystemRandom::Instance()) : fake;
  auto card = BuildCard(*opts, rng);
  if (!card.ok()) {
    std::fprintf(stderr, "carnet-cardsim: %s\n", card.status().ToString().c_str());
    return 2;
  }
  const int slot = std::stoi(opts->Get("slot", "0"));
  const int port = std::stoi(opts->Get("port", std::to_string(35963 + slot)));
  Simulator sim(std::move(*card), opts->Get("host", "127.0.0.1"), port,
                opts->Get("log-apdus") == "1");
  if (!opts->Get("control-socket").empty()) {
    if (Status s = sim.ListenControl(opts->Get("control-socket")); !s.ok()) {
      std::fprintf(stderr, "carnet-cardsim: %s\n", s.ToString().c_str());
      return 2;
    }
  }
  setvbuf(stdout, nullptr, _IOLBF, 0);
  log::Info("carnet-cardsim started", {{"profile", opts->Get("profile")}, {"port", port}});
  return sim.Run();
}

}  // namespace
}  // namespace carnet::cardsim

int main(int argc, char** argv) { return carnet::cardsim::Main(argc, argv); }
