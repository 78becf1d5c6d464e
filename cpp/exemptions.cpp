// Twin of python/jobindsats/kernels/exemptions.py.
#include "exemptions.hpp"

#include "constants.hpp"
#include "counted.hpp"
#include "segments.hpp"

namespace jobindsats {

static constexpr int64_t ALL_CATEGORY_BITS = 31;  // bits 0..3 categories, bit 4 unknown

// Insertion sort of n closed pieces by (start, end).
static void sort_pieces(int32_t* starts, int32_t* ends, int64_t n) {
  for (int64_t i = 1; i < n; ++i) {
    const int32_t s = starts[i], e = ends[i];
    int64_t j = i - 1;
    while (j >= 0 && (starts[j] > s || (starts[j] == s && ends[j] > e))) {
      starts[j + 1] = starts[j];
      ends[j + 1] = ends[j];
      --j;
    }
    starts[j + 1] = s;
    ends[j + 1] = e;
  }
}

int64_t qualifying_exempt_days(const Data& d, const Rules& rules, Scratch& s, int64_t p,
                               int64_t group, const Timeline& t, int64_t window_start,
                               int64_t ref) {
  const DeadDays dead = dead_days_of(s, t, group);
  int64_t n = 0;
  int32_t* qs = s.q_start.data();
  int32_t* qe = s.q_end.data();
  const int64_t unknown_bit = int64_t{1} << UNKNOWN_CATEGORY_BIT;
  for (int64_t r = d.ex_off[p]; r < d.ex_off[p + 1]; ++r) {
    if (d.ex_start[r] > ref) break;  // rows are sorted by start: none later reaches the window
    const int64_t code = d.ex_code[r];
    if (code < 0 || code >= rules.exempt_codes) continue;
    const int64_t mask = rules.exempt_mask[group * rules.exempt_codes + code];
    if (mask == 0) continue;
    const int64_t a = d.ex_start[r] > window_start ? d.ex_start[r] : window_start;
    const int64_t e = d.ex_end[r] < ref ? d.ex_end[r] : ref;
    if (a > e) continue;
    if (mask == ALL_CATEGORY_BITS) {
      qs[n] = static_cast<int32_t>(a);
      qe[n] = static_cast<int32_t>(e);
      ++n;
      continue;
    }
    // category-specific code: split the row by the category of each day
    int64_t pos = a;
    int64_t j = first_ending_at_or_after(t.n_cat, s.cat_end.data(), a);
    while (j < t.n_cat && s.cat_start[static_cast<size_t>(j)] <= e) {
      const int64_t cs = s.cat_start[static_cast<size_t>(j)];
      const int64_t ce = s.cat_end[static_cast<size_t>(j)];
      const int64_t x = cs > a ? cs : a;
      const int64_t y = ce < e ? ce : e;
      if (x > pos && (mask & unknown_bit)) {
        qs[n] = static_cast<int32_t>(pos);
        qe[n] = static_cast<int32_t>(x - 1);
        ++n;
      }
      if ((mask >> s.cat_key[static_cast<size_t>(j)]) & 1) {
        qs[n] = static_cast<int32_t>(x);
        qe[n] = static_cast<int32_t>(y);
        ++n;
      }
      pos = y + 1;
      ++j;
    }
    if (pos <= e && (mask & unknown_bit)) {
      qs[n] = static_cast<int32_t>(pos);
      qe[n] = static_cast<int32_t>(e);
      ++n;
    }
  }
  sort_pieces(qs, qe, n);
  int64_t total = 0, i = 0;
  while (i < n) {
    const int64_t a = qs[i];
    int64_t b = qe[i];
    ++i;
    while (i < n && qs[i] <= b + 1) {
      if (qe[i] > b) b = qe[i];
      ++i;
    }
    total += counted_days_between(a, b, dead.n, dead.start, dead.end);
  }
  return total;
}

bool is_exempt(const Data& d, const Rules& rules, Scratch& s, int64_t p, int64_t group,
               const Timeline& t, int64_t spell_start, int64_t window_start, int64_t ref,
               int64_t interval) {
  const int64_t num = qualifying_exempt_days(d, rules, s, p, group, t, window_start, ref);
  const bool in_2024 = ref >= rules.exempt24_from && interval < rules.exempt24_below_interval;
  const int64_t pct = in_2024 ? rules.exempt24_pct : rules.exempt_pct;
  // the share's denominator only when it can matter: with no qualifying day and a
  // positive threshold the share is below it whatever the window's counted days
  bool share = false;
  if (num > 0 || pct <= 0) {
    const DeadDays dead = dead_days_of(s, t, group);
    const int64_t den = counted_days_between(window_start, ref, dead.n, dead.start, dead.end);
    share = den > 0 && 100 * num >= pct * den;
  }
  if (in_2024 && !share)
    return union_days(d.mii_start, d.mii_end, d.mii_off[p], d.mii_off[p + 1], spell_start,
                      ref) >= rules.mii_days;
  return share;
}

}  // namespace jobindsats
