// The canonical row order of a shuffled table as a plan that moves each column in two
// nearly sequential passes (python/jobindsats/encode.py); the same order as
// sort_permutation (sort.hpp), held equal by tests/test_reading_fast.py.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sort.hpp"

namespace jobindsats {

// The order of sort_permutation as a plan that moves columns cheaply, for rows whose
// ids are dense and not in order (a shuffled table) and whose second key has no nulls,
// n < 2^32; returns the number of partitions P (at most kMaxPartitions), or 0 (nothing
// written) where it does not apply. Rows go first to a partition by the ids' high bits
// (slot[i]: row i's place there; partition p holds places bounds[p]..bounds[p+1]-1),
// then, inside their partition, to their final place k (from[k]: the partition place of
// the row that ends at k). The partitions are placed on up to `threads` threads (1, 2).
// ids_out (or nullptr): the person ids in that order, known from the plan itself (it
// may be the ids key's own buffer: the ids are read only before it is written).
constexpr std::size_t kMaxPartitions = 256;
// scratch (or nullptr: allocated here): n uint32 the plan may use while it is made (the
// caller may then reuse them, for reorder_columns).
std::size_t order_plan(const std::vector<SortKey>& keys, int64_t n, uint32_t* slot,
                       uint32_t* from, int threads, int64_t* bounds, int64_t* ids_out,
                       uint32_t* scratch = nullptr);

// Each column (n values of `width` bytes: 1, 2, 4, 8) put in the plan's order in place.
// The columns go in groups packed into one word of 4 or 8 bytes per row (so each pass
// moves one word per row, not one value per column); per group, every word to its
// partition place in a scratch, then each place k of the columns from the scratch's
// from[k] (inside k's partition: reads in cache); each pass over two halves of the rows
// on `threads` >= 2. scratch: reorder_scratch_bytes(columns, n) bytes, aligned for 8-byte
// words, or nullptr (allocated here). No fresh column per column, and the plan is read
// once per group.
struct PlanColumn {
  void* data;
  int64_t width;
};
int64_t reorder_scratch_bytes(const std::vector<PlanColumn>& columns, int64_t n);
void reorder_columns(const std::vector<PlanColumn>& columns, const uint32_t* slot,
                     const uint32_t* from, int64_t n, int threads, void* scratch);

}  // namespace jobindsats
