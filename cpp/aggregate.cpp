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
  const size_t n = static_cast<size_t>(std::max<int64_t>(n_months, 1));
  month_lock_.reset(new std::mutex[n]);
  log_.reset(new std::vector<uint64_t>[n]);
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

// A row's cell updates, packed in one word of its month's log: bits 0-15 its group cell
// within the month, 16-20 how many group slots on its category cell lies (0: none),
// 21-23 its measure (n0..n5plus, exempt), 24-30 its activity bits, 31-63 its interviews.
// The summaries (under 12, 12+, all groups, national) are sums of base cells, added once
// at the end by finish: 1-2 cell updates per row instead of 12.
static constexpr int64_t CATEGORY_SHIFT = 16, MEASURE_SHIFT = 21, FLAGS_SHIFT = 24,
                         INTERVIEWS_SHIFT = 31;
static_assert(CELLS_PER_MONTH <= (int64_t{1} << CATEGORY_SHIFT), "a cell index in 16 bits");

static inline uint64_t packed_row(const Rows& rows, int64_t i, const RowCells& at,
                                  int64_t month_base) {
  uint64_t measure, interviews;
  if (rows.exempt[i]) {
    measure = EXEMPT_MEASURE;
    interviews = 0;
  } else {
    const int64_t k = rows.counted[i];  // (>= 0: the kernel's, or checked by check_rows)
    measure = static_cast<uint64_t>(k < 5 ? k : 5);
    interviews = static_cast<uint64_t>(k);
  }
  const uint64_t category =
      at.category < 0 ? 0 : static_cast<uint64_t>((at.category - at.group) / N_INTERVAL_SLOTS);
  return static_cast<uint64_t>(at.group - month_base) | category << CATEGORY_SHIFT |
         measure << MEASURE_SHIFT |
         static_cast<uint64_t>(rows.activity[i] & ((1 << N_ACTIVITY_BITS) - 1)) << FLAGS_SHIFT |
         interviews << INTERVIEWS_SHIFT;
}

static inline void add_to(Cell& cell, uint64_t measure, int64_t interviews, uint64_t flags) {
  cell.person[measure] += 1;
  cell.interviews += interviews;
  if (flags != 0)
    for (int64_t f = 0; f < N_ACTIVITY_BITS; ++f)
      cell.activity[f] += static_cast<int32_t>((flags >> f) & 1);
}

// Logged rows ahead whose cells are fetched while the current one is added (the month's
// cells are in cache or on their way: the fetches overlap the rest).
static constexpr size_t PREFETCH_ROWS = 8;

static inline void prefetch_for_write(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p, 1);
#else
  (void)p;  // (MSVC: no prefetch; the same sums, only slower)
#endif
}

void CellSink::apply_log(int64_t month) const {
  std::vector<uint64_t>& log = log_[static_cast<size_t>(month)];
  Cell* base = cells_ + month * CELLS_PER_MONTH;
  const size_t n = log.size();
  const uint64_t cell_mask = (uint64_t{1} << CATEGORY_SHIFT) - 1;
  for (size_t k = 0; k < n; ++k) {
    if (k + PREFETCH_ROWS < n) prefetch_for_write(base + (log[k + PREFETCH_ROWS] & cell_mask));
    const uint64_t w = log[k];
    const uint64_t measure = (w >> MEASURE_SHIFT) & 7, flags = (w >> FLAGS_SHIFT) & 127;
    const int64_t interviews = static_cast<int64_t>(w >> INTERVIEWS_SHIFT);
    Cell& cell = base[w & cell_mask];
    add_to(cell, measure, interviews, flags);
    if (const uint64_t c = (w >> CATEGORY_SHIFT) & 31; c != 0)
      add_to((&cell)[c * N_INTERVAL_SLOTS], measure, interviews, flags);
  }
  log.clear();
}

