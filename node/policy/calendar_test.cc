#include "node/policy/calendar.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace carnet::node::policy {
namespace {

UnixMillis T(const char* text) { return *ParseRfc3339(text); }
std::string F(UnixMillis t) { return FormatRfc3339(t); }

}  // namespace

TEST_GROUP(Calendar){};

TEST(Calendar, AddsCalendarMonthsKeepingTheDay) {
  STRCMP_EQUAL("2026-04-15T10:20:30.456Z", F(AddMonths(T("2026-03-15T10:20:30.456Z"), 1)).c_str());
  STRCMP_EQUAL("2027-01-15T00:00:00Z", F(AddMonths(T("2026-12-15T00:00:00Z"), 1)).c_str());
  STRCMP_EQUAL("2025-12-15T00:00:00Z", F(AddMonths(T("2026-01-15T00:00:00Z"), -1)).c_str());
  STRCMP_EQUAL("1969-12-31T23:00:00Z",
               F(AddMonths(T("1969-11-30T23:00:00Z"), 1) + 86400000).c_str());
}

TEST(Calendar, ClampsToTheLastDayOfAShorterMonth) {
  // Code de procédure civile art. 641: no same-numbered day -> last day of the month.
  STRCMP_EQUAL("2026-02-28T12:00:00Z", F(AddMonths(T("2026-01-31T12:00:00Z"), 1)).c_str());
  STRCMP_EQUAL("2024-02-29T12:00:00Z", F(AddMonths(T("2024-01-31T12:00:00Z"), 1)).c_str());
  STRCMP_EQUAL("2026-04-30T00:00:00Z", F(AddMonths(T("2026-03-31T00:00:00Z"), 1)).c_str());
  STRCMP_EQUAL("2026-06-30T00:00:00Z", F(AddMonths(T("2026-03-31T00:00:00Z"), 3)).c_str());
  // Not "30 days": 1 Feb + 1 month is 1 Mar (28 days later), 1 Mar + 1 month is 1 Apr (31).
  CHECK(AddMonths(T("2026-02-01"), 1) - T("2026-02-01") == 28 * kMillisPerDay);
  CHECK(AddMonths(T("2026-03-01"), 1) - T("2026-03-01") == 31 * kMillisPerDay);
}

TEST(Calendar, YearsAreTwelveMonths) {
  STRCMP_EQUAL("2034-02-28T08:00:00Z", F(AddYears(T("2024-02-29T08:00:00Z"), 10)).c_str());
  STRCMP_EQUAL("2036-05-01T00:00:00Z", F(RetentionEnd(T("2026-05-01T00:00:00Z"))).c_str());
  STRCMP_EQUAL("2000-02-29T00:00:00Z", F(AddYears(T("1996-02-29T00:00:00Z"), 4)).c_str());
  STRCMP_EQUAL("2100-02-28T00:00:00Z", F(AddYears(T("2096-02-29T00:00:00Z"), 4)).c_str());
}

TEST(Calendar, LegalDelays) {
  const UnixMillis t = T("2026-01-31T09:00:00Z");
  STRCMP_EQUAL("2026-02-14T09:00:00Z", F(PatientNoticeDue(t)).c_str());  // 14 × 24 h
  STRCMP_EQUAL("2026-02-28T09:00:00Z", F(AutomaticReveal(t)).c_str());
  STRCMP_EQUAL("2026-04-30T09:00:00Z", F(DeletionDue(t)).c_str());
  STRCMP_EQUAL("2036-01-31T09:00:00Z", F(RetentionEnd(t)).c_str());
}

}  // namespace carnet::node::policy
