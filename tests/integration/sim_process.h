#pragma once
// SimProcess: runs carnet-cardsim as a child process and drives its control channel (stdin
// commands, "OK"/"ERR" replies on stdout). The binary comes from $CARNET_CARDSIM_BIN.
// The destructor always stops the child (QUIT, then SIGKILL after 2 s).

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "hal/base/status.h"

namespace carnet::itest {

class SimProcess {
 public:
  static Result<std::unique_ptr<SimProcess>> Start(const std::vector<std::string>& args);
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  // Sends one control line and waits (up to 5 s) for its reply; OK → Status(), ERR → error.
  Status Command(const std::string& line);

 private:
  SimProcess(pid_t pid, int to_child, int from_child)
      : pid_(pid), to_child_(to_child), from_child_(from_child) {}
  pid_t pid_;
  int to_child_;
  int from_child_;
  std::string buffer_;
};

}  // namespace carnet::itest
