// Twin of python/jobindsats/kernels/overlaps.py (overlapping_rows_numba); called through
// python/jobindsats/overlaps.py (overlapping_rows_by_offsets).
#include "overlaps.hpp"

#include <cstddef>
#include <vector>

namespace jobindsats {

template <class G>
int64_t overlapping_rows(View<int64_t> off, View<int32_t> start, View<int32_t> end,
                         const G* group, const uint8_t* skip, bool use_group) {
  std::vector<uint8_t> marked(static_cast<std::size_t>(start.size), 0);
  for (int64_t p = 0; p + 1 < off.size; ++p) {
    const int64_t hi = off[p + 1];
    for (int64_t i = off[p]; i < hi; ++i) {
      if (skip[i]) continue;
      for (int64_t j = i + 1; j < hi && start[j] <= end[i]; ++j)
        if (!skip[j] && (!use_group || group[j] != group[i])) {
          marked[static_cast<std::size_t>(i)] = 1;
          marked[static_cast<std::size_t>(j)] = 1;
        }
    }
  }
  int64_t total = 0;
  for (const uint8_t m : marked) total += m;
  return total;
}

template int64_t overlapping_rows<int8_t>(View<int64_t>, View<int32_t>, View<int32_t>,
                                          const int8_t*, const uint8_t*, bool);
template int64_t overlapping_rows<int16_t>(View<int64_t>, View<int32_t>, View<int32_t>,
                                           const int16_t*, const uint8_t*, bool);

}  // namespace jobindsats
