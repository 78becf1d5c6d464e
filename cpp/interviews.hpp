// Which interviews count: SPEC R20-R28. Twin of python/jobindsats/kernels/interviews.py.
// classify_interviews gives every interview in the window a reason code (COUNTED or the
// rule that rejected it) and returns the number counted after the one-per-day rule (R27).
#pragma once

#include <cstdint>

#include "constants.hpp"
#include "data.hpp"

namespace jobindsats {

// The spell an interview is judged in: its group, start and R24 registration (NO_DATE:
// none). Whether an interview counts (but for the window) is a fact of the interview and
// its spell (SPEC D10), so the kernel classifies each interview once per spell.
struct SpellQuery {
  int64_t group, spell_start, reg;
};

// What classify_interviews needs to know of the measured person x month x group.
struct InterviewQuery {
  int64_t group, spell_start, reg, window_start, ref, interval;
};

// R20/R24: the first day of the interview window: R24's registration while the duration
// is under 12 months, else the window start.
inline int64_t window_first_day(const InterviewQuery& q) {
  return (q.reg != NO_DATE && q.interval < TWELVE_PLUS) ? q.reg : q.window_start;
}

// R24: earliest registration r with spell_start - 3 months <= r < spell_start for spells
// starting on/after 2024-01-01 (dagpenge: no benefits row of dagpenge covers a day of
// [r, spell_start), whatever that day's main benefit); NO_DATE if none.
int64_t prepayment_registration(const Data& d, const Rules& rules, int64_t p, int64_t group,
                                int64_t spell_start);

// R23: is form allowed for trial municipality muni on day?
bool trial_allows(const Rules& rules, int64_t muni, int64_t form, int64_t day);

// R22: the spell's first job interview (from its start, or R24's registration): the
// earliest day with one R21 would consider; NO_DATE if none (or sygedagpenge).
int64_t first_job_interview(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                            const SpellQuery& q, const Timeline& t);

// R21-R26: COUNTED, or the rule that rejects interview i in spell q (the window, R20, and
// the one-per-day rule, R27, aside); `first` from first_job_interview.
int8_t interview_reason(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                        int64_t i, const SpellQuery& q, int64_t first, const Timeline& t);

// Classifies the person's interviews of spell q from row i on while their day is <= ref,
// appending the distinct days (ascending) that interview_reason counts to days[0..*n);
// returns the next row. Called as a spell's months advance, it visits each row once.
int64_t extend_eligible_days(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                             const SpellQuery& q, int64_t first, const Timeline& t, int64_t i,
                             int64_t ref, int32_t* days, int64_t* n);

// R20/R27: counted interviews of a month = eligible days in [lo_day, ref]. at[0..1] are
// the indices of the two bounds found last for this list (any values: they are where the
// search starts) and receive this month's.
int64_t counted_in(const int32_t* days, int64_t n, int64_t lo_day, int64_t ref, int64_t* at);

// R20-R28 for explain: reasons[i - first row] for the interviews from the window's first
// day through ref (COUNTED, a rejecting rule, or R27's duplicate day); returns the count.
int64_t classify_interviews(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                            const InterviewQuery& q, const Timeline& t, int8_t* reasons);

// Quality (SPEC 8): interviews on days without a measured main benefit.
int64_t interviews_without_benefit_day(const Data& d, const Scratch& s, int64_t p,
                                       int64_t n_seg);

}  // namespace jobindsats
