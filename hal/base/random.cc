#include "hal/base/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace carnet {

SystemRandom& SystemRandom::Instance() {
  static SystemRandom r;
  return r;
}

Status SystemRandom::DoFill(MutableByteView out) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unavailable(std::string("getrandom failed: ") + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status FakeRandom::DoFill(MutableByteView out) {
  for (uint8_t& b : out) {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    b = static_cast<uint8_t>(state_ >> 24);
  }
  return Status::Ok();
}

}  // namespace carnet
