#pragma once
// RunWithDeadline: the watchdog that keeps a stalled reader from hanging the terminal.
//
// PC/SC calls can block for minutes (USB timeouts, LudovicRousseau/CCID#155) or forever (a
// vpcd card that never answers; vpcd has no receive timeout), and SCardCancel only aborts
// SCardGetStatusChange. So the blocking call runs on its own thread; if it has not finished at
// the deadline we stop waiting and return, and the thread is left to finish on its own.
//
// Contract for `work`: it must only touch state it owns or shares through shared_ptr — after a
// missed deadline the caller's stack frame is gone while `work` may still be running.

#include <chrono>
#include <functional>

namespace carnet::hal {

// Returns true if `work` finished within `deadline` (it has then fully returned), false if the
// deadline passed first (the work thread is detached and still running).
bool RunWithDeadline(std::function<void()> work, std::chrono::milliseconds deadline);

}  // namespace carnet::hal
