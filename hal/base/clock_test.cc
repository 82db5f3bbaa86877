#include "hal/base/clock.h"

#include <CppUTest/TestHarness.h>

namespace carnet {

TEST_GROUP(Clock){};

TEST(Clock, ParsesAndFormatsRfc3339) {
  Result<UnixMillis> t = ParseRfc3339("2026-11-22T10:00:00Z");
  CHECK_TRUE(t.ok());
  CHECK(*t == 1795341600000LL);
  STRCMP_EQUAL("2026-11-22T10:00:00Z", FormatRfc3339(*t).c_str());
  STRCMP_EQUAL("1970-01-01T00:00:00.001Z", FormatRfc3339(1).c_str());
}

TEST(Clock, HonoursOffsetsAndDates) {
  CHECK(*ParseRfc3339("2026-11-22T11:30:00+01:30") == *ParseRfc3339("2026-11-22T10:00:00Z"));
  CHECK(*ParseRfc3339("2026-11-22") == *ParseRfc3339("2026-11-22T00:00:00Z"));
  CHECK(*ParseRfc3339("2024-02-29T00:00:00.5Z") == *ParseRfc3339("2024-02-29T00:00:00Z") + 500);
}

TEST(Clock, RejectsImpossibleTimes) {
  CHECK_FALSE(ParseRfc3339("2026-13-01T00:00:00Z").ok());
  CHECK_FALSE(ParseRfc3339("2026-02-29T00:00:00Z").ok());  // not a leap year
  CHECK_FALSE(ParseRfc3339("2026-11-22T24:00:00Z").ok());
  CHECK_FALSE(ParseRfc3339("2026-11-22T10:00:00").ok());  // no zone
  CHECK_FALSE(ParseRfc3339("2026-11-22T10:00:00Zjunk").ok());
  CHECK_FALSE(ParseRfc3339("").ok());
}

TEST(Clock, FakeClockMovesOnlyWhenTold) {
  FakeClock c(1000);
  CHECK(c.Now() == 1000);
  auto s0 = c.Steady();
  c.Advance(std::chrono::milliseconds(250));
  CHECK(c.Now() == 1250);
  CHECK(c.Steady() - s0 == std::chrono::milliseconds(250));
}

}  // namespace carnet