void CellSink::log_row(const Rows& rows, int64_t i, View<int16_t> muni_slot,
                       View<int8_t> category_slot) {
  const int64_t m = rows.month[i];
  std::vector<uint64_t>& log = log_[static_cast<size_t>(m)];
  if (log.size() >= LOG_ROWS) apply_log(m);
  if (log.capacity() == 0) log.reserve(LOG_ROWS);
  log.push_back(packed_row(rows, i, row_cells(rows, i, muni_slot, category_slot),
                           m * CELLS_PER_MONTH));
}

void CellSink::flush(int n_parts) const {
  n_parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(n_parts, n_months_)));
  run_parts(n_parts, [&](int t) {
    for (int64_t m = n_months_ * t / n_parts; m < n_months_ * (t + 1) / n_parts; ++m) {
      const std::lock_guard<std::mutex> hold(month_lock_[static_cast<size_t>(m)]);
      apply_log(m);
    }
  });
}

std::string CellSink::count_persons(int64_t n_persons) {
  int64_t now = persons_.load();
  do {
    if (n_persons < 0 || n_persons > std::numeric_limits<int32_t>::max() - now)
      return "the R40 cells hold counts of at most 2^31 - 1 persons";
  } while (!persons_.compare_exchange_weak(now, now + n_persons));
  return "";
}

std::string CellSink::add_rows(const Rows& rows, int64_t n, int64_t n_persons,
                               View<int16_t> muni_slot, View<int8_t> category_slot,
                               int n_parts) {
  if (std::string e = count_persons(n_persons); !e.empty()) return e;
  // Each part reads the rows in order (sequential, person by person) and logs those of
  // its own months, holding those months' locks (in month order; add_block holds one
  // lock at a time).
  auto part = [&](int t) {
    const int64_t lo = t * n_months_ / n_parts;
    const int64_t hi = (t + 1) * n_months_ / n_parts;
    std::vector<std::unique_lock<std::mutex>> held;
    for (int64_t m = lo; m < hi; ++m) held.emplace_back(month_lock_[static_cast<size_t>(m)]);
    for (int64_t i = 0; i < n; ++i) {
      // (excluded first: a slot no row was written to is not)
      if (rows.excluded[i] != 0 || rows.month[i] < lo || rows.month[i] >= hi) continue;
      log_row(rows, i, muni_slot, category_slot);
    }
  };
  run_parts(n_parts, part);
  return "";
}

void CellSink::add_block(const Rows& rows, int64_t n, View<int16_t> muni_slot,
                         View<int8_t> category_slot, int64_t start, BlockOrder& order) {
  // the rows by month: a counting sort (excluded rows left out), so that each month's
  // lock is taken once
  const size_t n_months = static_cast<size_t>(n_months_);
  std::vector<int32_t>& first = order.first;
  first.assign(n_months + 1, 0);
  for (int64_t i = 0; i < n; ++i)
    if (rows.excluded[i] == 0) ++first[static_cast<size_t>(rows.month[i]) + 1];
  for (size_t m = 0; m < n_months; ++m) first[m + 1] += first[m];
  order.next.assign(first.begin(), first.end() - 1);
  order.rows.resize(static_cast<size_t>(std::max<int64_t>(n, 1)));
  for (int64_t i = 0; i < n; ++i)
    if (rows.excluded[i] == 0)
      order.rows[static_cast<size_t>(order.next[static_cast<size_t>(rows.month[i])]++)] =
          static_cast<int32_t>(i);
  for (int64_t k = 0; k < n_months_; ++k) {
    const size_t m = static_cast<size_t>((start + k) % n_months_);
    if (first[m] == first[m + 1]) continue;
    const std::lock_guard<std::mutex> hold(month_lock_[m]);
    for (int32_t j = first[m]; j < first[m + 1]; ++j)
      log_row(rows, order.rows[static_cast<size_t>(j)], muni_slot, category_slot);
  }
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
  flush();
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
  flush(n_parts);
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
