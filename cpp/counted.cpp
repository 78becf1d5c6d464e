// Twin of python/jobindsats/kernels/counted.py.
#include "counted.hpp"

#include "dates.hpp"

namespace jobindsats {

int64_t ordinary_dead_periods(View<int16_t> ex_code, View<int32_t> ex_start,
                              View<int32_t> ex_end, int64_t lo, int64_t hi,
                              View<int16_t> dead_codes, int32_t* out_start, int32_t* out_end) {
  int64_t n = 0;
  for (int64_t r = lo; r < hi; ++r) {
    bool is_dead = false;
    for (int64_t c = 0; c < dead_codes.size; ++c)
      if (ex_code[r] == dead_codes[c]) is_dead = true;
    if (!is_dead) continue;
    const int32_t s = ex_start[r];
    const int32_t e = ex_end[r];
    if (n > 0 && static_cast<int64_t>(s) <= static_cast<int64_t>(out_end[n - 1]) + 1) {
      if (e > out_end[n - 1]) out_end[n - 1] = e;
    } else {
      out_start[n] = s;
      out_end[n] = e;
      ++n;
    }
  }
  return n;
}

int64_t add_periods(int64_t n, const int32_t* in_start, const int32_t* in_end, int64_t k,
                    const int32_t* add_start, const int32_t* add_end, int32_t* out_start,
                    int32_t* out_end) {
  int64_t m = 0, i = 0, j = 0;
  while (i < n || j < k) {
    int64_t a, b;
    if (j < k && (i >= n || add_start[j] <= in_start[i])) {
      a = add_start[j];
      b = add_end[j];
      ++j;
    } else {
      a = in_start[i];
      b = in_end[i];
      ++i;
    }
    if (m > 0 && a <= static_cast<int64_t>(out_end[m - 1]) + 1) {
      if (b > out_end[m - 1]) out_end[m - 1] = static_cast<int32_t>(b);
    } else {
      out_start[m] = static_cast<int32_t>(a);
      out_end[m] = static_cast<int32_t>(b);
      ++m;
    }
  }
  return m;
}

int64_t counted_days_between(int64_t a, int64_t b, int64_t n_dead, const int32_t* dead_start,
                             const int32_t* dead_end) {
  if (b < a) return 0;
  int64_t total = (b - a + 1) - feb29_between(a, b);
  for (int64_t i = 0; i < n_dead; ++i) {
    const int64_t s = dead_start[i] > a ? dead_start[i] : a;
    const int64_t e = dead_end[i] < b ? dead_end[i] : b;
    if (s <= e) total -= (e - s + 1) - feb29_between(s, e);
  }
  return total;
}

bool all_dead_in(int64_t a, int64_t b, int64_t n_dead, const int32_t* dead_start,
                 const int32_t* dead_end) {
  for (int64_t i = 0; i < n_dead; ++i)
    if (dead_start[i] <= a && a <= dead_end[i]) return dead_end[i] >= b;
  return false;
}

bool is_in(int64_t day, int64_t n, const int32_t* starts, const int32_t* ends) {
  for (int64_t i = 0; i < n; ++i) {
    if (starts[i] > day) return false;
    if (ends[i] >= day) return true;
  }
  return false;
}

int64_t counted_window_start(int64_t spell_start, int64_t ref, int64_t days, int64_t n_dead,
                             const int32_t* dead_start, const int32_t* dead_end) {
  // Walk back from ref over the live stretches between the dead periods (sorted,
  // disjoint), instead of a binary search over days: O(dead periods).
  int64_t remaining = days, hi = ref, i = n_dead - 1;
  while (hi >= spell_start) {
    while (i >= 0 && dead_start[i] > hi) --i;
    if (i >= 0 && dead_end[i] >= hi) {  // hi is a dead day: continue before the period
      hi = static_cast<int64_t>(dead_start[i]) - 1;
      --i;
      continue;
    }
    const int64_t lo = i >= 0 && dead_end[i] + 1 > spell_start ? dead_end[i] + 1 : spell_start;
    const int64_t live = (hi - lo + 1) - feb29_between(lo, hi);
    if (live >= remaining) {
      // the latest x with remaining counted days in [x, hi] (a 29 February is not one)
      int64_t x = hi - remaining + 1;
      while ((hi - x + 1) - feb29_between(x, hi) < remaining) --x;
      return x;
    }
    remaining -= live;
    if (lo == spell_start) break;
    hi = static_cast<int64_t>(dead_start[i]) - 1;
    --i;
  }
  return spell_start;  // fewer counted days than asked for: the window is the whole spell
}

}  // namespace jobindsats
