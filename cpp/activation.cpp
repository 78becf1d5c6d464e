// Twin of python/jobindsats/kernels/activation.py.
#include "activation.hpp"

#include "constants.hpp"
#include "counted.hpp"
#include "segments.hpp"

namespace jobindsats {

int64_t last_offer_day(const Data& d, int64_t p, int64_t ref) {
  int64_t last = NO_DATE;
  for (int64_t r = d.of_off[p]; r < d.of_off[p + 1] && d.of_start[r] <= ref; ++r) {
    const int64_t until = d.of_end[r] < ref ? d.of_end[r] : ref;
    if (until > last) last = until;
  }
  return last;
}

double employment_hours_between(const Data& d, int64_t p, int64_t from, int64_t to) {
  double hours = 0.0;
  const int64_t hi = d.emp_off[p + 1];
  for (int64_t r = lower_bound(d.emp_month, d.emp_off[p], hi, from); r < hi && d.emp_month[r] <= to;
       ++r)
    hours += d.emp_hours[r];
  return hours;
}

uint8_t activity_flags(const Data& d, const Rules& rules, int64_t p, const ActivityQuery& q,
                       int64_t n_dead, const int32_t* dead_start, const int32_t* dead_end) {
  if (q.excluded) return 0;
  uint8_t flags = 0;
  // R43: the requirement of the row's group and category (category -1 = none/unknown)
  const int64_t required =
      rules.samtaletal_required[q.group * rules.samtaletal_stride + q.category + 1];
  if (!q.exempt && required >= 0 && q.counted >= required)
    flags = static_cast<uint8_t>(flags | (1 << SAMTALETAL_MET_BIT));
  if (q.interval < TWELVE_PLUS) return flags;
  const int64_t last_offer = last_offer_day(d, p, q.ref);
  // R41: no offer day in the R20 window; dagpenge also under 225 paid working hours
  bool no_activation = last_offer < q.window_start;
  if (no_activation && q.group == DAGPENGE)
    no_activation = employment_hours_between(d, p, q.window_start, q.ref) <
                    rules.activation_hours;
  if (no_activation) flags = static_cast<uint8_t>(flags | (1 << NO_ACTIVATION_BIT));
  // R44: no offer day in the latest k counted days ending on the reference date, from
  // the spell start on. That window starts after the last offer day exactly when the
  // offer lies before the spell, or the counted days after it through the reference date
  // number at least k (counted_window_start is the latest such start): one count, not
  // five window walks. (k >= 1: the rules' passivity windows are positive.)
  const int64_t after_offer =
      last_offer < q.spell_start
          ? -1
          : counted_days_between(last_offer + 1, q.ref, n_dead, dead_start, dead_end);
  for (int64_t k = 0; k < N_PASSIVITY_WINDOWS; ++k)
    if (after_offer < 0 || after_offer >= rules.passivity_days[k])
      flags = static_cast<uint8_t>(flags | (1 << (FIRST_PASSIVE_BIT + k)));
  return flags;
}

}  // namespace jobindsats
