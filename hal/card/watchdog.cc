#include "hal/card/watchdog.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace carnet::hal {
namespace {
struct Done {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
};
}  // namespace

bool RunWithDeadline(std::function<void()> work, std::chrono::milliseconds deadline) {
  auto state = std::make_shared<Done>();
  std::thread worker([state, work = std::move(work)]() {
    work();
    std::lock_guard<std::mutex> lock(state->mu);
    state->done = true;
    state->cv.notify_all();
  });
  bool finished;
  {
    std::unique_lock<std::mutex> lock(state->mu);
    finished = state->cv.wait_for(lock, deadline, [&] { return state->done; });
  }
  if (finished) {
    worker.join();
  } else {
    worker.detach();
  }
  return finished;
}

}  // namespace carnet::hal
