// The kernel contract of docs/kernel.md, checked: what jobindsats.Dataset.kernel_arrays()
// guarantees (CSR offsets, rows sorted per person, dates in SPEC §8's range, end >=
// start, codes in range) and the run's months. The kernels index rule arrays and
// buffers by these values, so input that breaks the contract must be refused before it
// reaches them: the binding (src/register_measure.cpp) calls these on every call, and
// fuzz/fuzz_check.cpp feeds them corrupted input.
#pragma once

#include <cstdint>
#include <string>

#include "data.hpp"

namespace jobindsats {

// SPEC §8: dates lie in 1900-01-01..2100-12-31 (day numbers since 1970-01-01).
constexpr int64_t CONTRACT_MIN_DAY = -25567;
constexpr int64_t CONTRACT_MAX_DAY = 47846;

// The input of persons [p0, p1) (the array lengths and offsets of the whole dataset,
// the rows of those persons): "" when it honours the contract, else a message naming the
// array and the first offending row. The persons' rows are checked on up to `threads`
// threads; the message is the same for any number.
std::string check_input(const Data& d, const Rules& rules, int64_t p0, int64_t p1,
                        int threads = 1);

// check_input's first part: the array lengths and the offsets ("" or why not).
std::string check_tables(const Data& d, int64_t p0, int64_t p1);

// check_input's second part as a yes or no: whether the rows of persons [p0, p1) (their
// offsets checked) honour the contract. Straight passes that do not stop at the first
// fault; on a no, check_input names it. A kernel may call this on each block of persons
// just before measuring it, while the block's rows are in cache (measure_cells).
bool rows_clear(const Data& d, const Rules& rules, int64_t p0, int64_t p1);

// The run's months: at least one, month_first[m] <= month_last[m] < month_first[m + 1],
// within the date range.
std::string check_months(View<int32_t> month_first, View<int32_t> month_last);

// Person-month rows handed to the R40 aggregation (n rows, n_months months) and the slot
// maps it indexes with them: "" or a message naming the array and the first bad row.
std::string check_rows(const Rows& rows, int64_t n, int64_t n_months, View<int16_t> muni_slot,
                       View<int8_t> category_slot);

}  // namespace jobindsats
