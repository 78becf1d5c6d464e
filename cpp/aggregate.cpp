// Twin of python/jobindsats/kernels/aggregate.py.
#include "aggregate.hpp"

#include <algorithm>
#include <vector>

#include "constants.hpp"
#include "threads.hpp"

namespace jobindsats {

// Add row i into its base cells: its own municipality, its group and (if any) its
// category breakdown, and its fine interval under 12 or its year band from 12 on. The
// summaries (under 12, 12+, all groups, national) are sums of base cells, added once
// at the end by complete_cells: 1-2 cell updates per row instead of 12.
static inline void add_row(const Rows& rows, int64_t i, View<int16_t> muni_slot,
                           View<int8_t> category_slot, int64_t* cells) {
  const int64_t m = rows.month[i];
  const int64_t g = rows.group[i];
  const int64_t c = rows.category[i];
  const int64_t iv = rows.interval[i];
  const int64_t iv_slot = iv < TWELVE_PLUS ? iv : FIRST_BAND_SLOT + rows.band[i];
  int64_t measure, interviews;
  if (rows.exempt[i]) {
    measure = EXEMPT_MEASURE;
    interviews = 0;
  } else {
    const int64_t k = rows.counted[i];
    measure = k < 5 ? k : 5;
    interviews = k;
  }
  const int64_t cs = c >= 0 && category_slot[g] >= 0 ? category_slot[g] + c : -1;
  const int64_t flags = rows.activity[i];
  const int64_t mu = muni_slot[rows.municipality[i]];
  for (int b = 0; b < 2; ++b) {
    const int64_t gs = b == 0 ? g : cs;
    if (gs < 0) continue;
    int64_t* cell =
        cells + (((m * N_MUNI_SLOTS + mu) * N_GROUP_SLOTS + gs) * N_INTERVAL_SLOTS + iv_slot) *
                    N_MEASURES;
    cell[measure] += 1;
    cell[INTERVIEWS_MEASURE] += interviews;
    if (flags != 0)
      for (int64_t f = 0; f < N_ACTIVITY_BITS; ++f)
        cell[FIRST_ACTIVITY_MEASURE + f] += (flags >> f) & 1;
  }
}

void aggregate_cells_parallel(const Rows& rows, int64_t n, View<int16_t> muni_slot,
                              View<int8_t> category_slot, int64_t* cells, int64_t n_months,
                              int n_parts) {
  // Each part reads the rows in order (sequential, person by person) and adds those of
  // its own months: a row costs one or two cell updates, so reading the rows in order
  // beats visiting them month by month (a gather from every row array).
  auto part = [&](int t) {
    const int64_t lo = t * n_months / n_parts;
    const int64_t hi = (t + 1) * n_months / n_parts;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t m = rows.month[i];
      if (m >= lo && m < hi && rows.excluded[i] == 0)
        add_row(rows, i, muni_slot, category_slot, cells);
    }
  };
  run_parts(n_parts, part);
}

void gather_cells(const int64_t* flat, const int64_t* idx, int64_t n, int64_t* out,
                  int n_parts) {
  // Each part gathers a contiguous range of the cells: disjoint writes.
  auto part = [&](int t) {
    const int64_t lo = n * t / n_parts, hi = n * (t + 1) / n_parts;
    for (int64_t j = lo; j < hi; ++j)
      for (int64_t k = 0; k < N_MEASURES; ++k) out[k * n + j] = flat[idx[j] * N_MEASURES + k];
  };
  run_parts(n_parts, part);
}

std::vector<int64_t> occupied_cells(const int64_t* flat, int64_t n) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k <= EXEMPT_MEASURE; ++k)
      if (flat[i * N_MEASURES + k] != 0) {
        out.push_back(i);
        break;
      }
  return out;
}

}  // namespace jobindsats

