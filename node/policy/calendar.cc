#include "node/policy/calendar.h"

#include <cstdint>

namespace carnet::node::policy {
namespace {

// Days since 1970-01-01 <-> proleptic Gregorian date (H. Hinnant, "chrono-Compatible
// Low-Level Date Algorithms").
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

UnixMillis AddMonths(UnixMillis t, int months) {
  const int64_t days = FloorDiv(t, kMillisPerDay);
  const int64_t time_of_day = t - days * kMillisPerDay;
  int64_t y, m, d;
  CivilFromDays(days, &y, &m, &d);
  const int64_t index = y * 12 + (m - 1) + months;
  const int64_t ny = FloorDiv(index, 12);
  const int64_t nm = index - ny * 12 + 1;
  const int64_t nd = d < DaysInMonth(ny, nm) ? d : DaysInMonth(ny, nm);
  return DaysFromCivil(ny, nm, nd) * kMillisPerDay + time_of_day;
}

}  // namespace carnet::node::policy
