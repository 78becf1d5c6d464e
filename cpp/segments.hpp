// Painting overlapping closed intervals into disjoint segments.
// Twin of python/jobindsats/kernels/segments.py.
#pragma once

#include <cstdint>

#include "span.hpp"

namespace jobindsats {

// Sort values[0:n] in place; fast on the nearly sorted boundaries we feed it.
void insertion_sort(int32_t* values, int64_t n);

// Disjoint segments of rows lo..hi-1 (sorted by start), each with its winning row: the
// active row with the lowest rank[r - lo] (ties: lower index). Returns the count.
int64_t paint(View<int32_t> starts, View<int32_t> ends, const int32_t* ranks, int64_t lo,
              int64_t hi, int32_t* bounds, int32_t* active, int32_t* out_start,
              int32_t* out_end, int32_t* out_row);

// Join touching segments with equal key, in place; returns the new count.
int64_t merge_by_key(int64_t n, int32_t* seg_start, int32_t* seg_end, int32_t* seg_key);

// First index in lo..hi-1 with values[i] >= x (hi if none); values sorted.
int64_t lower_bound(View<int32_t> values, int64_t lo, int64_t hi, int64_t x);

// Index of the segment containing day, or -1.
int64_t segment_at(int64_t n, const int32_t* seg_start, const int32_t* seg_end, int64_t day);

// Index of the first segment whose end is on or after day (n if none).
int64_t first_ending_at_or_after(int64_t n, const int32_t* seg_end, int64_t day);

// R42: among rows lo..hi-1 sorted by start, the last one covering day; -1 if none.
int64_t latest_covering(View<int32_t> starts, View<int32_t> ends, int64_t lo, int64_t hi,
                        int64_t day);

// Distinct days of [a, b] covered by rows lo..hi-1 sorted by start (R32 MII).
int64_t union_days(View<int32_t> starts, View<int32_t> ends, int64_t lo, int64_t hi, int64_t a,
                   int64_t b);

}  // namespace jobindsats
