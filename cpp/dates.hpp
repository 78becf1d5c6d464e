// Day-number arithmetic. Twin of python/jobindsats/kernels/dates.py.
// A date is a day number: days since 1970-01-01 (Arrow date32). Intervals are closed
// [a, b]. C++ '/' truncates toward zero, so floor division is spelled out.
#pragma once

#include <cstdint>

namespace jobindsats {

inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

struct Civil {
  int64_t y, m, d;
};

inline Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return {y, m, d};
}

inline int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  if (m <= 2) --y;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t mp = m > 2 ? m - 3 : m + 9;
  const int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

inline bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline int64_t days_in_month(int64_t y, int64_t m) {
  if (m == 2) return is_leap(y) ? 29 : 28;
  if (m == 4 || m == 6 || m == 9 || m == 11) return 30;
  return 31;
}

// Number of 29 Februaries on or before day x (up to a constant). Counted in March-based
// years: March-year k of a 400-year era ends with a 29 February exactly when calendar
// year k + 1 is leap, and that day is its day 365.
inline int64_t leap_days_through(int64_t x) {
  const int64_t z = x + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  return era * 97 + yoe / 4 - yoe / 100 + (doy == 365 ? 1 : 0);
}

// From 1900-02-28 to 2100-02-28 (day numbers -25509..47540) every fourth year is leap
// (2000 is), so there the 29 Februaries on or before x are (x + 25509) / 1461 up to a
// constant: a step at 1904-02-29 (-25509 + 1461) and every 1461 days after, the last at
// 2096-02-29. One division instead of leap_days_through's calendar arithmetic.
constexpr int64_t FOUR_YEAR_RULE_FIRST = -25509;
constexpr int64_t FOUR_YEAR_RULE_LAST = 47540;

// D1: number of 29 Februaries in [a, b].
inline int64_t feb29_between(int64_t a, int64_t b) {
  if (b < a) return 0;
  if (a - 1 >= FOUR_YEAR_RULE_FIRST && b <= FOUR_YEAR_RULE_LAST)
    return (b - FOUR_YEAR_RULE_FIRST) / 1461 - (a - 1 - FOUR_YEAR_RULE_FIRST) / 1461;
  return leap_days_through(b) - leap_days_through(a - 1);
}

// Number of Monday-Friday days on or before x (up to a constant); day 0 is a Thursday.
inline int64_t weekdays_through(int64_t x) {
  const int64_t t = x + 3;
  const int64_t w = floor_div(t, 7);
  const int64_t r = t - w * 7;
  return 5 * w + (r < 5 ? r + 1 : 5);
}

// D7: number of Monday-Friday days in [a, b].
inline int64_t weekdays_between(int64_t a, int64_t b) {
  if (b < a) return 0;
  return weekdays_through(b) - weekdays_through(a - 1);
}

inline int64_t last_of_month(int64_t x) {
  const Civil c = civil_from_days(x);
  return x - c.d + days_in_month(c.y, c.m);
}

// D4: does the closed gap [a, b] contain a whole calendar month (1st to last)?
inline bool gap_contains_whole_month(int64_t a, int64_t b) {
  // a month has 28..31 days, and a gap of 61 days or more holds one whichever day it
  // starts on (the longest without: the 2nd of a 31-day month to the 30th of the next)
  if (b - a + 1 < 28) return false;
  if (b - a + 1 >= 61) return true;
  const Civil c = civil_from_days(a);
  const int64_t f = c.d == 1 ? a : a - c.d + days_in_month(c.y, c.m) + 1;
  return last_of_month(f) <= b;
}

// The calendar month k months after the month of c (its day is left as c's).
inline Civil months_later(Civil c, int64_t k) {
  const int64_t t = c.y * 12 + (c.m - 1) + k;
  const int64_t y = floor_div(t, 12);
  return {y, t - y * 12 + 1, c.d};
}

// x plus k calendar months, the day clamped to the month's last day (R24).
inline int64_t add_months_clamped(int64_t x, int64_t k) {
  const Civil c = months_later(civil_from_days(x), k);
  const int64_t dim = days_in_month(c.y, c.m);
  return days_from_civil(c.y, c.m, c.d < dim ? c.d : dim);
}

// R2: the first day on which a person born on `birth` is k months old in completed months
// (months whole since the birth date; a birthday missing from a month is reached on the
// 1st of the next month): the birthday k months on, or the 1st of the month after when
// that month has no such day. Ages only grow, so the age is >= k exactly from this day.
inline int64_t first_day_aged(int64_t birth, int64_t k) {
  const Civil c = months_later(civil_from_days(birth), k);
  const int64_t dim = days_in_month(c.y, c.m);
  if (c.d <= dim) return days_from_civil(c.y, c.m, c.d);
  return days_from_civil(c.y, c.m, dim) + 1;
}

}  // namespace jobindsats
