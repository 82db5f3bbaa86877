#include "hal/base/clock.h"

#include <cstdio>

namespace carnet {
namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3u : 9u)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool Digits(const std::string& s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

UnixMillis SystemClock::DoNow() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::chrono::steady_clock::time_point SystemClock::DoSteady() const {
  return std::chrono::steady_clock::now();
}

std::string FormatRfc3339(UnixMillis t) {
  int64_t days = t >= 0 ? t / 86400000 : (t - 86399999) / 86400000;
  int64_t ms = t - days * 86400000;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[96];
  int64_t secs = ms / 1000;
  int64_t frac = ms % 1000;
  if (frac == 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                  static_cast<long long>(frac));
  }
  return buf;
}

Result<UnixMillis> ParseRfc3339(const std::string& s) {
  auto bad = [&] { return InvalidArgument("not an RFC 3339 time: '" + s.substr(0, 40) + "'"); };
  int y, mo, d, h = 0, mi = 0, se = 0, ms = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d)) {
    return bad();
  }
  if (mo < 1 || mo > 12 || d < 1 ||
      static_cast<unsigned>(d) > DaysInMonth(y, static_cast<unsigned>(mo))) {
    return bad();
  }
  size_t pos = 10;
  int64_t offset_min = 0;
  if (pos < s.size()) {
    if ((s[pos] != 'T' && s[pos] != 't') || !Digits(s, pos + 1, 2, &h) || s.size() < pos + 9 ||
        s[pos + 3] != ':' || !Digits(s, pos + 4, 2, &mi) || s[pos + 6] != ':' ||
        !Digits(s, pos + 7, 2, &se)) {
      return bad();
    }
    pos += 9;
    if (h > 23 || mi > 59 || se > 59) return bad();
    if (pos < s.size() && s[pos] == '.') {
      size_t start = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start || pos - start > 9) return bad();
      std::string frac = s.substr(start, pos - start) + "00";
      ms = std::stoi(frac.substr(0, 3));
    }
    if (pos >= s.size()) return bad();  // a time of day needs an explicit zone
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!Digits(s, pos + 1, 2, &oh) || s.size() < pos + 6 || s[pos + 3] != ':' ||
          !Digits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
        return bad();
      }
      offset_min = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
      pos += 6;
    } else {
      return bad();
    }
    if (pos != s.size()) return bad();
  }
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi - offset_min) * 60000 + int64_t{se} * 1000 + ms;
}

}  // namespace carnet
