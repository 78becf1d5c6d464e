// The person index of a dataset (docs/kernel.md "Persons", "Event tables"): the sorted
// union of person ids over every table and each table's CSR offsets, from the tables'
// person_id columns, already sorted (normalised). One pass over each table's rows, then
// merges over the short lists of distinct ids; no sort, no binary search.
// Called by python/jobindsats/dataset.py (its NumPy twin: _runs, _sorted_union, _offsets).
#pragma once

#include <cstdint>
#include <vector>

#include "span.hpp"

namespace jobindsats {

// The distinct ids of a non-decreasing column and the row where each one's run starts.
// Throws std::invalid_argument if the column is not non-decreasing.
struct Runs {
  std::vector<int64_t> ids;
  std::vector<int64_t> starts;
};
Runs person_runs(View<int64_t> ids);

// Sorted unique union of sorted, distinct id lists.
std::vector<int64_t> sorted_union(const std::vector<const std::vector<int64_t>*>& lists);

// off[0..P]: person p's rows of a table with these runs and n rows are off[p]..off[p+1];
// a person without rows gets the start of the next one who has some (or n). Every id of
// `runs` must be in `persons`.
void person_offsets(View<int64_t> persons, const Runs& runs, int64_t n, int64_t* off);

}  // namespace jobindsats
