// The kernel contract (docs/kernel.md): person-sorted input views, rule arrays, per-block
// scratch and the output rows. Twin of KernelData / KernelRules / Scratch / Rows in
// python/jobindsats/kernels/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "constants.hpp"
#include "span.hpp"

namespace jobindsats {

struct Data {
  View<int64_t> person_ids;
  View<int32_t> birth_date;
  View<int64_t> ben_off;
  View<int8_t> ben_benefit;
  View<int32_t> ben_start, ben_end;
  View<double> ben_hours;
  View<int8_t> ben_part_time;
  View<uint8_t> ben_supp;
  View<int64_t> dp_off;
  View<int32_t> dp_start;
  View<int64_t> iv_off;
  View<int32_t> iv_date;
  View<int8_t> iv_kind, iv_form, iv_held_by;
  View<int16_t> iv_muni;
  View<int64_t> ex_off;
  View<int16_t> ex_code;
  View<int32_t> ex_start, ex_end;
  View<int64_t> mii_off;
  View<int32_t> mii_start, mii_end;
  View<int64_t> of_off;
  View<int32_t> of_start, of_end;
  View<int64_t> res_off;
  View<int16_t> res_muni;
  View<int32_t> res_start, res_end;
  View<int64_t> vis_off;
  View<int8_t> vis_cat;
  View<int32_t> vis_start, vis_end;
  View<int64_t> reg_off;
  View<int32_t> reg_date;
  View<int64_t> emp_off;
  View<int32_t> emp_month;
  View<double> emp_hours;
  int64_t n_persons() const { return person_ids.size; }
};

// KernelRules (python/jobindsats/rules.py): each field cites its rule there.
struct Rules {
  View<int8_t> benefit_rank, benefit_group;
  int64_t oy_join_mask = 0, category_group_mask = 0;
  View<int16_t> dead_codes;
  // R14/D11: COVID dead periods per group: group g's are covid_dead_start/end
  // [covid_dead_off[g], covid_dead_off[g + 1]), sorted, disjoint
  View<int64_t> covid_dead_off;
  View<int32_t> covid_dead_start, covid_dead_end;
  int64_t covid_closed_start = 0, covid_closed_end = 0;
  int64_t form_rule_from = 0;
  View<int32_t> reopen_start, reopen_end;
  int64_t remote_6m_from = 0, remote_6m_interval = 0;
  View<int16_t> trial_muni;
  View<int8_t> trial_form_mask;
  View<int32_t> trial_start, trial_end;
  int64_t prepay_from = 0, prepay_months = 0, prepay_group_mask = 0;
  View<uint8_t> exempt_mask;  // [9, exempt_codes] row-major
  int64_t exempt_codes = 0;
  int64_t exempt_pct = 0, exempt24_from = 0, exempt24_pct = 0, exempt24_below_interval = 0;
  int64_t mii_days = 0;
  int64_t window_days = 0, window_months = 0;
  View<int32_t> day_edges, band_day_edges;
  double hours_full = 0, hours_part = 0, hours_tolerance = 0;
  View<int32_t> band_months;
  int64_t min_age_months = 0;
  View<int32_t> pension_birth_from, pension_months;
  double activation_hours = 0;            // R41
  View<int8_t> samtaletal_required;       // R43: [group, 1 + category] -> N, -1 none
  int64_t samtaletal_stride = 0;          // 1 + number of categories
  View<int32_t> passivity_days;           // R44
};

// What dagpenge_hours remembers of a's rows (memo): the rows before next_row add `total`,
// and their parts do not depend on b once b >= max_end; a later call with the same a and
// such a b resumes there. The same additions in the same order give the same sum, so a
// spell's monthly durations cost one pass over its rows instead of one per month.
struct HoursMemo {
  int64_t a, next_row, max_end;
  double total;
};

// The last answer of hours_window_start for a person (spell_start NO_DATE: none yet): a
// later reference date of the same spell and target searches from it (duration.cpp).
struct WindowMemo {
  int64_t spell_start, ref, start;
  double target;
};

// Per-thread buffers, grown to the largest person seen (no allocation per person).
struct Scratch {
  std::vector<int32_t> rank, bounds, active;
  std::vector<int32_t> seg_start, seg_end, seg_row, seg_key, seg_spell;
  std::vector<int32_t> odead_start, odead_end;
  // dead days per group (R13 ∪ the group's R14 periods): group g's list starts at
  // g * dead_stride
  std::vector<int32_t> dead_start, dead_end;
  size_t dead_stride = 0;
  std::vector<int32_t> syg_start, syg_end;
  std::vector<int32_t> cat_rank, cat_start, cat_end, cat_row, cat_key;
  std::vector<int32_t> q_start, q_end;
  std::vector<int32_t> refs;
  std::vector<int8_t> reasons;
  std::vector<double> dp_term;  // per benefit row of the person: dagpenge_row_terms
  // Per group, the spell whose interviews were classified last (its start; NO_DATE:
  // none yet for this person), its R24 registration and its eligible days
  // (interviews.hpp eligible_days) at g * elig_stride.
  std::vector<int32_t> elig;
  size_t elig_stride = 0;
  int64_t elig_n[N_GROUPS] = {};
  int64_t elig_spell[N_GROUPS] = {};
  int64_t elig_reg[N_GROUPS] = {};
  int64_t elig_first[N_GROUPS] = {};  // R22: the spell's first job interview
  int64_t elig_next[N_GROUPS] = {};   // the next interview row to classify
  int64_t elig_at[N_GROUPS][2] = {};  // counted_in's last bounds in the eligible days
  // dagpenge_hours(spell start, .) of the person's current dagpenge spell (a cache, hence
  // mutable: const users of the scratch may extend it)
  mutable HoursMemo hours_memo{NO_DATE, 0, 0, 0.0};
  mutable WindowMemo window_memo{NO_DATE, 0, 0, 0.0};  // hours_window_start's last answer
  void reserve_for(int64_t n_ben, int64_t n_ex, int64_t n_vis, int64_t n_iv, int64_t n_covid);
};

// Output rows (docs/kernel.md "person-month rows"). A run for the cells only may leave
// person, reference, spell_start, duration_days and duration_hours without buffers
// (null): the kernel then does not write them (nothing downstream reads them).
struct Rows {
  Span<int64_t> person;
  Span<int32_t> month;
  Span<int8_t> group, category;
  Span<int16_t> municipality;
  Span<int32_t> reference, spell_start, duration_days;
  Span<double> duration_hours;
  Span<int8_t> interval, band;
  Span<int32_t> counted;
  Span<uint8_t> exempt;
  Span<int8_t> excluded;
  Span<uint8_t> activity;  // R41/R43/R44 flags (activation.hpp)
};

// Rows with buffers of their own (a thread's rows for the cells, the fuzz targets' rows):
// room for resize(k) rows, n of them in use as the owner says. Without details
// (resize(k, false)) the person, reference, spell start and duration buffers stay empty
// and rows() leaves them null: the kernel then does not write them.
struct RowStore {
  std::vector<int64_t> person;
  std::vector<int32_t> month, reference, spell_start, duration_days, counted;
  std::vector<int8_t> group, category, interval, band, excluded;
  std::vector<int16_t> municipality;
  std::vector<double> duration_hours;
  std::vector<uint8_t> exempt, activity;
  int64_t n = 0;
  bool details = true;

