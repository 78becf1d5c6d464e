// Duration, intervals and dagpenge hours: SPEC R11, R12, D7, D9.
// Twin of python/jobindsats/kernels/duration.py. A row's hours are spread evenly over the
// weekdays of [start, end] (over all its days if it has none); a day contributes only if
// its main benefit is dagpenge and it is not dead. A row's part is hours * k / n.
#pragma once

#include <cstdint>

#include "constants.hpp"
#include "data.hpp"

namespace jobindsats {

int64_t interval_of_days(int64_t days, View<int32_t> day_edges);        // R12
int64_t band_of_days(int64_t days, View<int32_t> band_day_edges);       // R12
int64_t months_of_hours(double hours, double unit, double tolerance);  // R12/D9
int64_t band_of_months(int64_t months, View<int32_t> band_months);
inline int64_t interval_of_months(int64_t months) { return months < 12 ? months : 12; }

// Counted-for-hours segments context of one person.
struct HoursContext {
  const Data* d;
  int64_t lo, hi;  // benefit rows of the person
  int64_t n_seg;
  const int32_t *seg_start, *seg_end, *seg_key;
  int64_t n_dead;
  const int32_t *dead_start, *dead_end;
  int64_t reach;  // longest end - start of the person's dagpenge rows: a row starting
                  // before a - reach cannot reach day a
  const double* term;  // dagpenge_row_terms, indexed by row - lo
};

// Once per person: term[r - lo] = the hours of dagpenge row r over all its own days
// (hours * k / n, 0 when k = 0), so dagpenge_hours computes only the rows cut by [a, b];
// returns the reach (HoursContext).
int64_t dagpenge_row_terms(const Data& d, int64_t lo, int64_t hi, int64_t n_seg,
                           const int32_t* seg_start, const int32_t* seg_end,
                           const int32_t* seg_key, int64_t n_dead, const int32_t* dead_start,
                           const int32_t* dead_end, double* term);

// The hours context of person p (its rows, segments, dead days and row terms).
HoursContext hours_context(const Data& d, const Scratch& s, int64_t p, const Timeline& t);

// R12/D7: paid dagpenge hours on the counted-for-hours days of [a, b] (memo: optional).
double dagpenge_hours(int64_t a, int64_t b, const HoursContext& c, HoursMemo* memo = nullptr);

// R20: the latest day s whose hours through ref reach target (memo: optional, the
// person's previous answer, see WindowMemo).
int64_t hours_window_start(int64_t spell_start, int64_t ref, double target, double tolerance,
                           const HoursContext& c, WindowMemo* memo = nullptr);

// R12: part-time status of the dagpenge row with the latest start on or before day.
bool part_time_on(const Data& d, int64_t lo, int64_t hi, int64_t day);

}  // namespace jobindsats
