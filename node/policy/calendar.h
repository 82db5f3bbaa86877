#pragma once
// Time arithmetic for the legal delays, on UTC calendar dates.
//
// Choice: "N months" is a CALENDAR month, the French legal computation (Code de procédure
// civile art. 641: a delay in months ends on the day with the same number in the last month,
// or on the last day of that month when it has no such day). So 31 Jan + 1 month = 28 Feb (29
// in a leap year), and 29 Feb 2024 + 10 years = 28 Feb 2034. A "month" of 30 days would make
// a delay depend on which month it starts in (28..31 days) in a way no patient expects.
// Years are 12 calendar months. Weeks are exactly 7 × 24 h. The time of day is kept, to the
// millisecond; dates are UTC (the node stores UTC; at most a few hours from Paris time).
// Every delay is reached AT the computed instant: "visible after 1 month" means visible when
// now >= deposited_at + 1 month.

#include "hal/base/clock.h"

namespace carnet::node::policy {

inline constexpr UnixMillis kMillisPerDay = 86'400'000;
inline constexpr UnixMillis kMillisPerWeek = 7 * kMillisPerDay;

UnixMillis AddMonths(UnixMillis t, int months);
inline UnixMillis AddYears(UnixMillis t, int years) { return AddMonths(t, 12 * years); }
inline UnixMillis AddWeeks(UnixMillis t, int weeks) { return t + weeks * kMillisPerWeek; }

// The legal delays of DESIGN §4, in one place.
inline UnixMillis PatientNoticeDue(UnixMillis deposited) { return AddWeeks(deposited, 2); }
inline UnixMillis AutomaticReveal(UnixMillis deposited) { return AddMonths(deposited, 1); }
inline UnixMillis RetentionEnd(UnixMillis closed) { return AddYears(closed, 10); }
inline UnixMillis DeletionDue(UnixMillis requested) { return AddMonths(requested, 3); }

}  // namespace carnet::node::policy
