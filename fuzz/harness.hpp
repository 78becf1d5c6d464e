// Shared by the fuzz targets and fuzz/regress.cpp: run the kernel on decoded input and
// check the invariants it promises (docs/kernel.md). A broken invariant aborts with a
// message, which libFuzzer reports as a crash.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <tuple>
#include <vector>

#include "aggregate.hpp"
#include "constants.hpp"
#include "data.hpp"
#include "measure.hpp"

namespace fuzz {

using namespace jobindsats;

#define FUZZ_CHECK(cond, ...)                                           \
  do {                                                                  \
    if (!(cond)) {                                                      \
      std::fprintf(stderr, "invariant broken: %s (%s:%d): ", #cond,     \
                   __FILE__, __LINE__);                                 \
      std::fprintf(stderr, __VA_ARGS__);                                \
      std::fprintf(stderr, "\n");                                       \
      std::abort();                                                     \
    }                                                                   \
  } while (0)

// Owned output rows (all fields).
using OwnedRows = RowStore;

// measure_persons over [p0, p1) exactly as the binding calls it (row_capacity, row_base,
// measure_persons, compact_rows), checking that no person writes past its capacity.
inline OwnedRows run_kernel(const Data& d, const Rules& k, View<int32_t> mf, View<int32_t> ml,
                            int64_t p0, int64_t p1) {
  const int64_t n = p1 - p0;
  std::vector<int64_t> cap(static_cast<size_t>(n)), base(static_cast<size_t>(n) + 1, 0),
      written(static_cast<size_t>(n), 0), quality(N_QUALITY, 0);
  row_capacity(d, k, mf, ml, p0, p1, cap.data(), 1);
  for (size_t i = 0; i < static_cast<size_t>(n); ++i) base[i + 1] = base[i] + cap[i];
  OwnedRows out;
  out.resize(static_cast<size_t>(base.back()));
  const Rows r = out.rows();
  measure_persons(d, k, mf, ml, p0, p1, base.data(), r, written.data(), quality.data(), 1);
  for (size_t i = 0; i < static_cast<size_t>(n); ++i)
    FUZZ_CHECK(written[i] >= 0 && written[i] <= cap[i], "person %lld wrote %lld rows, capacity %lld",
               static_cast<long long>(p0) + static_cast<long long>(i),
               static_cast<long long>(written[i]), static_cast<long long>(cap[i]));
  out.n = compact_rows(r, n, base.data(), written.data(), 1);
  for (int64_t q = 0; q < N_QUALITY; ++q) FUZZ_CHECK(quality[static_cast<size_t>(q)] >= 0, "quality");
  return out;
}

// The row invariants of docs/kernel.md ("person-month rows").
inline void check_rows(const OwnedRows& o, const Data& d, const Rules& k, View<int32_t> mf,
                       View<int32_t> ml, View<int16_t> muni_slot) {
  const int64_t n_months = mf.size;
  for (int64_t i = 0; i < o.n; ++i) {
    const size_t u = static_cast<size_t>(i);
    const int64_t p = o.person[u], m = o.month[u], g = o.group[u];
    FUZZ_CHECK(p >= 0 && p < d.n_persons(), "row %lld: person %lld", (long long)i, (long long)p);
    FUZZ_CHECK(m >= 0 && m < n_months, "row %lld: month %lld", (long long)i, (long long)m);
    FUZZ_CHECK(g >= 0 && g < N_GROUPS, "row %lld: group %lld", (long long)i, (long long)g);
    if (i > 0) {  // R47 order: person, month, group; one row per person x month x group
      const size_t w = u - 1;
      FUZZ_CHECK(std::make_tuple(o.person[w], o.month[w], o.group[w]) <
                     std::make_tuple(o.person[u], o.month[u], o.group[u]),
                 "rows %lld, %lld out of order or duplicated", (long long)i - 1, (long long)i);
    }
    // R1: the person has a measured benefit row in that month
    bool present = false;
    for (int64_t b = d.ben_off[p]; b < d.ben_off[p + 1]; ++b)
      if (k.benefit_group[d.ben_benefit[b]] >= 0 && d.ben_start[b] <= ml[m] &&
          d.ben_end[b] >= mf[m])
        present = true;
    FUZZ_CHECK(present, "row %lld: no measured benefit of person %lld in month %lld",
               (long long)i, (long long)p, (long long)m);
    const int64_t c = o.category[u];
    FUZZ_CHECK(c >= -1 && c < 4, "row %lld: category %lld", (long long)i, (long long)c);
    FUZZ_CHECK(c < 0 || ((k.category_group_mask >> g) & 1), "row %lld: category %lld in group %lld",
               (long long)i, (long long)c, (long long)g);
    const int64_t mu = o.municipality[u];
    FUZZ_CHECK(mu >= 0 && mu < 1000 && muni_slot[mu] > 0, "row %lld: municipality %lld",
               (long long)i, (long long)mu);
    const int64_t iv = o.interval[u], band = o.band[u];
    FUZZ_CHECK(iv >= 0 && iv <= TWELVE_PLUS, "row %lld: interval %lld", (long long)i, (long long)iv);
    FUZZ_CHECK(iv < TWELVE_PLUS ? band == -1 : (band >= 0 && band < 4),
               "row %lld: interval %lld with band %lld", (long long)i, (long long)iv, (long long)band);
    FUZZ_CHECK(o.counted[u] >= 0, "row %lld: counted %d", (long long)i, o.counted[u]);
    FUZZ_CHECK(o.exempt[u] <= 1, "row %lld: exempt %d", (long long)i, o.exempt[u]);
    const int64_t ex = o.excluded[u];
    FUZZ_CHECK(ex >= 0 && ex <= EXCLUDED_DEAD_MONTH, "row %lld: excluded %lld", (long long)i, (long long)ex);
    FUZZ_CHECK(o.activity[u] < 128, "row %lld: activity %d", (long long)i, o.activity[u]);
    FUZZ_CHECK(ex == 0 || o.activity[u] == 0, "row %lld: excluded with activity %d", (long long)i,
               o.activity[u]);
    if (g == DAGPENGE)
      FUZZ_CHECK(o.duration_days[u] == -1, "row %lld: dagpenge duration_days %d", (long long)i,
                 o.duration_days[u]);
    else
      FUZZ_CHECK(o.duration_days[u] >= 0 && o.duration_hours[u] != o.duration_hours[u],
                 "row %lld: duration_days %d, hours %g", (long long)i, o.duration_days[u],
                 o.duration_hours[u]);
  }
}

// Rows of [0, h) followed by rows of [h, P) must be the rows of [0, P): each person's
// rows depend on that person alone (and the output on no split, docs/kernel.md).
inline void check_same(const OwnedRows& a, const OwnedRows& b) {
  FUZZ_CHECK(a.n == b.n, "split run gave %lld rows, whole run %lld", (long long)b.n, (long long)a.n);
  const size_t n = static_cast<size_t>(a.n);
  auto eq = [n](const auto& x, const auto& y) {
    return n == 0 || std::memcmp(x.data(), y.data(), n * sizeof(x[0])) == 0;
  };
  FUZZ_CHECK(eq(a.person, b.person) && eq(a.month, b.month) && eq(a.group, b.group) &&
                 eq(a.category, b.category) && eq(a.municipality, b.municipality) &&
                 eq(a.reference, b.reference) && eq(a.spell_start, b.spell_start) &&
                 eq(a.duration_days, b.duration_days) && eq(a.duration_hours, b.duration_hours) &&
                 eq(a.interval, b.interval) && eq(a.band, b.band) && eq(a.counted, b.counted) &&
                 eq(a.exempt, b.exempt) && eq(a.excluded, b.excluded) && eq(a.activity, b.activity),
             "split run differs from the whole run");
}

// R40 conservation: add the rows into the base cells of a CellSink and check, per month
// and output group, that every person x month x group row is counted exactly once:
// excluded rows nowhere, each other row once in n0..n5plus or exempt of its group (and
// once more in its category breakdown), its interviews and activity bits summed. With
// every_cell, also that no cell but the rows' base cells holds anything.
inline void check_cells(OwnedRows& o, View<int16_t> muni_slot, View<int8_t> category_slot,
                        int64_t n_months, bool every_cell) {
  const Rows r = o.rows();
  CellSink sink(n_months);
  const std::string refused = sink.add_rows(r, o.n, o.n, muni_slot, category_slot, 1);
  FUZZ_CHECK(refused.empty(), "the sink refused the rows");
  sink.flush();
  // expected per (month, group slot): persons, interviews, each activity bit
  std::map<std::pair<int64_t, int64_t>, std::vector<int64_t>> want;
  std::map<int64_t, bool> touched;  // base cells of the rows
  for (int64_t i = 0; i < o.n; ++i) {
    const size_t u = static_cast<size_t>(i);
    if (o.excluded[u] != 0) continue;
    const int64_t m = o.month[u], g = o.group[u], c = o.category[u];
    const int64_t iv = o.interval[u];
    const int64_t slot = iv < TWELVE_PLUS ? iv : FIRST_BAND_SLOT + o.band[u];
    const int64_t mu = muni_slot[o.municipality[u]];
    for (int64_t gs : {g, c >= 0 && category_slot[g] >= 0 ? category_slot[g] + c : int64_t{-1}}) {
      if (gs < 0) continue;
      auto& w = want[{m, gs}];
      if (w.empty()) w.assign(2 + N_ACTIVITY_BITS, 0);
      w[0] += 1;
      w[1] += o.exempt[u] ? 0 : o.counted[u];
      for (int64_t f = 0; f < N_ACTIVITY_BITS; ++f) w[2 + static_cast<size_t>(f)] += (o.activity[u] >> f) & 1;
      touched[(((m * N_MUNI_SLOTS + mu) * N_GROUP_SLOTS + gs) * N_INTERVAL_SLOTS + slot)] = true;
    }
  }
  std::map<std::pair<int64_t, int64_t>, std::vector<int64_t>> got;
  for (const auto& [cell, unused] : touched) {
    (void)unused;
    const Cell& x = sink.cell(cell);
    const int64_t gs = (cell / N_INTERVAL_SLOTS) % N_GROUP_SLOTS;
    const int64_t m = cell / (N_INTERVAL_SLOTS * N_GROUP_SLOTS * N_MUNI_SLOTS);
    auto& w = got[{m, gs}];
    if (w.empty()) w.assign(2 + N_ACTIVITY_BITS, 0);
    for (int64_t k = 0; k <= EXEMPT_MEASURE; ++k) w[0] += x.person[k];
    w[1] += x.interviews;
    for (int64_t f = 0; f < N_ACTIVITY_BITS; ++f) w[2 + static_cast<size_t>(f)] += x.activity[f];
  }
  FUZZ_CHECK(got == want, "cells do not conserve the person x month x group rows");
  if (!every_cell) return;
  for (int64_t i = 0; i < sink.n_cells(); ++i) {
    if (touched.count(i)) continue;
    const Cell& x = sink.cell(i);
    bool zero = x.interviews == 0;
    for (int64_t k = 0; k <= EXEMPT_MEASURE; ++k) zero = zero && x.person[k] == 0;
    for (int64_t f = 0; f < N_ACTIVITY_BITS; ++f) zero = zero && x.activity[f] == 0;
    FUZZ_CHECK(zero, "cell %lld outside the rows' cells holds a count", (long long)i);
  }
}

// The cells path (measure_cells: blocks measured and added while in cache, on two
// threads) adds exactly what add_rows adds from the rows path's rows o of the same input.
inline void check_cells_path(const Data& d, const Rules& k, View<int32_t> mf, View<int32_t> ml,
                             OwnedRows& o, View<int16_t> muni_slot,
                             View<int8_t> category_slot) {
  CellSink from_rows(mf.size), direct(mf.size);
  const Rows r = o.rows();
  FUZZ_CHECK(from_rows.add_rows(r, o.n, d.n_persons(), muni_slot, category_slot, 1).empty(),
             "the sink refused the rows");
  std::vector<int64_t> q(N_QUALITY, 0);
  const std::string e =
      measure_cells(d, k, mf, ml, 0, d.n_persons(), direct, muni_slot, category_slot, q.data(), 2);
  FUZZ_CHECK(e.empty(), "measure_cells refused valid input: %s", e.c_str());
  from_rows.flush();
  direct.flush(2);
  for (int64_t i = 0; i < direct.n_cells(); ++i)
    FUZZ_CHECK(std::memcmp(&direct.cell(i), &from_rows.cell(i), sizeof(Cell)) == 0,
               "cell %lld differs between measure_cells and add_rows", (long long)i);
}

}  // namespace fuzz
