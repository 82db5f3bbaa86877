#include "tests/integration/sim_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace carnet::itest {

Result<std::unique_ptr<SimProcess>> SimProcess::Start(const std::vector<std::string>& args) {
  const char* bin = std::getenv("CARNET_CARDSIM_BIN");
  if (bin == nullptr) return FailedPrecondition("CARNET_CARDSIM_BIN is not set");
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) return Internal("pipe failed");
  std::vector<std::string> argv_s = {bin};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return Internal("fork failed");
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    execv(bin, argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  return std::unique_ptr<SimProcess>(new SimProcess(pid, in[1], out[0]));
}

SimProcess::~SimProcess() {
  Command("QUIT").IgnoreError();
  close(to_child_);
  for (int i = 0; i < 20; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      close(from_child_);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  close(from_child_);
}

Status SimProcess::Command(const std::string& line) {
  const std::string msg = line + "\n";
  if (write(to_child_, msg.data(), msg.size()) != static_cast<ssize_t>(msg.size())) {
    return Unavailable("simulator control pipe closed");
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (buffer_.find('\n') == std::string::npos) {
    if (std::chrono::steady_clock::now() > until)
      return DeadlineExceeded("simulator did not reply");
    pollfd p{from_child_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    ssize_t n = read(from_child_, buf, sizeof buf);
    if (n <= 0) return Unavailable("simulator exited");
    buffer_.append(buf, static_cast<size_t>(n));
  }
  std::string reply = buffer_.substr(0, buffer_.find('\n'));
  buffer_.erase(0, buffer_.find('\n') + 1);
  if (reply.rfind("OK", 0) == 0) return Status();
  return Internal("simulator: " + reply);
}

}  // namespace carnet::itest
