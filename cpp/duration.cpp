// Twin of python/jobindsats/kernels/duration.py.
#include "duration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "constants.hpp"
#include "dates.hpp"
#include "segments.hpp"

namespace jobindsats {

int64_t interval_of_days(int64_t days, View<int32_t> day_edges) {
  int64_t k = 0;
  for (int64_t i = 0; i < day_edges.size; ++i)
    if (days >= day_edges[i]) ++k;
  return k;
}

int64_t band_of_days(int64_t days, View<int32_t> band_day_edges) {
  int64_t b = -1;
  for (int64_t i = 0; i < band_day_edges.size; ++i)
    if (days >= band_day_edges[i]) ++b;
  return b;
}

// R12/D9: every count of months from 12 on gives the same interval, and from the last
// band edge on the same band, so the count is capped at MONTHS_CAP: hours that are finite
// but huge (1e300 in the input passes SPEC §8), or whose sum overflowed to inf, would
// otherwise overflow the conversion to an integer (undefined behaviour; found by
// fuzz/fuzz_check).
constexpr double MONTHS_CAP = 1e12;

int64_t months_of_hours(double hours, double unit, double tolerance) {
  const double months = (hours + tolerance) / unit;
  if (months < MONTHS_CAP) return static_cast<int64_t>(std::floor(months));
  return static_cast<int64_t>(MONTHS_CAP);
}

int64_t band_of_months(int64_t months, View<int32_t> band_months) {
  int64_t b = -1;
  for (int64_t i = 0; i < band_months.size; ++i)
    if (months >= band_months[i]) ++b;
  return b;
}

static int64_t spread_days(int64_t a, int64_t b, bool weekday_only) {
  if (b < a) return 0;
  return weekday_only ? weekdays_between(a, b) : b - a + 1;
}

HoursContext hours_context(const Data& d, const Scratch& s, int64_t p, const Timeline& t) {
  const int64_t blo = d.ben_off[p], bhi = d.ben_off[p + 1];
  const DeadDays dead = dead_days_of(s, t, DAGPENGE);  // hours count on dagpenge's live days
  return HoursContext{&d,
                      blo,
                      bhi,
                      t.n_seg,
                      s.seg_start.data(),
                      s.seg_end.data(),
                      s.seg_key.data(),
                      dead.n,
                      dead.start,
                      dead.end,
                      t.dp_reach,
                      s.dp_term.data()};
}

// Row r's counted days in [s, e]: its weekdays (all its days if it has none) whose main
// benefit is dagpenge and that are not dead.
static int64_t row_days(int64_t s, int64_t e, bool weekday_only, int64_t n_seg,
                        const int32_t* seg_start, const int32_t* seg_end,
                        const int32_t* seg_key, int64_t n_dead, const int32_t* dead_start,
                        const int32_t* dead_end) {
  int64_t k = 0;
  int64_t j = first_ending_at_or_after(n_seg, seg_end, s);
  while (j < n_seg && seg_start[j] <= e) {
    if (seg_key[j] == DAGPENGE) {
      const int64_t x = seg_start[j] > s ? seg_start[j] : s;
      const int64_t y = seg_end[j] < e ? seg_end[j] : e;
      if (x <= y) {
        k += spread_days(x, y, weekday_only);
        for (int64_t q = 0; q < n_dead; ++q) {
          const int64_t dx = dead_start[q] > x ? dead_start[q] : x;
          const int64_t dy = dead_end[q] < y ? dead_end[q] : y;
          if (dx <= dy) k -= spread_days(dx, dy, weekday_only);
        }
      }
    }
    ++j;
  }
  return k;
}

// R12/D7: the hours of dagpenge row [rs, re] (paid h hours) on its counted days in [x, y]:
// h * k / n, k those days, n the row's own days; 0.0 when it has none there.
static double row_hours(double h, int64_t rs, int64_t re, int64_t x, int64_t y, int64_t n_seg,
                        const int32_t* seg_start, const int32_t* seg_end,
                        const int32_t* seg_key, int64_t n_dead, const int32_t* dead_start,
                        const int32_t* dead_end) {
  if (h == 0.0) return 0.0;
  const bool weekday_only = weekdays_between(rs, re) > 0;
  const int64_t k = row_days(x, y, weekday_only, n_seg, seg_start, seg_end, seg_key, n_dead,
                             dead_start, dead_end);
  if (k <= 0) return 0.0;
  return h * static_cast<double>(k) / static_cast<double>(spread_days(rs, re, weekday_only));
}

int64_t dagpenge_row_terms(const Data& d, int64_t lo, int64_t hi, int64_t n_seg,
                           const int32_t* seg_start, const int32_t* seg_end,
                           const int32_t* seg_key, int64_t n_dead, const int32_t* dead_start,
                           const int32_t* dead_end, double* term) {
  int64_t reach = 0;
  for (int64_t r = lo; r < hi; ++r) {
    term[r - lo] = 0.0;
    if (d.ben_benefit[r] != BENEFIT_DAGPENGE) continue;
    const int64_t rs = d.ben_start[r], re = d.ben_end[r];
    if (re - rs > reach) reach = re - rs;
    term[r - lo] = row_hours(d.ben_hours[r], rs, re, rs, re, n_seg, seg_start, seg_end, seg_key,
                             n_dead, dead_start, dead_end);
  }
  return reach;
}

double dagpenge_hours(int64_t a, int64_t b, const HoursContext& c, HoursMemo* memo) {
  const Data& d = *c.d;
  double total = 0.0;
  int64_t r = lower_bound(d.ben_start, c.lo, c.hi, a - c.reach);
  bool extend = false;  // is every row before r final (memo->total their sum)?
  if (memo != nullptr) {
    if (memo->a == a && memo->max_end <= b) {
      r = memo->next_row;
      total = memo->total;
      extend = true;
    } else if (memo->a != a) {
      *memo = HoursMemo{a, r, std::numeric_limits<int64_t>::min(), 0.0};
      extend = true;
    }
  }
  for (; r < c.hi; ++r) {
    if (d.ben_start[r] > b) break;
    const int64_t rs = d.ben_start[r], re = d.ben_end[r];
    // a row's part is final (the same for every later b) unless b cuts it
    const bool counts = d.ben_benefit[r] == BENEFIT_DAGPENGE && re >= a;
    if (counts && rs >= a && re <= b) {  // the whole row: its term (the same hours * k / n)
      const double whole = c.term[r - c.lo];
      if (whole != 0.0) total += whole;
    } else if (counts) {
      // a row cut by a or b: its hours on the counted days inside (0.0 adds nothing)
      total += row_hours(d.ben_hours[r], rs, re, rs > a ? rs : a, re < b ? re : b, c.n_seg,
                         c.seg_start, c.seg_end, c.seg_key, c.n_dead, c.dead_start, c.dead_end);
    }
    if (extend) {
      if (counts && re > b) {
        extend = false;
      } else {
        memo->next_row = r + 1;
        memo->total = total;
        if (counts && re > memo->max_end) memo->max_end = re;
      }
    }
  }
  return total;
}

int64_t hours_window_start(int64_t spell_start, int64_t ref, double target, double tolerance,
                           const HoursContext& c, WindowMemo* memo) {
  // The answer is the latest s in [spell_start, ref] with P(s): hours(s, ref) + tolerance
  // >= target (spell_start if there is none). P is monotone: true up to the answer, false
  // after it (hours(s, ref) sums in row order parts h * k / n that shrink as s grows;
  // rounding is monotone too). Any search that keeps "P(lo) or lo = spell_start" and "not
  // P(hi + 1) or hi = ref" ends on that same day, whatever days it tries.
  int64_t lo = spell_start, hi = ref;
  auto reaches = [&](int64_t s) { return dagpenge_hours(s, ref, c) + tolerance >= target; };
  if (memo != nullptr && memo->spell_start == spell_start && memo->target == target &&
      memo->ref <= ref) {
    if (memo->ref == ref) return memo->start;  // the same question
    // The same spell and target at an earlier reference date: hours(s, ref) only grows
    // with ref, so the earlier answer still reaches (or was spell_start): the answer is
    // not before it. The window slides about as far as the reference date did: try
    // there, then gallop away from it to bracket the answer.
    lo = memo->start;
    int64_t guess = std::min(ref, memo->start + (ref - memo->ref));
    if (guess > lo) {
      if (reaches(guess)) {
        lo = guess;
        for (int64_t step = 1; lo < hi; step *= 2) {
          const int64_t probe = std::min(hi, lo + step);
          if (!reaches(probe)) {
            hi = probe - 1;
            break;
          }
          lo = probe;
        }
      } else {
        hi = guess - 1;
        for (int64_t step = 1; lo < hi; step *= 2) {
          const int64_t probe = hi - step + 1;
          if (probe <= lo) break;
          if (reaches(probe)) {
            lo = probe;
            break;
          }
          hi = probe - 1;
        }
      }
    }
  }
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo + 1) / 2;
    if (reaches(mid))
      lo = mid;
    else
      hi = mid - 1;
  }
  if (memo != nullptr) *memo = WindowMemo{spell_start, ref, lo, target};
  return lo;
}

bool part_time_on(const Data& d, int64_t lo, int64_t hi, int64_t day) {
  // the rows are sorted by start: the last dagpenge row among those starting on or
  // before day
  for (int64_t r = lower_bound(d.ben_start, lo, hi, day + 1); r > lo;) {
    --r;
    if (d.ben_benefit[r] == BENEFIT_DAGPENGE) return d.ben_part_time[r] == 1;
  }
  return false;
}

}  // namespace jobindsats
