// The per-person kernel: one pass over a person's sorted rows produces its
// person x month x group rows (R1-R32, R42, R47). Twin of
// python/jobindsats/kernels/person.py, with the same steps in the same order:
// 1. main benefit per day as keyed segments (R5) and the spell start of each (R6-R9);
// 2. dead periods: ordinary (R13) and ordinary + COVID (R14);
// 3. sickness spells (R9/D6) and category segments (visitation);
// 4. per month: the reference date of each group present (R10), then per group
//    measure_group_month.
#pragma once

#include <cstdint>

#include "data.hpp"

namespace jobindsats {

// R2: the state pension age in months for a birth date.
int64_t pension_months_for(const Rules& rules, int64_t birth);

// Steps 1-3 for person p.
Timeline person_timeline(const Data& d, const Rules& rules, Scratch& s, int64_t p);

// R9: start of the group's spell that contains ref (seg: the index of the main-benefit
// segment containing ref if the caller knows it, else -1: found by a search).
int64_t group_spell_start(const Data& d, const Scratch& s, int64_t p, int64_t group,
                          int64_t ref, const Timeline& t, int64_t seg = -1);

// R11/R12 duration, interval and year band, and the R20 window start (dagpenge: days
// is -1; other groups: hours is NaN).
struct DurationWindow {
  int64_t days = -1;
  double hours = 0.0, unit = 0.0;
  int64_t interval = 0, band = -1, window_start = 0;
};
// R11/R12 alone (window_start = spell_start): the duration without R20's window, for
// callers that need no window (the focus audit's seniority, R45.2).
DurationWindow group_duration(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                              int64_t group, int64_t spell_start, int64_t ref,
                              const Timeline& t);
DurationWindow duration_and_window(const Data& d, const Rules& rules, const Scratch& s,
                                   int64_t p, int64_t group, int64_t spell_start, int64_t ref,
                                   const Timeline& t);

// Everything for one person x month x group, written to row pos of out.
// (seg: the index of the main-benefit segment holding ref)
void measure_group_month(const Data& d, const Rules& rules, Scratch& s, int64_t p,
                         int64_t group, int64_t ref, int64_t seg, int64_t month_first,
                         const Timeline& t, const Rows& out, int64_t pos);

// All rows of person p from pos on; returns how many were written.
int64_t measure_person(const Data& d, const Rules& rules, Scratch& s, int64_t p,
                       View<int32_t> month_first, View<int32_t> month_last, const Rows& out,
                       int64_t pos, int64_t* quality);

}  // namespace jobindsats
