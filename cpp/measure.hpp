// The threaded driver: persons cut into fixed blocks handed to threads; each person
// writes into its own pre-sized slot (row_base), so the output is identical for any
// thread count. Mirror of python/jobindsats/kernels/driver.py.
#pragma once

#include <cstdint>

#include "data.hpp"

namespace jobindsats {

constexpr int64_t BLOCK_PERSONS = 256;

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

}  // namespace jobindsats
