// R40 aggregation of person-month rows into dense cells.
// Twin of python/jobindsats/kernels/aggregate.py (the slot layout: kernels/cells.py).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "data.hpp"

namespace jobindsats {

constexpr int64_t N_MUNI_SLOTS = 100;
constexpr int64_t N_GROUP_SLOTS = 22;
constexpr int64_t ALL_GROUP_SLOT = 21;
constexpr int64_t N_INTERVAL_SLOTS = 18;
constexpr int64_t UNDER12_SLOT = 12;
constexpr int64_t TWELVE_PLUS_SLOT = 13;
constexpr int64_t FIRST_BAND_SLOT = 14;
constexpr int64_t N_MEASURES = 15;
constexpr int64_t EXEMPT_MEASURE = 6;
constexpr int64_t INTERVIEWS_MEASURE = 7;
// measures 8..14: one per activity bit (activation.hpp): no_activation (R41), the five
// passivity windows (R44), samtaletal_met (R43)
constexpr int64_t FIRST_ACTIVITY_MEASURE = 8;
constexpr int64_t N_ACTIVITY_BITS = 7;

// One base cell while rows are added: the person counts n0..n5plus and exempt, the seven
// activity counts and the interviews, in one 64-byte cache line (two, as 15 int64). A
// person adds at most 1 to a count of a cell (one row per person x month x group, and a
// row goes to two different slots at most), so int32 counts hold any population under
// 2^31 persons (CellSink checks); interviews are summed in int64.
struct alignas(64) Cell {
  int32_t person[EXEMPT_MEASURE + 1];
  int32_t activity[N_ACTIVITY_BITS];
  int64_t interviews;
};
static_assert(sizeof(Cell) == 64, "a cell is one cache line");

// The R40 base cells of a run, [months, 100, 22, 18] cells in C order (the slot layout of
// kernels/cells.py), zero until rows are added. Memory is taken from the system zeroed and
// only the pages of cells that receive rows are ever touched; half the size of the dense
// int64 array (months, 100, 22, 18, 15) the Numba backend fills. Twin of that array with
// kernels/aggregate.py and kernels/cells.py: the same sums.
//
// Rows are not added into their cells one by one as they come: a person's rows land in
// every month, so each would be a wait for memory (the cells are 0.24 GB for 96 months).
// Each row is kept as one packed word in its month's log instead, and a month's log is
// applied to the month's cells once it holds LOG_ROWS rows, and by flush: those 2.5 MB of
// cells then stay in cache while the log's 65,536 updates land. The counts are integer
// sums: the same in any order.
class CellSink {
 public:
  explicit CellSink(int64_t n_months);
  ~CellSink();
  CellSink(const CellSink&) = delete;
  CellSink& operator=(const CellSink&) = delete;
  int64_t n_months() const { return n_months_; }
  int64_t n_cells() const { return n_months_ * N_MUNI_SLOTS * N_GROUP_SLOTS * N_INTERVAL_SLOTS; }
  // Base cell i (a flat index into [months, 100, 22, 18]), after flush.
  const Cell& cell(int64_t i) const { return cells_[i]; }

  // Applies every month's logged rows to its cells, months on n_parts threads (finish and
  // base_cells do this first).
  void flush(int n_parts = 1) const;

  // Adds rows 0..n-1 (of n_persons persons) into their base cells, split by month ranges
  // over n_parts threads: each part reads all rows in order and logs those of its months
  // (holding their locks), so the parts never write the same log and the sums do not
  // depend on the split
  // (finish adds the summaries); excluded rows (R2, R3) land nowhere, and so do rows whose
  // excluded is any other non-zero value (a slot no row was written to, whose other
  // fields are then not read). Returns "" or why
  // the counts could overflow (more than 2^31 - 1 persons in all).
  std::string add_rows(const Rows& rows, int64_t n, int64_t n_persons, View<int16_t> muni_slot,
                       View<int8_t> category_slot, int n_parts);

  // n_persons more persons whose rows are coming (add_block's callers count them once
  // before): "" or why the counts could overflow (more than 2^31 - 1 persons in all).
  std::string count_persons(int64_t n_persons);

  // Adds rows 0..n-1 (a few thousand: one block's, still in cache) into their base cells,
  // month by month, each month's cells under that month's lock: several threads may add
  // blocks at once (and add_rows beside them), each starting at another month (start) so
  // that they seldom wait. order: the caller's scratch (one per thread), sized here.
  // Skips excluded rows as add_rows does.
  struct BlockOrder;
  void add_block(const Rows& rows, int64_t n, View<int16_t> muni_slot,
                 View<int8_t> category_slot, int64_t start, BlockOrder& order);

  // R40's summaries and the non-empty cells, one month at a time on n_parts threads: the
  // month's base cells as int64 [100][22][18][15], completed exactly as complete_cells
  // (kernels/cells.py) does (12+ += its year bands, under 12 = the fine intervals, all =
  // the nine groups, national = the 99 municipality slots, in that order); returns the
  // flat indices (into [months, 100, 22, 18]) of the cells with any person (n0..n5plus or
  // exempt), ascending, and writes their counts to counts (allocated here, int64[15 * n]:
  // one row of n per measure). The sink is unchanged.
  std::vector<int64_t> finish(std::unique_ptr<int64_t[]>& counts, int n_parts) const;

  // The base cells as the dense int64 array (months, 100, 22, 18, 15) (for comparisons).
  void base_cells(int64_t* out) const;

 private:
  // A month's log holds LOG_ROWS packed rows at most (0.5 MB) before it is applied.
  static constexpr size_t LOG_ROWS = size_t{1} << 16;
  // Logs row i in its month's log (whose lock the caller holds), applying the log first
  // when it is full.
  void log_row(const Rows& rows, int64_t i, View<int16_t> muni_slot,
               View<int8_t> category_slot);
  void apply_log(int64_t month) const;

  int64_t n_months_;
  std::atomic<int64_t> persons_{0};
  void* memory_;
  Cell* cells_;
  std::unique_ptr<std::mutex[]> month_lock_;  // one per month: its log and its cells
  // per month: rows not yet in its cells (mutable: flushing leaves the counts the same)
  mutable std::unique_ptr<std::vector<uint64_t>[]> log_;
};

// CellSink::add_block's scratch: a block's rows ordered by month (rows[first[m] ..
// first[m + 1]) are month m's).
struct CellSink::BlockOrder {
  std::vector<int32_t> rows, first, next;
};

// Indices of the cells (rows of an [n, 15] array) with any person (n0..n5plus or exempt).
std::vector<int64_t> occupied_cells(const int64_t* flat, int64_t n);

// The counts of the n cells idx (rows of flat, an [cells, 15] array) as out[15, n], one
// row per measure: one pass over the cells in index order, split into n_parts ranges of
// idx on as many threads.
void gather_cells(const int64_t* flat, const int64_t* idx, int64_t n, int64_t* out,
                  int n_parts = 1);

}  // namespace jobindsats
