// Twin of python/jobindsats/kernels/person.py.
#include "person_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "activation.hpp"
#include "constants.hpp"
#include "counted.hpp"
#include "dates.hpp"
#include "duration.hpp"
#include "exemptions.hpp"
#include "interviews.hpp"
#include "segments.hpp"
#include "spells.hpp"

namespace jobindsats {

void Scratch::reserve_for(int64_t n_ben, int64_t n_ex, int64_t n_vis, int64_t n_iv,
                          int64_t n_covid) {
  const size_t kb = static_cast<size_t>(std::max<int64_t>(n_ben, 1));
  const size_t kv = static_cast<size_t>(std::max<int64_t>(n_vis, 1));
  const size_t kp = std::max(kb, kv);
  const size_t ke = static_cast<size_t>(n_ex);
  auto grow = [](std::vector<int32_t>& v, size_t n) {
    if (v.size() < n) v.resize(n);
  };
  grow(rank, kb);
  grow(bounds, 2 * kp);
  grow(active, kp);
  for (auto* v : {&seg_start, &seg_end, &seg_row, &seg_key, &seg_spell}) grow(*v, 2 * kb);
  for (auto* v : {&odead_start, &odead_end}) grow(*v, ke + 1);
  const size_t stride = ke + static_cast<size_t>(n_covid) + 1;
  if (stride > dead_stride) {
    dead_stride = stride;
    for (auto* v : {&dead_start, &dead_end}) grow(*v, static_cast<size_t>(N_GROUPS) * stride);
  }
  for (auto* v : {&syg_start, &syg_end}) grow(*v, kb);
  grow(cat_rank, kv);
  for (auto* v : {&cat_start, &cat_end, &cat_row, &cat_key}) grow(*v, 2 * kv);
  for (auto* v : {&q_start, &q_end}) grow(*v, ke * (2 * kv + 2) + 1);
  grow(refs, static_cast<size_t>(N_GROUPS));
  if (dp_term.size() < kb) dp_term.resize(kb);
  const size_t ki = static_cast<size_t>(std::max<int64_t>(n_iv, 1));
  if (reasons.size() < ki) reasons.resize(ki);
  if (ki > elig_stride) {
    elig_stride = ki;
    elig.resize(static_cast<size_t>(N_GROUPS) * ki);
  }
}

int64_t pension_months_for(const Rules& rules, int64_t birth) {
  int64_t k = rules.pension_months[0];
  for (int64_t i = 0; i < rules.pension_birth_from.size; ++i)
    if (birth >= rules.pension_birth_from[i]) k = rules.pension_months[i];
  return k;
}

Timeline person_timeline(const Data& d, const Rules& rules, Scratch& s, int64_t p) {
  Timeline t;
  // a new person: forget the previous one's classified spells and dagpenge hours
  for (int64_t g = 0; g < N_GROUPS; ++g) s.elig_spell[g] = NO_DATE;
  s.hours_memo.a = NO_DATE;
  s.window_memo.spell_start = NO_DATE;
  const int64_t blo = d.ben_off[p], bhi = d.ben_off[p + 1];
  t.n_seg = main_benefit_segments(d, rules, s, p);
  spell_starts(t.n_seg, s.seg_start.data(), s.seg_end.data(), s.seg_key.data(),
               rules.oy_join_mask, s.seg_spell.data());
  t.n_odead = ordinary_dead_periods(d.ex_code, d.ex_start, d.ex_end, d.ex_off[p],
                                    d.ex_off[p + 1], rules.dead_codes, s.odead_start.data(),
                                    s.odead_end.data());
  for (int64_t g = 0; g < N_GROUPS; ++g) {  // R13 ∪ the group's R14 periods (D11)
    const int64_t c0 = rules.covid_dead_off[g], c1 = rules.covid_dead_off[g + 1];
    const size_t at = static_cast<size_t>(g) * s.dead_stride;
    t.n_dead[g] = add_periods(t.n_odead, s.odead_start.data(), s.odead_end.data(), c1 - c0,
                              rules.covid_dead_start.data + c0, rules.covid_dead_end.data + c0,
                              s.dead_start.data() + at, s.dead_end.data() + at);
  }
  t.n_syg = sickness_spells(d, blo, bhi, s.syg_start.data(), s.syg_end.data());
  const int64_t vlo = d.vis_off[p], vhi = d.vis_off[p + 1];
  for (int64_t r = vlo; r < vhi; ++r)
    s.cat_rank[static_cast<size_t>(r - vlo)] = static_cast<int32_t>(vlo - r);  // latest start wins
  int64_t n_cat = paint(d.vis_start, d.vis_end, s.cat_rank.data(), vlo, vhi, s.bounds.data(),
                        s.active.data(), s.cat_start.data(), s.cat_end.data(), s.cat_row.data());
  for (int64_t i = 0; i < n_cat; ++i)
    s.cat_key[static_cast<size_t>(i)] = d.vis_cat[s.cat_row[static_cast<size_t>(i)]];
  t.n_cat = merge_by_key(n_cat, s.cat_start.data(), s.cat_end.data(), s.cat_key.data());
  const int64_t birth = d.birth_date[p];
  t.aged_from = std::numeric_limits<int64_t>::min();
  t.aged_until = std::numeric_limits<int64_t>::max();
  if (birth != NO_DATE) {
    t.aged_from = first_day_aged(birth, rules.min_age_months);
    t.aged_until = first_day_aged(birth, pension_months_for(rules, birth));
  }
  const DeadDays dp_dead = dead_days_of(s, t, DAGPENGE);
  t.dp_reach = dagpenge_row_terms(d, blo, bhi, t.n_seg, s.seg_start.data(), s.seg_end.data(),
                                  s.seg_key.data(), dp_dead.n, dp_dead.start, dp_dead.end,
                                  s.dp_term.data());
  return t;
}

int64_t group_spell_start(const Data& d, const Scratch& s, int64_t p, int64_t group,
                          int64_t ref, const Timeline& t, int64_t seg) {
  if (group == SYGEDAGPENGE)
    return sickness_spell_start(t.n_syg, s.syg_start.data(), s.syg_end.data(), ref);
  if (group == DAGPENGE) return dagpenge_spell_start(d, p, t.n_seg, s, ref, seg);
  const int64_t j = seg >= 0 ? seg : segment_at(t.n_seg, s.seg_start.data(), s.seg_end.data(), ref);
  return s.seg_spell[static_cast<size_t>(j)];
}

DurationWindow group_duration(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                              int64_t group, int64_t spell_start, int64_t ref,
                              const Timeline& t) {
  const int64_t blo = d.ben_off[p], bhi = d.ben_off[p + 1];
  const HoursContext hc = group == DAGPENGE ? hours_context(d, s, p, t) : HoursContext{};
  const DeadDays dead = dead_days_of(s, t, group);
  DurationWindow w;
  w.unit = rules.hours_full;
  w.days = -1;
  w.hours = std::numeric_limits<double>::quiet_NaN();
  if (group == DAGPENGE) {
    if (part_time_on(d, blo, bhi, ref)) w.unit = rules.hours_part;
    w.hours = dagpenge_hours(spell_start, ref, hc, &s.hours_memo);
    const int64_t months = months_of_hours(w.hours, w.unit, rules.hours_tolerance);
    w.interval = interval_of_months(months);
    w.band = band_of_months(months, rules.band_months);
  } else {
    w.days = counted_days_between(spell_start, ref, dead.n, dead.start, dead.end);
    w.interval = interval_of_days(w.days, rules.day_edges);
    w.band = band_of_days(w.days, rules.band_day_edges);
  }
  w.window_start = spell_start;
  return w;
}

DurationWindow duration_and_window(const Data& d, const Rules& rules, const Scratch& s,
                                   int64_t p, int64_t group, int64_t spell_start, int64_t ref,
                                   const Timeline& t) {
  DurationWindow w = group_duration(d, rules, s, p, group, spell_start, ref, t);
  if (w.interval >= TWELVE_PLUS) {
    const HoursContext hc = group == DAGPENGE ? hours_context(d, s, p, t) : HoursContext{};
    const DeadDays dead = dead_days_of(s, t, group);
    if (group == DAGPENGE)
      w.window_start = hours_window_start(spell_start, ref,
                                          static_cast<double>(rules.window_months) * w.unit,
                                          rules.hours_tolerance, hc, &s.window_memo);
    else
      w.window_start =
          counted_window_start(spell_start, ref, rules.window_days, dead.n, dead.start, dead.end);
  }
  return w;
}

void measure_group_month(const Data& d, const Rules& rules, Scratch& s, int64_t p,
                         int64_t group, int64_t ref, int64_t seg, int64_t month_first,
                         const Timeline& t, const Rows& out, int64_t pos) {
  const int64_t spell_start = group_spell_start(d, s, p, group, ref, t, seg);
  // R2 is tested before R3
  int8_t excluded = 0;
  if (ref < t.aged_from || ref >= t.aged_until) excluded = EXCLUDED_AGE;
  const int64_t first_in_month = spell_start > month_first ? spell_start : month_first;
  if (excluded == 0 &&
      all_dead_in(first_in_month, ref, t.n_odead, s.odead_start.data(), s.odead_end.data()))
    excluded = EXCLUDED_DEAD_MONTH;
  const DurationWindow dw = duration_and_window(d, rules, s, p, group, spell_start, ref, t);
  const int64_t interval = dw.interval;
  // R21-R28 interviews: each classified once per spell (D10), as the months reach it;
  // a month counts the eligible days in its window
  const size_t g = static_cast<size_t>(group);
  int32_t* elig = s.elig.data() + g * s.elig_stride;
  if (s.elig_spell[g] != spell_start) {
    const int64_t reg = prepayment_registration(d, rules, p, group, spell_start);
    const SpellQuery sq{group, spell_start, reg};
    s.elig_spell[g] = spell_start;
    s.elig_reg[g] = reg;
    s.elig_first[g] = first_job_interview(d, rules, s, p, sq, t);
    s.elig_next[g] = lower_bound(d.iv_date, d.iv_off[p], d.iv_off[p + 1],
                                 reg != NO_DATE ? reg : spell_start);
    s.elig_n[g] = 0;
  }
  const SpellQuery sq{group, spell_start, s.elig_reg[g]};
  s.elig_next[g] = extend_eligible_days(d, rules, s, p, sq, s.elig_first[g], t, s.elig_next[g],
                                        ref, elig, &s.elig_n[g]);
  const InterviewQuery q{group, spell_start, s.elig_reg[g], dw.window_start, ref, interval};
  const int64_t counted = counted_in(elig, s.elig_n[g], window_first_day(q), ref, s.elig_at[g]);
  // R30-R32
  const bool exempt =
      is_exempt(d, rules, s, p, group, t, spell_start, dw.window_start, ref, interval);
  // R42 municipality and the category on the reference date
  const int64_t r = latest_covering(d.res_start, d.res_end, d.res_off[p], d.res_off[p + 1], ref);
  const int16_t muni = r >= 0 ? d.res_muni[r] : int16_t{999};
  int8_t category = -1;
  if ((rules.category_group_mask >> group) & 1) {
    const int64_t v =
        latest_covering(d.vis_start, d.vis_end, d.vis_off[p], d.vis_off[p + 1], ref);
    if (v >= 0) category = d.vis_cat[v];
  }
  out.group[pos] = static_cast<int8_t>(group);
  out.category[pos] = category;
  out.municipality[pos] = muni;
  if (out.reference.data != nullptr) {  // (cells only: the row's details are not kept)
    out.reference[pos] = static_cast<int32_t>(ref);
    out.spell_start[pos] = static_cast<int32_t>(spell_start);
    out.duration_days[pos] = static_cast<int32_t>(dw.days);
    out.duration_hours[pos] = dw.hours;
  }
  out.interval[pos] = static_cast<int8_t>(interval);
  out.band[pos] = static_cast<int8_t>(dw.band);
  out.counted[pos] = static_cast<int32_t>(counted);
  out.exempt[pos] = exempt ? 1 : 0;
  out.excluded[pos] = excluded;
  const ActivityQuery aq{group, category, spell_start, dw.window_start, ref, interval, counted,
                         excluded != 0, exempt};
  const DeadDays dead = dead_days_of(s, t, group);
  out.activity[pos] = activity_flags(d, rules, p, aq, dead.n, dead.start, dead.end);
}

// The index of the lowest set bit of x (x != 0).
static inline int64_t lowest_bit(uint32_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_ctz(x);
#else
  int64_t i = 0;
  while (!(x & 1u)) {
    x >>= 1;
    ++i;
  }
  return i;
#endif
}

// SPEC §8 conservation: every row is measured, exempt or excluded (R2 before R3).
static inline void count_row(const Rows& out, int64_t pos, int64_t* quality) {
  ++quality[Q_POPULATION];
  if (out.excluded[pos] == EXCLUDED_AGE)
    ++quality[Q_EXCLUDED_AGE];
  else if (out.excluded[pos] == EXCLUDED_DEAD_MONTH)
    ++quality[Q_EXCLUDED_DEAD_MONTH];
  else if (out.exempt[pos])
    ++quality[Q_EXEMPT];
  else
    ++quality[Q_MEASURED];
}

int64_t measure_person(const Data& d, const Rules& rules, Scratch& s, int64_t p,
                       View<int32_t> month_first, View<int32_t> month_last, const Rows& out,
                       int64_t pos, int64_t* quality) {
  if (d.ben_off[p] == d.ben_off[p + 1]) {
    quality[Q_INTERVIEWS_WITHOUT_BENEFIT_DAY] += d.iv_off[p + 1] - d.iv_off[p];
    return 0;
  }
  const Timeline t = person_timeline(d, rules, s, p);
  quality[Q_INTERVIEWS_WITHOUT_BENEFIT_DAY] += interviews_without_benefit_day(d, s, p, t.n_seg);
  const int64_t start = pos;
  int64_t j0 = 0;
  const int32_t* seg_start = s.seg_start.data();
  const int32_t* seg_end = s.seg_end.data();
  for (int64_t m = 0; m < month_first.size; ++m) {
    const int64_t mf = month_first[m], ml = month_last[m];
    while (j0 < t.n_seg && seg_end[j0] < mf) ++j0;
    if (j0 == t.n_seg) break;
    if (seg_start[j0] > ml) continue;
    // R10: the last day of the month with the group as main benefit, in segment
    // ref_seg[g] (segments are disjoint and sorted: the last one of the group in the month)
    // (present: bit g set for each group with a reference date, visited in group order)
    int64_t ref_seg[N_GROUPS];
    uint32_t present = 0;
    for (int64_t j = j0; j < t.n_seg && seg_start[j] <= ml; ++j) {
      const int64_t k = s.seg_key[static_cast<size_t>(j)];
      if (k < N_GROUPS) {
        s.refs[static_cast<size_t>(k)] = static_cast<int32_t>(seg_end[j] < ml ? seg_end[j] : ml);
        ref_seg[k] = j;
        present |= uint32_t{1} << k;
      }
    }
    for (; present != 0; present &= present - 1) {
      const int64_t g = lowest_bit(present);
      const int64_t ref = s.refs[static_cast<size_t>(g)];
      if (out.person.data != nullptr) out.person[pos] = p;
      out.month[pos] = static_cast<int32_t>(m);
      measure_group_month(d, rules, s, p, g, ref, ref_seg[g], mf, t, out, pos);
      count_row(out, pos, quality);
      ++pos;
    }
  }
  if (d.birth_date[p] == NO_DATE) quality[Q_ROWS_WITHOUT_BIRTH_DATE] += pos - start;
  return pos - start;
}

}  // namespace jobindsats
