#pragma once
// Time, as an interface so that every time-based rule (freshness windows, idle locks,
// retention) can be tested with a fake clock.

#include <chrono>
#include <cstdint>
#include <string>

#include "hal/base/status.h"

namespace carnet {

// Milliseconds since the Unix epoch, UTC. Wall time: what requests and trace entries carry.
using UnixMillis = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (may jump when the system clock is set).
  UnixMillis Now() const { return DoNow(); }
  // Monotonic time for timeouts; never goes back.
  std::chrono::steady_clock::time_point Steady() const { return DoSteady(); }

 private:
  virtual UnixMillis DoNow() const = 0;
  virtual std::chrono::steady_clock::time_point DoSteady() const = 0;
};

class SystemClock final : public Clock {
 public:
  static SystemClock& Instance();

 private:
  UnixMillis DoNow() const override;
  std::chrono::steady_clock::time_point DoSteady() const override;
};

// A clock that only moves when told to. Unit tests only.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixMillis start = 0) : now_(start) {}
  void Set(UnixMillis t) { now_ = t; }
  void Advance(std::chrono::milliseconds d) {
    now_ += d.count();
    steady_ += d;
  }

 private:
  UnixMillis DoNow() const override { return now_; }
  std::chrono::steady_clock::time_point DoSteady() const override {
    return std::chrono::steady_clock::time_point(steady_);
  }
  UnixMillis now_;
  std::chrono::steady_clock::duration steady_{};
};

// RFC 3339 / ISO 8601 in UTC ("2026-11-22T10:00:00Z", with ".123" when there are millis).
std::string FormatRfc3339(UnixMillis t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]" and "YYYY-MM-DD" (midnight UTC). Rejects
// out-of-range fields (month 13, Feb 30) rather than normalising them.
Result<UnixMillis> ParseRfc3339(const std::string& text);

}  // namespace carnet
