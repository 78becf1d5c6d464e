// Twin of python/jobindsats/kernels/interviews.py.
#include "interviews.hpp"

#include "constants.hpp"
#include "counted.hpp"
#include "dates.hpp"
#include "duration.hpp"
#include "segments.hpp"
#include "spells.hpp"

namespace jobindsats {

// R24: does a benefits row of dagpenge (main benefit or not) cover a day of [a, b]?
static bool dagpenge_paid_in(const Data& d, int64_t lo, int64_t hi, int64_t a, int64_t b) {
  for (int64_t r = lo; r < hi && d.ben_start[r] <= b; ++r)
    if (d.ben_benefit[r] == BENEFIT_DAGPENGE && d.ben_end[r] >= a) return true;
  return false;
}

int64_t prepayment_registration(const Data& d, const Rules& rules, int64_t p, int64_t group,
                                int64_t spell_start) {
  if (spell_start < rules.prepay_from || !((rules.prepay_group_mask >> group) & 1)) return NO_DATE;
  const int64_t earliest = add_months_clamped(spell_start, -rules.prepay_months);
  for (int64_t i = d.reg_off[p]; i < d.reg_off[p + 1]; ++i) {
    const int64_t r = d.reg_date[i];
    if (r < earliest) continue;
    if (r >= spell_start) break;
    if (group == DAGPENGE && dagpenge_paid_in(d, d.ben_off[p], d.ben_off[p + 1], r, spell_start - 1))
      continue;
    return r;
  }
  return NO_DATE;
}

bool trial_allows(const Rules& rules, int64_t muni, int64_t form, int64_t day) {
  for (int64_t t = 0; t < rules.trial_muni.size; ++t)
    if (rules.trial_muni[t] == muni && rules.trial_start[t] <= day && day <= rules.trial_end[t] &&
        ((rules.trial_form_mask[t] >> form) & 1))
      return true;
  return false;
}

// R22(a): was the person in an active offer (any kind) on day?
static bool in_offer(const Data& d, int64_t p, int64_t day) {
  const int64_t lo = d.of_off[p];
  return is_in(day, d.of_off[p + 1] - lo, d.of_start.data + lo, d.of_end.data + lo);
}

// R21/D16 (R26 for sygedagpenge): right kind and holder.
static bool job_interview_considered(int64_t kind, int64_t held_by, int64_t group) {
  if (group == SYGEDAGPENGE) return kind == KIND_SYGEOPFOELGNING;
  if (kind != KIND_JOBSAMTALE) return false;
  return held_by != HOLDER_AKASSE || group == DAGPENGE;
}

// R25: a dagpenge interview counts on a dagpenge day or a day with no main benefit.
static bool dagpenge_day_ok(const Scratch& s, int64_t n_seg, int64_t day) {
  const int64_t j = segment_at(n_seg, s.seg_start.data(), s.seg_end.data(), day);
  return j < 0 || s.seg_key[static_cast<size_t>(j)] == DAGPENGE;
}

// R23: a remote form allowed in a trial municipality, not held by the a-kasse.
static bool remote_trial(const Data& d, const Rules& rules, int64_t i, int64_t form, int64_t day) {
  return d.iv_held_by[i] != HOLDER_AKASSE && trial_allows(rules, d.iv_muni[i], form, day);
}

// R22/R23: is the contact form of interview i (held on day) eligible in spell q?
static bool form_ok(const Data& d, const Rules& rules, const Scratch& s, int64_t p, int64_t i,
                    int64_t day, const SpellQuery& q, int64_t first, const Timeline& t) {
  const int64_t form = d.iv_form[i];
  if (day >= rules.form_rule_from) {
    if (day == first && form != FORM_PERSONLIGT) return remote_trial(d, rules, i, form, day);
    return true;
  }
  if (form == FORM_PERSONLIGT) return true;
  if (in_offer(d, p, day)) return true;  // (a)
  for (int64_t w = 0; w < rules.reopen_start.size; ++w)
    if (rules.reopen_start[w] <= day && day <= rules.reopen_end[w]) return true;  // (b)
  if (day >= rules.remote_6m_from && day >= q.spell_start) {  // (c)
    // D10: the duration on the interview date, as if it were the reference date (R11/R12):
    // for dagpenge with the hour unit of the dagpenge row with the latest start on or before it
    int64_t k;
    if (q.group == DAGPENGE) {
      const HoursContext c = hours_context(d, s, p, t);
      const double h = dagpenge_hours(q.spell_start, day, c, &s.hours_memo);
      const double unit = part_time_on(d, d.ben_off[p], d.ben_off[p + 1], day) ? rules.hours_part
                                                                                : rules.hours_full;
      k = interval_of_months(months_of_hours(h, unit, rules.hours_tolerance));
    } else {
      const DeadDays dead = dead_days_of(s, t, q.group);
      k = interval_of_days(counted_days_between(q.spell_start, day, dead.n, dead.start, dead.end),
                           rules.day_edges);
    }
    if (k >= rules.remote_6m_interval) return true;
  }
  return remote_trial(d, rules, i, form, day);  // (d)
}

int64_t first_job_interview(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                            const SpellQuery& q, const Timeline& t) {
  if (q.group == SYGEDAGPENGE) return NO_DATE;
  const int64_t ilo = d.iv_off[p], ihi = d.iv_off[p + 1];
  const int64_t base = q.reg != NO_DATE ? q.reg : q.spell_start;
  for (int64_t i = lower_bound(d.iv_date, ilo, ihi, base); i < ihi; ++i) {
    const int64_t day = d.iv_date[i];
    // R22: one R21 would consider, so for dagpenge not on a day R25 rejects (pre-payment
    // days of R24 are not subject to R25), whatever its form, in the window or not
    if (job_interview_considered(d.iv_kind[i], d.iv_held_by[i], q.group) &&
        !is_in(day, t.n_odead, s.odead_start.data(), s.odead_end.data()) &&
        !(rules.covid_closed_start <= day && day <= rules.covid_closed_end) &&
        !(q.group == DAGPENGE && day >= q.spell_start && !dagpenge_day_ok(s, t.n_seg, day)))
      return day;
  }
  return NO_DATE;
}

int8_t interview_reason(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                        int64_t i, const SpellQuery& q, int64_t first, const Timeline& t) {
  const int64_t day = d.iv_date[i];
  const int64_t kind = d.iv_kind[i];
  const int64_t held_by = d.iv_held_by[i];
  if (!job_interview_considered(kind, held_by, q.group))
    return (q.group != SYGEDAGPENGE && kind == KIND_JOBSAMTALE) ? REJECT_HOLDER : REJECT_KIND;
  if (is_in(day, t.n_odead, s.odead_start.data(), s.odead_end.data()))
    return REJECT_DEAD_DAY;  // R13
  if (rules.covid_closed_start <= day && day <= rules.covid_closed_end)
    return REJECT_COVID_CLOSED;  // R14
  if (q.group == DAGPENGE && day >= q.spell_start && !dagpenge_day_ok(s, t.n_seg, day))
    return REJECT_OTHER_BENEFIT;  // R25
  if (q.group != SYGEDAGPENGE && !form_ok(d, rules, s, p, i, day, q, first, t))
    return REJECT_FORM;  // R22
  return COUNTED;
}

int64_t extend_eligible_days(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                             const SpellQuery& q, int64_t first, const Timeline& t, int64_t i,
                             int64_t ref, int32_t* days, int64_t* n) {
  const int64_t ihi = d.iv_off[p + 1];
  int64_t k = *n;
  for (; i < ihi && d.iv_date[i] <= ref; ++i) {
    const int32_t day = d.iv_date[i];
    if (k > 0 && days[k - 1] == day) continue;  // R27: the day counts already
    if (interview_reason(d, rules, s, p, i, q, first, t) == COUNTED) days[k++] = day;
  }
  *n = k;
  return i;
}

// The first index i of days[0..n) (ascending) with days[i] >= x, walking from hint (any
// index; clamped to 0..n): a spell's later months find their bounds a few days on.
static int64_t bound_from(const int32_t* days, int64_t n, int64_t x, int64_t hint) {
  int64_t i = hint < 0 ? 0 : (hint > n ? n : hint);
  while (i < n && days[i] < x) ++i;
  while (i > 0 && days[i - 1] >= x) --i;
  return i;
}

int64_t counted_in(const int32_t* days, int64_t n, int64_t lo_day, int64_t ref, int64_t* at) {
  at[0] = bound_from(days, n, lo_day, at[0]);
  at[1] = bound_from(days, n, ref + 1, at[1]);  // the first day after ref
  return at[1] > at[0] ? at[1] - at[0] : 0;
}

int64_t classify_interviews(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                            const InterviewQuery& q, const Timeline& t, int8_t* reasons) {
  const int64_t ilo = d.iv_off[p], ihi = d.iv_off[p + 1];
  const SpellQuery sq{q.group, q.spell_start, q.reg};
  const int64_t first = first_job_interview(d, rules, s, p, sq, t);
  const int64_t lo_day = window_first_day(q);
  int64_t counted = 0;
  int64_t last_day = NO_DATE;
  for (int64_t i = lower_bound(d.iv_date, ilo, ihi, lo_day); i < ihi; ++i) {
    const int64_t day = d.iv_date[i];
    if (day > q.ref) break;
    int8_t reason = interview_reason(d, rules, s, p, i, sq, first, t);
    if (reason == COUNTED) {
      if (day == last_day) {
        reason = REJECT_DUPLICATE_DAY;  // R27
      } else {
        ++counted;
        last_day = day;
      }
    }
    reasons[i - ilo] = reason;
  }
  return counted;
}

int64_t interviews_without_benefit_day(const Data& d, const Scratch& s, int64_t p,
                                       int64_t n_seg) {
  // interviews (sorted by date) and segments (sorted, disjoint) in one merge walk: j is the
  // first segment ending on or after the interview's day (segment_at's)
  int64_t n = 0, j = 0;
  for (int64_t i = d.iv_off[p]; i < d.iv_off[p + 1]; ++i) {
    const int64_t day = d.iv_date[i];
    while (j < n_seg && s.seg_end[static_cast<size_t>(j)] < day) ++j;
    if (j == n_seg || s.seg_start[static_cast<size_t>(j)] > day ||
        s.seg_key[static_cast<size_t>(j)] >= UNMEASURED_KEY)
      ++n;
  }
  return n;
}

}  // namespace jobindsats