  void resize(size_t k, bool with_details = true) {
    k = k == 0 ? 1 : k;
    details = with_details;
    for (auto* v : {&month, &counted}) v->resize(k);
    for (auto* v : {&group, &category, &interval, &band, &excluded}) v->resize(k);
    municipality.resize(k);
    exempt.resize(k);
    activity.resize(k);
    if (!details) return;
    person.resize(k);
    for (auto* v : {&reference, &spell_start, &duration_days}) v->resize(k);
    duration_hours.resize(k);
  }
  template <class T>
  Span<T> span(std::vector<T>& v, bool detail = false) {
    if (detail && !details) return Span<T>{};
    return Span<T>{v.data(), static_cast<int64_t>(v.size())};
  }
  Rows rows() {
    return Rows{span(person, true),         span(month),         span(group),
                span(category),             span(municipality),  span(reference, true),
                span(spell_start, true),    span(duration_days, true),
                span(duration_hours, true), span(interval),      span(band),
                span(counted),              span(exempt),        span(excluded),
                span(activity)};
  }
};

// Counts of the per-person timeline (step 1-3 of the person kernel).
struct Timeline {
  int64_t n_seg = 0, n_odead = 0, n_syg = 0, n_cat = 0;
  int64_t n_dead[N_GROUPS] = {};  // per group: Scratch::dead_start/end at g * dead_stride
  int64_t dp_reach = 0;  // dagpenge_reach of the person
  // R2: the person is in the age range on days aged_from..aged_until-1 (from the minimum
  // age to the state pension age); with no birth date, on every day
  int64_t aged_from = 0, aged_until = 0;
};

// The dead days of one group (R13 ∪ R14 of that group): n sorted disjoint closed intervals.
struct DeadDays {
  int64_t n;
  const int32_t* start;
  const int32_t* end;
};

inline DeadDays dead_days_of(const Scratch& s, const Timeline& t, int64_t group) {
  const size_t at = static_cast<size_t>(group) * s.dead_stride;
  return DeadDays{t.n_dead[group], s.dead_start.data() + at, s.dead_end.data() + at};
}

}  // namespace jobindsats
