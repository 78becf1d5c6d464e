// Which interviews count: SPEC R20-R28. Twin of python/jobindsats/kernels/interviews.py.
// classify_interviews gives every interview in the window a reason code (COUNTED or the
// rule that rejected it) and returns the number counted after the one-per-day rule (R27).
#pragma once

#include <cstdint>

#include "data.hpp"

namespace jobindsats {

// What classify_interviews needs to know of the measured person x month x group.
struct InterviewQuery {
  int64_t group, spell_start, reg, window_start, ref, interval;
};

// R24: earliest registration r with spell_start - 3 months <= r < spell_start for spells
// starting on/after 2024-01-01 (dagpenge: no benefits row of dagpenge covers a day of
// [r, spell_start), whatever that day's main benefit); NO_DATE if none.
int64_t prepayment_registration(const Data& d, const Rules& rules, const Scratch& s,
                                int64_t p, int64_t group, int64_t spell_start,
                                const Timeline& t);

// R23: is form allowed for trial municipality muni on day?
bool trial_allows(const Rules& rules, int64_t muni, int64_t form, int64_t day);

// R20-R28: reasons[i - first row] for the interviews in the window; returns the count.
int64_t classify_interviews(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                            const InterviewQuery& q, const Timeline& t, int8_t* reasons);

// Quality (SPEC 8): interviews on days without a measured main benefit.
int64_t interviews_without_benefit_day(const Data& d, const Scratch& s, int64_t p,
                                       int64_t n_seg);

}  // namespace jobindsats