namespace jobindsats {

static constexpr int64_t CELLS_PER_MONTH = N_MUNI_SLOTS * N_GROUP_SLOTS * N_INTERVAL_SLOTS;

// complete_cells (kernels/cells.py) for one month's cells c[muni][group][interval][measure].
static void complete_month(int64_t* c) {
  auto at = [c](int64_t mu, int64_t gs, int64_t iv) {
    return c + ((mu * N_GROUP_SLOTS + gs) * N_INTERVAL_SLOTS + iv) * N_MEASURES;
  };
  for (int64_t mu = 0; mu < N_MUNI_SLOTS; ++mu)
    for (int64_t gs = 0; gs < N_GROUP_SLOTS; ++gs) {
      int64_t* plus = at(mu, gs, TWELVE_PLUS_SLOT);
      int64_t* under = at(mu, gs, UNDER12_SLOT);
      for (int64_t k = 0; k < N_MEASURES; ++k) {
        int64_t bands = 0, fine = 0;
        for (int64_t iv = FIRST_BAND_SLOT; iv < N_INTERVAL_SLOTS; ++iv) bands += at(mu, gs, iv)[k];
        for (int64_t iv = 0; iv < UNDER12_SLOT; ++iv) fine += at(mu, gs, iv)[k];
        plus[k] += bands;
        under[k] = fine;
      }
    }
  for (int64_t mu = 0; mu < N_MUNI_SLOTS; ++mu)
    for (int64_t iv = 0; iv < N_INTERVAL_SLOTS; ++iv) {
      int64_t* all = at(mu, ALL_GROUP_SLOT, iv);
      for (int64_t k = 0; k < N_MEASURES; ++k) {
        int64_t sum = 0;
        for (int64_t g = 0; g < N_GROUPS; ++g) sum += at(mu, g, iv)[k];
        all[k] = sum;
      }
    }
  const int64_t per_muni = N_GROUP_SLOTS * N_INTERVAL_SLOTS * N_MEASURES;
  int64_t* national = c;  // municipality slot 0
  std::fill(national, national + per_muni, int64_t{0});
  for (int64_t mu = 1; mu < N_MUNI_SLOTS; ++mu) {
    const int64_t* m = c + mu * per_muni;
    for (int64_t j = 0; j < per_muni; ++j) national[j] += m[j];
  }
}

std::vector<int64_t> finish_cells(int64_t* cells, int64_t n_months, std::vector<int64_t>& counts,
                                  int n_parts) {
  n_parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(n_parts, n_months)));
  // per month: its occupied cells (flat indices), found while its cells are in cache
  std::vector<std::vector<int64_t>> occupied(static_cast<size_t>(n_months));
  run_parts(n_parts, [&](int t) {
    for (int64_t m = n_months * t / n_parts; m < n_months * (t + 1) / n_parts; ++m) {
      int64_t* c = cells + m * CELLS_PER_MONTH * N_MEASURES;
      complete_month(c);
      occupied[static_cast<size_t>(m)] = occupied_cells(c, CELLS_PER_MONTH);
      for (int64_t& i : occupied[static_cast<size_t>(m)]) i += m * CELLS_PER_MONTH;
    }
  });
  std::vector<int64_t> first(static_cast<size_t>(n_months) + 1, 0);
  for (int64_t m = 0; m < n_months; ++m)
    first[static_cast<size_t>(m) + 1] =
        first[static_cast<size_t>(m)] + static_cast<int64_t>(occupied[static_cast<size_t>(m)].size());
  const int64_t n = first[static_cast<size_t>(n_months)];
  std::vector<int64_t> index(static_cast<size_t>(n));
  counts.resize(static_cast<size_t>(N_MEASURES * n));
  run_parts(n_parts, [&](int t) {
    for (int64_t m = n_months * t / n_parts; m < n_months * (t + 1) / n_parts; ++m) {
      const auto& occ = occupied[static_cast<size_t>(m)];
      const int64_t at = first[static_cast<size_t>(m)];
      for (size_t j = 0; j < occ.size(); ++j) {
        const int64_t pos = at + static_cast<int64_t>(j);
        index[static_cast<size_t>(pos)] = occ[j];
        const int64_t* cell = cells + occ[j] * N_MEASURES;
        for (int64_t k = 0; k < N_MEASURES; ++k) counts[static_cast<size_t>(k * n + pos)] = cell[k];
      }
    }
  });
  return index;
}

}  // namespace jobindsats
