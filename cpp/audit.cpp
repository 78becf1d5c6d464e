// Twin of python/jobindsats/kernels/audit.py.
#include "audit.hpp"

#include <algorithm>

#include "constants.hpp"
#include "dates.hpp"
#include "duration.hpp"
#include "measure.hpp"
#include "person_kernel.hpp"
#include "segments.hpp"
#include "threads.hpp"

namespace jobindsats {

AuditScratch::AuditScratch()
    : stamp(static_cast<size_t>(N_MUNI_SLOTS_AUDIT * N_SENIORITY_SLOTS), 0),
      touched(static_cast<size_t>(N_MUNI_SLOTS_AUDIT * N_SENIORITY_SLOTS), 0) {}

int64_t seniority_months(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                         int64_t group, int64_t day, const Timeline& t, int64_t* spell_start) {
  *spell_start = group_spell_start(d, s, p, group, day, t);
  const DurationWindow w = group_duration(d, rules, s, p, group, *spell_start, day, t);
  // R45.2: dagpenge by whole hour units (D9 tolerance); days as 12 per year plus R12's
  // fine interval of the rest
  if (group == DAGPENGE) return months_of_hours(w.hours, w.unit, rules.hours_tolerance);
  return 12 * (w.days / 365) + interval_of_days(w.days % 365, rules.day_edges);
}

int64_t seniority_slot(int64_t months) {
  if (months < 3) return 0;
  if (months < 6) return 1;
  if (months < 12) return 2;
  if (months < 18) return 3;
  if (months < 24) return 4;
  return 5;
}

// R45.1/R45.9: the person's days with the group as main benefit (and the category, if one
// is asked for), as sorted disjoint intervals in a.q_start/q_end; returns their count.
static int64_t qualifying_days(const Scratch& s, AuditScratch& a, const AuditQuery& q,
                               const Timeline& t) {
  const size_t need = static_cast<size_t>(t.n_seg + t.n_cat + 1);
  if (a.q_start.size() < need) {
    a.q_start.resize(need);
    a.q_end.resize(need);
  }
  int64_t n = 0, c = 0;
  for (int64_t j = 0; j < t.n_seg; ++j) {
    if (s.seg_key[static_cast<size_t>(j)] != q.group) continue;
    const int64_t x = s.seg_start[static_cast<size_t>(j)], y = s.seg_end[static_cast<size_t>(j)];
    if (q.category < 0) {
      a.q_start[static_cast<size_t>(n)] = static_cast<int32_t>(x);
      a.q_end[static_cast<size_t>(n)] = static_cast<int32_t>(y);
      ++n;
      continue;
    }
    // the category segments are sorted and disjoint: intersect [x, y] with those of the key
    while (c < t.n_cat && s.cat_end[static_cast<size_t>(c)] < x) ++c;
    for (int64_t k = c; k < t.n_cat && s.cat_start[static_cast<size_t>(k)] <= y; ++k) {
      if (s.cat_key[static_cast<size_t>(k)] != q.category) continue;
      const int64_t lo = std::max<int64_t>(x, s.cat_start[static_cast<size_t>(k)]);
      const int64_t hi = std::min<int64_t>(y, s.cat_end[static_cast<size_t>(k)]);
      a.q_start[static_cast<size_t>(n)] = static_cast<int32_t>(lo);
      a.q_end[static_cast<size_t>(n)] = static_cast<int32_t>(hi);
      ++n;
    }
  }
  return n;
}

static int64_t municipality_slot_on(const Data& d, const AuditQuery& q, int64_t p, int64_t day) {
  const int64_t r = latest_covering(d.res_start, d.res_end, d.res_off[p], d.res_off[p + 1], day);
  return q.muni_slot[r >= 0 ? d.res_muni[r] : 999];  // R42: 999 unknown
}

static int64_t* cell(int64_t* cells, int64_t period, int64_t muni_slot, int64_t slot) {
  return cells + ((period * N_MUNI_SLOTS_AUDIT + muni_slot) * N_SENIORITY_SLOTS + slot) *
                     N_AUDIT_MEASURES;
}

// R45.5: a person counts once among the persons of each (municipality, seniority slot) where
// they have a benefit week, and once among the touched if one of those weeks has an offer day.
static void count_person(int64_t* c, AuditScratch& a, int64_t key, int64_t id, bool active) {
  const size_t k = static_cast<size_t>(key);
  if (a.stamp[k] != id) {
    a.stamp[k] = id;
    a.touched[k] = 0;
    c[AM_PERSONS] += 1;
  }
  if (active && a.touched[k] == 0) {
    a.touched[k] = 1;
    c[AM_TOUCHED] += 1;
  }
}

// R45.6: participation code of interview row i (null presence flags are false).
static int64_t participation_of(const AuditEvents& e, int64_t i) {
  const bool ak = e.iv_akasse_present[i] != 0, jc = e.iv_jobcenter_present[i] != 0;
  if (ak && jc) return 0;
  if (ak) return 1;
  if (jc) return 2;
  return 3;
}

// R45.6: is interview row i a joint interview held on a day with dagpenge as main benefit?
static bool is_dagpenge_joint(const Data& d, const AuditEvents& e, const Scratch& s,
                              const Timeline& t, int64_t i) {
  if (e.iv_joint[i] == 0) return false;
  const int64_t j = segment_at(t.n_seg, s.seg_start.data(), s.seg_end.data(), d.iv_date[i]);
  return j >= 0 && s.seg_key[static_cast<size_t>(j)] == DAGPENGE;
}

struct Week {
  int64_t monday, sunday, ref;
};

// One benefit week (R45.1-R45.5) of period k: its counts into cells, the person's values.
// Returns the week's seniority in months (the caller keeps the last week's).
static int64_t audit_week(const Data& d, const AuditEvents& e, const Rules& rules,
                          const Scratch& s, AuditScratch& a, const AuditQuery& q, int64_t p,
                          const Timeline& t, int64_t k, const Week& w, int64_t id,
                          int64_t* cells, int32_t* person_out, int64_t* muni_slot_out) {
  int64_t spell_start = 0;
  const int64_t months = seniority_months(d, rules, s, p, q.group, w.ref, t, &spell_start);
  const int64_t fine = seniority_slot(months);
  const int64_t slots[3] = {fine, fine < 2 ? SLOT_UNDER6 : SLOT_SIX_PLUS, SLOT_ALL};
  const int64_t mslot = municipality_slot_on(d, q, p, w.ref);
  *muni_slot_out = mslot;
  const int64_t munis[2] = {mslot, 0};
  // R45.3/R45.9: every interview row dated Monday-Sunday of the week, whatever that day's
  // benefit; R45.4 types partition them
  int64_t n_iv = 0, types[4] = {0, 0, 0, 0}, forms[3] = {0, 0, 0};
  const int64_t ilo = d.iv_off[p], ihi = d.iv_off[p + 1];
  for (int64_t i = lower_bound(d.iv_date, ilo, ihi, w.monday); i < ihi; ++i) {
    if (d.iv_date[i] > w.sunday) break;
    ++n_iv;
    const int64_t kind = d.iv_kind[i];
    const int64_t type = e.iv_joint[i] != 0          ? 1
                         : kind == KIND_JOBSAMTALE    ? 0
                         : kind == KIND_SYGEOPFOELGNING ? 3
                                                      : 2;
    ++types[type];
    ++forms[d.iv_form[i]];
  }
  // R45.5: the offer kinds with a day in the week
  int64_t kinds = 0;
  for (int64_t r = d.of_off[p]; r < d.of_off[p + 1]; ++r) {
    if (d.of_start[r] > w.sunday) break;
    if (d.of_end[r] >= w.monday) kinds |= int64_t{1} << e.of_kind[r];
  }
  const bool active = kinds != 0;
  for (const int64_t m : munis) {
    for (const int64_t slot : slots) {
      int64_t* c = cell(cells, k, m, slot);
      c[AM_WEEKS] += 1;
      c[AM_INTERVIEWS] += n_iv;
      if (active) c[AM_ACTIVATION_WEEKS] += 1;
      for (int64_t x = 0; x < N_OFFER_KINDS; ++x)
        if ((kinds >> x) & 1) c[AM_KIND_WEEKS + x] += 1;
      count_person(c, a, m * N_SENIORITY_SLOTS + slot, id, active);
    }
    int64_t* c = cell(cells, k, m, SLOT_ALL);  // R45.4: per period x municipality
    for (int64_t x = 0; x < 4; ++x) c[AM_TYPE + x] += types[x];
    for (int64_t x = 0; x < 3; ++x) c[AM_FORM + x] += forms[x];
  }
  for (const int64_t slot : slots) {
    int32_t* v = person_out + (k * N_SENIORITY_SLOTS + slot) * N_PERSON_VALUES;
    v[PV_WEEKS] += 1;
    v[PV_INTERVIEWS] += static_cast<int32_t>(n_iv);
    if (active) v[PV_ACTIVATION_WEEKS] += 1;
  }
  return months;
}

// R45.6: the joint interviews of period k (dated in it, dagpenge that day) by seniority on
// the interview day and the residence municipality of that day.
static void audit_joint(const Data& d, const AuditEvents& e, const Rules& rules,
                        const Scratch& s, const AuditQuery& q, int64_t p, const Timeline& t,
                        int64_t k, int64_t* cells) {
  const int64_t ilo = d.iv_off[p], ihi = d.iv_off[p + 1];
  for (int64_t i = lower_bound(d.iv_date, ilo, ihi, q.period_start[k]); i < ihi; ++i) {
    const int64_t day = d.iv_date[i];
    if (day > q.period_end[k]) break;
    if (!is_dagpenge_joint(d, e, s, t, i)) continue;
    int64_t spell_start = 0;
    const int64_t months = seniority_months(d, rules, s, p, DAGPENGE, day, t, &spell_start);
    const int64_t fine = seniority_slot(months);
    const int64_t slots[3] = {fine, fine < 2 ? SLOT_UNDER6 : SLOT_SIX_PLUS, SLOT_ALL};
    const int64_t munis[2] = {municipality_slot_on(d, q, p, day), 0};
    const int64_t part = participation_of(e, i);
    for (const int64_t m : munis)
      for (const int64_t slot : slots) cell(cells, k, m, slot)[AM_JOINT + part] += 1;
  }
}

// R45.6 entitlement: with the last benefit week's seniority (months, on its reference day
// ref), which joint interview the person is entitled to (none below 3 months) and whether
// a joint interview of that spell up to ref had the seniority that earns it.
static void audit_entitlement(const Data& d, const AuditEvents& e, const Rules& rules,
                              const Scratch& s, int64_t p, const Timeline& t, int64_t k,
                              int64_t months, int64_t ref, int64_t mslot, int64_t* cells) {
  // 1st: 3 <= s < 6, had one at 0-2; 2nd: 6 <= s < 16, at 3-5; 3rd: s >= 16, at 6-15
  if (months < 3) return;
  const int64_t which = months < 6 ? 0 : months < 16 ? 1 : 2;
  const int64_t lo = which == 0 ? 0 : which == 1 ? 3 : 6;
  const int64_t hi = which == 0 ? 2 : which == 1 ? 5 : 15;
  int64_t spell_start = 0;
  seniority_months(d, rules, s, p, DAGPENGE, ref, t, &spell_start);
  bool had = false;
  const int64_t ilo = d.iv_off[p], ihi = d.iv_off[p + 1];
  for (int64_t i = lower_bound(d.iv_date, ilo, ihi, spell_start); i < ihi && !had; ++i) {
    const int64_t day = d.iv_date[i];
    if (day > ref) break;  // joint interviews after the reference day do not count
    if (!is_dagpenge_joint(d, e, s, t, i)) continue;
    int64_t ignored = 0;
    const int64_t m = seniority_months(d, rules, s, p, DAGPENGE, day, t, &ignored);
    had = m >= lo && m <= hi;
  }
  for (const int64_t m : {mslot, int64_t{0}}) {
    int64_t* c = cell(cells, k, m, SLOT_ALL);
    c[AM_ENTITLED + which] += 1;
    if (had) c[AM_HAD + which] += 1;
  }
}

void audit_person(const Data& d, const AuditEvents& e, const Rules& rules, Scratch& s,
                  AuditScratch& a, const AuditQuery& q, int64_t p, int64_t* cells,
                  int32_t* person_out) {
  const int64_t n_periods = q.period_start.size;
  std::fill(person_out, person_out + n_periods * N_SENIORITY_SLOTS * N_PERSON_VALUES, 0);
  if (d.ben_off[p] == d.ben_off[p + 1]) return;
  const Timeline t = person_timeline(d, rules, s, p);
  const int64_t nq = qualifying_days(s, a, q, t);
  const int32_t* qs = a.q_start.data();
  const int32_t* qe = a.q_end.data();
  for (int64_t k = 0; k < n_periods; ++k) {
    const int64_t id = p * n_periods + k + 1;
    // R45.1: the weeks whose Thursday lies in the period; day 0 (1970-01-01) is a Thursday,
    // so week w runs from Monday 7w - 3 to Sunday 7w + 3
    const int64_t w_last = floor_div(q.period_end[k], 7);
    int64_t w = -floor_div(-static_cast<int64_t>(q.period_start[k]), 7);
    int64_t j = 0, n_weeks = 0, last_months = 0, last_ref = 0, last_mslot = 0;
    while (w <= w_last) {
      const int64_t monday = 7 * w - 3, sunday = 7 * w + 3;
      while (j < nq && qe[j] < monday) ++j;
      if (j == nq) break;
      if (qs[j] > sunday) {  // no such day this week: go to the week of the next one
        w = std::max(w + 1, floor_div(qs[j] + 3, 7));
        continue;
      }
      int64_t jj = j;  // the reference day: the last such day of the week
      while (jj + 1 < nq && qs[jj + 1] <= sunday) ++jj;
      const Week wk{monday, sunday, std::min<int64_t>(qe[jj], sunday)};
      last_months =
          audit_week(d, e, rules, s, a, q, p, t, k, wk, id, cells, person_out, &last_mslot);
      last_ref = wk.ref;
      ++n_weeks;
      ++w;
    }
    if (q.group != DAGPENGE) continue;
    audit_joint(d, e, rules, s, q, p, t, k, cells);
    if (n_weeks > 0)
      audit_entitlement(d, e, rules, s, p, t, k, last_months, last_ref, last_mslot, cells);
  }
}

void audit_persons(const Data& d, const AuditEvents& e, const Rules& rules,
                   const AuditQuery& q, int64_t p0, int64_t p1, int64_t* cells,
                   int32_t* person_out, int threads) {
  const int n_threads = block_threads(p0, p1, threads);
  const int64_t n_cells = q.period_start.size * N_MUNI_SLOTS_AUDIT * N_SENIORITY_SLOTS *
                          N_AUDIT_MEASURES;
  const int64_t per_person = q.period_start.size * N_SENIORITY_SLOTS * N_PERSON_VALUES;
  std::vector<std::vector<int64_t>> thread_cells(
      static_cast<size_t>(n_threads), std::vector<int64_t>(static_cast<size_t>(n_cells), 0));
  std::vector<AuditScratch> audit_scratch(static_cast<size_t>(n_threads));
  for_each_person(d, rules, p0, p1, n_threads, [&](int tid, Scratch& s, int64_t p) {
    const size_t t = static_cast<size_t>(tid);
    audit_person(d, e, rules, s, audit_scratch[t], q, p, thread_cells[t].data(),
                 person_out + (p - p0) * per_person);
  });
  // integer sums: the same for any split over threads
  for (const auto& tc : thread_cells)
    for (int64_t i = 0; i < n_cells; ++i) cells[i] += tc[static_cast<size_t>(i)];
}

}  // namespace jobindsats
