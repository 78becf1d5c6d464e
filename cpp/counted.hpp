// Dead periods and counted days: SPEC R11, R13, R14, D1.
// Twin of python/jobindsats/kernels/counted.py. A counted day is neither dead (R13
// ordinary, R14 COVID) nor 29 February (D1); dead days are a short sorted list of
// disjoint closed intervals, so counting is arithmetic over that list.
#pragma once

#include <cstdint>

#include "span.hpp"

namespace jobindsats {

// R13: union of the exemption rows with a dead code, as disjoint sorted intervals.
int64_t ordinary_dead_periods(View<int16_t> ex_code, View<int32_t> ex_start,
                              View<int32_t> ex_end, int64_t lo, int64_t hi,
                              View<int16_t> dead_codes, int32_t* out_start, int32_t* out_end);

// Union of a sorted disjoint list with k more sorted disjoint intervals (R14: a group's
// COVID dead periods); adjacent intervals merge. Writes at most n + k intervals.
int64_t add_periods(int64_t n, const int32_t* in_start, const int32_t* in_end, int64_t k,
                    const int32_t* add_start, const int32_t* add_end, int32_t* out_start,
                    int32_t* out_end);

// R11/D1: counted days in [a, b].
int64_t counted_days_between(int64_t a, int64_t b, int64_t n_dead, const int32_t* dead_start,
                             const int32_t* dead_end);

// R3: is every day of [a, b] inside the dead intervals?
bool all_dead_in(int64_t a, int64_t b, int64_t n_dead, const int32_t* dead_start,
                 const int32_t* dead_end);

// Is day inside one of n intervals sorted by start (overlaps allowed)?
bool is_in(int64_t day, int64_t n, const int32_t* starts, const int32_t* ends);

// R20/R44: the latest day s >= spell_start with counted_days_between(s, ref) >= days
// (spell_start if the spell has fewer counted days).
int64_t counted_window_start(int64_t spell_start, int64_t ref, int64_t days, int64_t n_dead,
                             const int32_t* dead_start, const int32_t* dead_end);

}  // namespace jobindsats
