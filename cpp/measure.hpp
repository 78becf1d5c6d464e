// The threaded driver: persons cut into fixed blocks handed to threads; each person
// writes into its own pre-sized slot (row_base), so the output is identical for any
// thread count. Mirror of python/jobindsats/kernels/driver.py. For the cells alone,
// measure_cells adds each thread's rows into the cells as they come (integer sums: the
// same for any thread count).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data.hpp"
#include "threads.hpp"

namespace jobindsats {

constexpr int64_t BLOCK_PERSONS = 256;

// Threads for persons p0..p1-1 cut into blocks: at most one per block, at least one.
inline int block_threads(int64_t p0, int64_t p1, int threads) {
  const int64_t n_blocks = (p1 - p0 + BLOCK_PERSONS - 1) / BLOCK_PERSONS;
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, n_blocks)));
}

// Persons p0..p1-1 in blocks of BLOCK_PERSONS, handed to n_threads threads as they come
// free: visit(tid, lo, hi) for each block (tid in 0..n_threads-1) until every block is
// visited or a visit returns false (the threads then take no further blocks). Returns
// whether every block was visited. Which thread takes a block varies; what a block writes
// may not depend on it.
template <class Visit>
bool for_each_block(int64_t p0, int64_t p1, int n_threads, const Visit& visit) {
  const int64_t n_blocks = (p1 - p0 + BLOCK_PERSONS - 1) / BLOCK_PERSONS;
  std::atomic<int64_t> next_block{0};
  std::atomic<bool> stopped{false};
  run_parts(n_threads, [&](int tid) {
    while (!stopped.load(std::memory_order_relaxed)) {
      const int64_t b = next_block.fetch_add(1);
      if (b >= n_blocks) break;
      const int64_t lo = p0 + b * BLOCK_PERSONS;
      if (!visit(tid, lo, std::min(lo + BLOCK_PERSONS, p1))) stopped = true;
    }
  });
  return !stopped;
}

// Sizes s for person p before the kernel visits it.
inline void reserve_person(Scratch& s, const Data& d, const Rules& rules, int64_t p) {
  s.reserve_for(d.ben_off[p + 1] - d.ben_off[p], d.ex_off[p + 1] - d.ex_off[p],
                d.vis_off[p + 1] - d.vis_off[p], d.iv_off[p + 1] - d.iv_off[p],
                rules.covid_dead_start.size);
}

// for_each_block person by person: each thread has its own Scratch, sized for each person
// before visit(tid, s, p). Per-thread sums must be integers, added up by the caller.
template <class Visit>
void for_each_person(const Data& d, const Rules& rules, int64_t p0, int64_t p1, int n_threads,
                     const Visit& visit) {
  // (each its own allocation: threads writing their scratches never share a cache line)
  std::vector<std::unique_ptr<Scratch>> scratch;
  for (int t = 0; t < n_threads; ++t) scratch.push_back(std::make_unique<Scratch>());
  for_each_block(p0, p1, n_threads, [&](int tid, int64_t lo, int64_t hi) {
    Scratch& s = *scratch[static_cast<size_t>(tid)];
    for (int64_t p = lo; p < hi; ++p) {
      reserve_person(s, d, rules, p);
      visit(tid, s, p);
    }
    return true;
  });
}

// Rows of persons p0..p1-1: person p writes from row_base[p - p0] and reports its count
// in written[p - p0]; quality receives the summed quality counters (N_QUALITY).
void measure_persons(const Data& d, const Rules& rules, View<int32_t> month_first,
                     View<int32_t> month_last, int64_t p0, int64_t p1,
                     const int64_t* row_base, const Rows& out, int64_t* written,
                     int64_t* quality, int threads);

// Cells only (R40 without the R47 rows): persons p0..p1-1 measured block by block on up
// to `threads` threads, each thread adding its rows into sink (CellSink::add_block) as
// its row buffer fills, while the rows are in cache: the rows of the whole range are
// never kept, and no row capacity is needed (a person has at most one row per month and
// group). Each block's input rows are checked (rows_clear) just before they are measured,
// so the caller checks only the tables (check_tables). Returns "" or why not: a block
// that breaks the kernel contract gives check_input's message for the whole range (the
// first offending row in person order), or the sink's overflow message; the sink then
// holds some of the rows and must not be finished. quality as measure_persons.
class CellSink;
std::string measure_cells(const Data& d, const Rules& rules, View<int32_t> month_first,
                          View<int32_t> month_last, int64_t p0, int64_t p1, CellSink& sink,
                          View<int16_t> muni_slot, View<int8_t> category_slot,
                          int64_t* quality, int threads);

// An upper bound of each person's rows (p0..p1-1 into capacity[p - p0]): for each
// benefit row of a measured benefit, the run months it overlaps (a person x month x group
// row needs a row of that group in that month). Twin of backend.row_capacity.
void row_capacity(const Data& d, const Rules& rules, View<int32_t> month_first,
                  View<int32_t> month_last, int64_t p0, int64_t p1, int64_t* capacity,
                  int threads);

// Move each person's written rows down so they are contiguous; returns the row count.
int64_t compact_rows(const Rows& rows, int64_t n_persons, const int64_t* row_base,
                     const int64_t* written, int threads = 1);

// Rows 0..n-1 labelled in place for the R47 table: each person index becomes the
// person's id (person_ids) and each month index the month's first day (month_first), on
// up to `threads` threads (a gather the table would otherwise do into new memory).
void label_rows(const Rows& rows, int64_t n, View<int64_t> person_ids, View<int32_t> month_first,
                int threads = 1);

}  // namespace jobindsats
