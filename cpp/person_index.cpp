// The person index; see person_index.hpp.
#include "person_index.hpp"

#include <cstddef>
#include <stdexcept>

namespace jobindsats {

Runs person_runs(View<int64_t> ids) {
  Runs runs;
  if (ids.size == 0) return runs;
  runs.ids.push_back(ids[0]);
  runs.starts.push_back(0);
  for (int64_t i = 1; i < ids.size; ++i) {
    if (ids[i] == ids[i - 1]) continue;
    if (ids[i] < ids[i - 1]) throw std::invalid_argument("person ids are not sorted");
    runs.ids.push_back(ids[i]);
    runs.starts.push_back(i);
  }
  return runs;
}

std::vector<int64_t> sorted_union(const std::vector<const std::vector<int64_t>*>& lists) {
  std::vector<int64_t> merged, next;
  for (const std::vector<int64_t>* list : lists) {
    next.clear();
    next.reserve(merged.size() + list->size());
    std::size_t a = 0, b = 0;
    while (a < merged.size() && b < list->size()) {
      const int64_t x = merged[a], y = (*list)[b];
      next.push_back(x < y ? x : y);
      a += x <= y;
      b += y <= x;
    }
    next.insert(next.end(), merged.begin() + static_cast<std::ptrdiff_t>(a), merged.end());
    next.insert(next.end(), list->begin() + static_cast<std::ptrdiff_t>(b), list->end());
    merged.swap(next);
  }
  return merged;
}

void person_offsets(View<int64_t> persons, const Runs& runs, int64_t n, int64_t* off) {
  std::size_t k = 0;  // the next run not yet placed
  for (int64_t p = 0; p < persons.size; ++p) {
    while (k < runs.ids.size() && runs.ids[k] < persons[p]) ++k;  // (never: ids ⊂ persons)
    off[p] = k < runs.ids.size() ? runs.starts[k] : n;
  }
  off[persons.size] = n;
}

}  // namespace jobindsats
