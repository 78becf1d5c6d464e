// Twin of python/jobindsats/kernels/aggregate.py.
#include "aggregate.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "constants.hpp"
#include "threads.hpp"

namespace jobindsats {

static constexpr int64_t CELLS_PER_MONTH = N_MUNI_SLOTS * N_GROUP_SLOTS * N_INTERVAL_SLOTS;

CellSink::CellSink(int64_t n_months) : n_months_(n_months) {
  // calloc: zeroed pages from the system, touched (and so paid for) only where rows land
  const size_t bytes = static_cast<size_t>(n_months) * CELLS_PER_MONTH * sizeof(Cell);
  memory_ = std::calloc(bytes + alignof(Cell), 1);
  if (memory_ == nullptr) throw std::bad_alloc();
  const auto at = reinterpret_cast<uintptr_t>(memory_);
  cells_ = reinterpret_cast<Cell*>((at + alignof(Cell) - 1) / alignof(Cell) * alignof(Cell));
}

CellSink::~CellSink() { std::free(memory_); }

// The base cells of row i: its own municipality, its group and (if any, else -1) its
// category breakdown, and its fine interval under 12 or its year band from 12 on.
struct RowCells {
  int64_t group, category;
};

static inline RowCells row_cells(const Rows& rows, int64_t i, View<int16_t> muni_slot,
                                 View<int8_t> category_slot) {
  const int64_t m = rows.month[i];
  const int64_t g = rows.group[i];
  const int64_t c = rows.category[i];
  const int64_t iv = rows.interval[i];
  const int64_t iv_slot = iv < TWELVE_PLUS ? iv : FIRST_BAND_SLOT + rows.band[i];
  const int64_t cs = c >= 0 && category_slot[g] >= 0 ? category_slot[g] + c : -1;
  const int64_t base = (m * N_MUNI_SLOTS + muni_slot[rows.municipality[i]]) * N_GROUP_SLOTS;
  return RowCells{(base + g) * N_INTERVAL_SLOTS + iv_slot,
                  cs < 0 ? -1 : (base + cs) * N_INTERVAL_SLOTS + iv_slot};
}

// Add row i into its base cells. The summaries (under 12, 12+, all groups, national) are
// sums of base cells, added once at the end by finish: 1-2 cell updates per row instead
// of 12.
static inline void add_row(const Rows& rows, int64_t i, const RowCells& at, Cell* cells) {
  int64_t measure, interviews;
  if (rows.exempt[i]) {
    measure = EXEMPT_MEASURE;
    interviews = 0;
  } else {
    const int64_t k = rows.counted[i];
    measure = k < 5 ? k : 5;
    interviews = k;
  }
  const int64_t flags = rows.activity[i];
  for (const int64_t j : {at.group, at.category}) {
    if (j < 0) continue;
    Cell& cell = cells[j];
    cell.person[measure] += 1;
    cell.interviews += interviews;
    if (flags != 0)
      for (int64_t f = 0; f < N_ACTIVITY_BITS; ++f)
        cell.activity[f] += static_cast<int32_t>((flags >> f) & 1);
  }
}

// Rows ahead whose cells are fetched while the current row is added: the cells are
// spread over the whole sink (each row of a person lands in another month), so each
// update would otherwise wait for memory; prefetching overlaps those waits.
static constexpr int64_t PREFETCH_ROWS = 16;

static inline void prefetch_for_write(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p, 1);
#else
  (void)p;  // (MSVC: no prefetch; the same sums, only slower)
#endif
}

std::string CellSink::add_rows(const Rows& rows, int64_t n, int64_t n_persons,
                               View<int16_t> muni_slot, View<int8_t> category_slot,
                               int n_parts) {
  if (n_persons < 0 || n_persons > std::numeric_limits<int32_t>::max() - persons_)
    return "the R40 cells hold counts of at most 2^31 - 1 persons";
  persons_ += n_persons;
  // Each part reads the rows in order (sequential, person by person) and adds those of
  // its own months: a row costs one or two cell updates, so reading the rows in order
  // beats visiting them month by month (a gather from every row array; tried: slower).
  auto part = [&](int t) {
    const int64_t lo = t * n_months_ / n_parts;
    const int64_t hi = (t + 1) * n_months_ / n_parts;
    auto mine = [&](int64_t i) {  // (excluded first: a slot no row was written to is not)
      if (rows.excluded[i] != 0) return false;
      const int64_t m = rows.month[i];
      return m >= lo && m < hi;
    };
    // the cells of rows i + 1 .. i + PREFETCH_ROWS, in a ring
    RowCells ahead[PREFETCH_ROWS];
    auto fetch = [&](int64_t i) {
      if (i >= n || !mine(i)) return;
      const RowCells at = row_cells(rows, i, muni_slot, category_slot);
      ahead[i % PREFETCH_ROWS] = at;
      prefetch_for_write(cells_ + at.group);
      if (at.category >= 0) prefetch_for_write(cells_ + at.category);
    };
    for (int64_t i = 0; i < PREFETCH_ROWS; ++i) fetch(i);
    for (int64_t i = 0; i < n; ++i) {
      if (mine(i)) add_row(rows, i, ahead[i % PREFETCH_ROWS], cells_);
      fetch(i + PREFETCH_ROWS);
    }
  };
  run_parts(n_parts, part);
  return "";
}

