// SPEC §8 quality report: interval rows sharing a day with another row of the same person.
// Twin of python/jobindsats/kernels/overlaps.py (overlapping_rows_numba); called through
// python/jobindsats/overlaps.py (overlapping_rows_by_offsets).
#pragma once

#include <cstdint>

#include "span.hpp"

namespace jobindsats {

// Rows (not skipped) sharing a day with another such row of the same person; with
// use_group only a row of a different group counts. Person p's rows are off[p]..off[p+1],
// sorted by start; intervals are closed [start, end] day numbers. Exact: each row is
// compared with the following rows of its person that start on or before its end.
template <class G>
int64_t overlapping_rows(View<int64_t> off, View<int32_t> start, View<int32_t> end,
                         const G* group, const uint8_t* skip, bool use_group);

}  // namespace jobindsats
