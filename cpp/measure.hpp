// The threaded driver: persons cut into fixed blocks handed to threads; each person
// writes into its own pre-sized slot (row_base), so the output is identical for any
// thread count. Mirror of python/jobindsats/kernels/driver.py.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

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
// free; each thread has its own Scratch, sized for each person before visit(tid, s, p)
// (tid in 0..n_threads-1). Which thread takes a person varies; what a person writes may
// not depend on it (per-thread sums are integers, added up by the caller).
template <class Visit>
void for_each_person(const Data& d, const Rules& rules, int64_t p0, int64_t p1, int n_threads,
                     const Visit& visit) {
  const int64_t n_blocks = (p1 - p0 + BLOCK_PERSONS - 1) / BLOCK_PERSONS;
  std::atomic<int64_t> next_block{0};
  run_parts(n_threads, [&](int tid) {
    Scratch s;
    for (;;) {
      const int64_t b = next_block.fetch_add(1);
      if (b >= n_blocks) break;
      const int64_t lo = p0 + b * BLOCK_PERSONS;
      const int64_t hi = std::min(lo + BLOCK_PERSONS, p1);
      for (int64_t p = lo; p < hi; ++p) {
        s.reserve_for(d.ben_off[p + 1] - d.ben_off[p], d.ex_off[p + 1] - d.ex_off[p],
                      d.vis_off[p + 1] - d.vis_off[p], d.iv_off[p + 1] - d.iv_off[p],
                      rules.covid_dead_start.size);
        visit(tid, s, p);
      }
    }
  });
}

// Rows of persons p0..p1-1: person p writes from row_base[p - p0] and reports its count
// in written[p - p0]; quality receives the summed quality counters (N_QUALITY).
void measure_persons(const Data& d, const Rules& rules, View<int32_t> month_first,
                     View<int32_t> month_last, int64_t p0, int64_t p1,
                     const int64_t* row_base, const Rows& out, int64_t* written,
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
