// The session keeper: a small background process `login` leaves behind, holding a shared
// PC/SC handle on the CPS. Without it pcscd powers an unused card down within about a second
// of the last disconnect (measured: a command 1 s after `login` already finds the PIN
// unverified), and the card's PIN state — the only proof of the login — goes with the power.
//
// It holds no secret (no PIN, no key: a card handle only) and exits, never to linger:
//   - when the CPS leaves its reader (the session ends: the saved state is cleared);
//   - when the session goes idle past idle_timeout: it resets the card first, so the card
//     itself forgets the PIN (the next command then reports "session locked");
//   - when another login replaced it (keeper.pid names another process) or the saved session
//     is gone or names another card;
//   - when pcscd goes away.
#include "firmware/app/session_keeper.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "hal/base/clock.h"

namespace carnet::fw::app {
namespace {

std::string PidPath(const TerminalEnv& env) { return env.config.state_dir + "/keeper.pid"; }

bool StillMine(const TerminalEnv& env) {
  std::ifstream in(PidPath(env));
  long pid = 0;
  in >> pid;
  return pid == static_cast<long>(::getpid());
}

// The keeper's loop; returns when it must exit.
void Keep(const TerminalEnv& env, const std::string& reader_name, const std::string& card) {
  auto reader = OpenReaders();
  if (!reader.ok()) return;
  if (!(*reader)->Connect(reader_name, hal::ShareMode::kShared).ok()) return;
  std::vector<hal::ReaderState> known;
  const auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(env.config.idle_timeout);
  while (true) {
    auto changed = (*reader)->WaitForChange(known, std::chrono::milliseconds(1000));
    if (!changed.ok() && changed.status().code() != StatusCode::kAborted) return;
    bool present = false;
    for (const auto& s : known) present = present || (s.name == reader_name && s.card_present);
    if (!known.empty() && !present) {
      ClearSavedSession(env).IgnoreError();
      return;
    }
    if (!StillMine(env)) return;
    const auto saved = LoadSavedSession(env);
    if (!saved || saved->card_number != card) return;
    if (SystemClock::Instance().Now() - saved->last_activity > idle.count()) {
      (*reader)->ResetCard().IgnoreError();  // the card forgets the PIN; the state stays so
      return;                                // the next command reports "session locked"
    }
  }
}

}  // namespace

Status StartSessionKeeper(const TerminalEnv& env,
                          const std::string& reader_name,
                          const std::string& card_number) {
  if (env.config.state_dir.empty()) return FailedPrecondition("no state_dir configured");
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid < 0) return Internal("cannot start the session keeper (fork failed)");
  if (pid > 0) {
    std::ofstream out(PidPath(env), std::ios::trunc);
    out << pid << "\n";
    return out.flush() ? Status() : Internal("cannot write " + PidPath(env));
  }
  // Child: detached from the terminal and the caller's pipes.
  ::setsid();
  const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(null_fd, STDERR_FILENO);
  }
  // The parent writes keeper.pid after fork: give it a moment before the first ownership check.
  for (int i = 0; i < 50 && !StillMine(env); ++i) ::usleep(20000);
  Keep(env, reader_name, card_number);
  std::_Exit(0);
}

}  // namespace carnet::fw::app
