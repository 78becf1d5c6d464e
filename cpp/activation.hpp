// R41 activation focus target, R44 passivity and the R43 samtaletal requirement: the
// per-row activity flags. Twin of python/jobindsats/kernels/activation.py.
#pragma once

#include <cstdint>

#include "data.hpp"

namespace jobindsats {

// Bits of Rows::activity (docs/kernel.md).
constexpr int64_t NO_ACTIVATION_BIT = 0;  // R41: no offer day in the R20 window (+ hours)
constexpr int64_t FIRST_PASSIVE_BIT = 1;  // R44: bit 1 + k = no offer day in window k
constexpr int64_t SAMTALETAL_MET_BIT = 6;  // R43: counted >= the row's requirement N
constexpr int64_t N_PASSIVITY_WINDOWS = 5;

// The latest offer day (any kind) on or before ref, NO_DATE if none; offer rows closed
// [start, end], sorted by start.
int64_t last_offer_day(const Data& d, int64_t p, int64_t ref);

// R41: paid working hours of the employment rows whose month (its first day) lies in the
// closed window [from, to].
double employment_hours_between(const Data& d, int64_t p, int64_t from, int64_t to);

struct ActivityQuery {
  int64_t group, category, spell_start, window_start, ref, interval, counted;
  bool excluded, exempt;
};

// The flags of one person x month x group row. R41/R44 flags only for non-excluded
// rows with interval 12+ (exempt ones included); the R43 flag only for non-excluded,
// non-exempt rows of a group/category that has a requirement.
uint8_t activity_flags(const Data& d, const Rules& rules, int64_t p, const ActivityQuery& q,
                       int64_t n_dead, const int32_t* dead_start, const int32_t* dead_end);

}  // namespace jobindsats
