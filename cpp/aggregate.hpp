// R40 aggregation of person-month rows into dense cells.
// Twin of python/jobindsats/kernels/aggregate.py (the slot layout: kernels/cells.py).
#pragma once

#include <cstdint>
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

// Aggregation split by month ranges over n_parts threads: each part owns its months'
// cells, so the parts never write the same cell and the sums do not depend on the split.
// Each part reads all rows in order and adds those of its months into their base cells
// (complete_cells in kernels/cells.py adds the summaries at the end); excluded rows (R2, R3)
// land nowhere. Cells: int64[months, 100, 22, 18, 15], C order.
void aggregate_cells_parallel(const Rows& rows, int64_t n, View<int16_t> muni_slot,
                              View<int8_t> category_slot, int64_t* cells, int64_t n_months,
                              int n_parts);

// R40's summaries and the non-empty cells in one pass per month, split by months over
// n_parts threads: completes cells in place exactly as complete_cells (kernels/cells.py)
// does (12+ += its year bands, under 12 = the fine intervals, all = the nine groups,
// national = the 99 municipality slots, in that order), then returns the flat indices of
// the cells with any person (n0..n5plus or exempt), ascending, and writes their counts
// to counts (one row of n per measure, n = the returned size; counts is resized). One
// month's cells are 4.75 MB, so each is summed, scanned and gathered while in cache,
// where the three steps over the whole array each stream all of it (456 MB at 96 months).
std::vector<int64_t> finish_cells(int64_t* cells, int64_t n_months, std::vector<int64_t>& counts,
                                  int n_parts = 1);

// Indices of the cells (rows of an [n, 15] array) with any person (n0..n5plus or exempt).
std::vector<int64_t> occupied_cells(const int64_t* flat, int64_t n);

// The counts of the n cells idx (rows of flat, an [cells, 15] array) as out[15, n], one
// row per measure: one pass over the cells in index order, split into n_parts ranges of
// idx on as many threads.
void gather_cells(const int64_t* flat, const int64_t* idx, int64_t n, int64_t* out,
                  int n_parts = 1);

}  // namespace jobindsats