// One month's base cells as int64 [100][22][18][15].
static void widen_month(const Cell* from, int64_t* to) {
  for (int64_t j = 0; j < CELLS_PER_MONTH; ++j) {
    const Cell& c = from[j];
    int64_t* x = to + j * N_MEASURES;
    for (int64_t k = 0; k <= EXEMPT_MEASURE; ++k) x[k] = c.person[k];
    x[INTERVIEWS_MEASURE] = c.interviews;
    for (int64_t f = 0; f < N_ACTIVITY_BITS; ++f) x[FIRST_ACTIVITY_MEASURE + f] = c.activity[f];
  }
}

void CellSink::base_cells(int64_t* out) const {
  for (int64_t m = 0; m < n_months_; ++m)
    widen_month(cells_ + m * CELLS_PER_MONTH, out + m * CELLS_PER_MONTH * N_MEASURES);
}

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

std::vector<int64_t> CellSink::finish(std::unique_ptr<int64_t[]>& counts, int n_parts) const {
  n_parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(n_parts, n_months_)));
  // Two passes over the months, each completing a month's cells while they are in cache:
  // the first finds the occupied cells, the second (the same month completed again) writes
  // their counts straight into place. Completing a month twice costs less than keeping
  // every month's counts apart and copying them (~0.3 GB of fresh memory for 1M persons:
  // first touches are slow, docs/benchmarks.md).
  auto completed = [this](int64_t m, int64_t* dense) {
    widen_month(cells_ + m * CELLS_PER_MONTH, dense);
    complete_month(dense);
  };
  auto months_of = [this, n_parts](int t) {
    return std::pair<int64_t, int64_t>{n_months_ * t / n_parts, n_months_ * (t + 1) / n_parts};
  };
  const size_t dense_size = static_cast<size_t>(CELLS_PER_MONTH * N_MEASURES);
  std::vector<std::vector<int64_t>> occupied(static_cast<size_t>(n_months_));
  run_parts(n_parts, [&](int t) {
    std::vector<int64_t> dense(dense_size);
    for (auto [m, end] = months_of(t); m < end; ++m) {
      completed(m, dense.data());
      occupied[static_cast<size_t>(m)] = occupied_cells(dense.data(), CELLS_PER_MONTH);
    }
  });
  std::vector<int64_t> first(static_cast<size_t>(n_months_) + 1, 0);
  for (size_t m = 0; m < static_cast<size_t>(n_months_); ++m)
    first[m + 1] = first[m] + static_cast<int64_t>(occupied[m].size());
  const int64_t n = first[static_cast<size_t>(n_months_)];
  std::vector<int64_t> index(static_cast<size_t>(n));
  counts.reset(new int64_t[static_cast<size_t>(std::max<int64_t>(1, N_MEASURES * n))]);
  int64_t* out = counts.get();
  run_parts(n_parts, [&](int t) {
    std::vector<int64_t> dense(dense_size);
    for (auto [m, end] = months_of(t); m < end; ++m) {
      const auto& occ = occupied[static_cast<size_t>(m)];
      if (occ.empty()) continue;
      completed(m, dense.data());
      const int64_t at = first[static_cast<size_t>(m)];
      for (size_t j = 0; j < occ.size(); ++j) {
        const int64_t i = at + static_cast<int64_t>(j);
        index[static_cast<size_t>(i)] = occ[j] + m * CELLS_PER_MONTH;
        const int64_t* c = dense.data() + occ[j] * N_MEASURES;
        for (int64_t k = 0; k < N_MEASURES; ++k) out[k * n + i] = c[k];
      }
    }
  });
  return index;
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
