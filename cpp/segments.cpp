// Twin of python/jobindsats/kernels/segments.py.
#include "segments.hpp"

namespace jobindsats {

void insertion_sort(int32_t* values, int64_t n) {
  for (int64_t i = 1; i < n; ++i) {
    const int32_t v = values[i];
    int64_t j = i - 1;
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j];
      --j;
    }
    values[j + 1] = v;
  }
}

int64_t paint(View<int32_t> starts, View<int32_t> ends, const int32_t* ranks, int64_t lo,
              int64_t hi, int32_t* bounds, int32_t* active, int32_t* out_start,
              int32_t* out_end, int32_t* out_row) {
  const int64_t k = hi - lo;
  if (k <= 0) return 0;
  // rows that do not overlap (each starting after the one before ends, as most persons'
  // rows do) are their own segments: exactly what the painting below would give
  bool disjoint = true;
  for (int64_t r = lo + 1; r < hi; ++r) disjoint = disjoint && starts[r] > ends[r - 1];
  if (disjoint) {
    for (int64_t r = lo; r < hi; ++r) {
      out_start[r - lo] = starts[r];
      out_end[r - lo] = ends[r];
      out_row[r - lo] = static_cast<int32_t>(r);
    }
    return k;
  }
  int64_t nb = 0;
  for (int64_t r = lo; r < hi; ++r) {
    bounds[nb] = starts[r];
    bounds[nb + 1] = ends[r] + 1;
    nb += 2;
  }
  insertion_sort(bounds, nb);
  int64_t nseg = 0, nact = 0, nxt = lo, i = 0;
  while (i < nb - 1) {
    const int32_t b = bounds[i];
    while (i + 1 < nb && bounds[i + 1] == b) ++i;  // skip duplicate boundaries
    if (i >= nb - 1) break;
    const int32_t e = bounds[i + 1] - 1;
    // rows starting on or before b join, rows ending before b leave
    while (nxt < hi && starts[nxt] <= b) active[nact++] = static_cast<int32_t>(nxt++);
    int64_t w = 0;
    for (int64_t q = 0; q < nact; ++q)
      if (ends[active[q]] >= b) active[w++] = active[q];
    nact = w;
    if (nact > 0) {
      int64_t best = active[0];
      for (int64_t q = 1; q < nact; ++q) {
        const int64_t r = active[q];
        if (ranks[r - lo] < ranks[best - lo] || (ranks[r - lo] == ranks[best - lo] && r < best))
          best = r;
      }
      out_start[nseg] = b;
      out_end[nseg] = e;
      out_row[nseg] = static_cast<int32_t>(best);
      ++nseg;
    }
    ++i;
  }
  return nseg;
}

int64_t merge_by_key(int64_t n, int32_t* seg_start, int32_t* seg_end, int32_t* seg_key) {
  if (n == 0) return 0;
  int64_t w = 0;
  for (int64_t i = 1; i < n; ++i) {
    if (seg_key[i] == seg_key[w] && seg_start[i] == seg_end[w] + 1) {
      seg_end[w] = seg_end[i];
    } else {
      ++w;
      seg_start[w] = seg_start[i];
      seg_end[w] = seg_end[i];
      seg_key[w] = seg_key[i];
    }
  }
  return w + 1;
}

int64_t lower_bound(View<int32_t> values, int64_t lo, int64_t hi, int64_t x) {
  // Branch-free: the halving step is a conditional move, so the search never waits for a
  // mispredicted branch (the kernel's binary searches are short and data-dependent).
  // Invariant: the answer is in [base, base + n].
  if (hi <= lo) return lo;
  const int32_t* base = values.data + lo;
  int64_t n = hi - lo;
  while (n > 1) {
    const int64_t half = n / 2;
    base = base[half] < x ? base + half : base;
    n -= half;
  }
  return (base - values.data) + (*base < x ? 1 : 0);
}

int64_t segment_at(int64_t n, const int32_t* seg_start, const int32_t* seg_end, int64_t day) {
  const int64_t lo = first_ending_at_or_after(n, seg_end, day);
  if (lo < n && seg_start[lo] <= day) return lo;
  return -1;
}

int64_t first_ending_at_or_after(int64_t n, const int32_t* seg_end, int64_t day) {
  return lower_bound(View<int32_t>{seg_end, n}, 0, n, day);
}

int64_t latest_covering(View<int32_t> starts, View<int32_t> ends, int64_t lo, int64_t hi,
                        int64_t day) {
  int64_t best = -1;
  for (int64_t r = lo; r < hi; ++r) {
    if (starts[r] > day) break;
    if (ends[r] >= day) best = r;
  }
  return best;
}

int64_t union_days(View<int32_t> starts, View<int32_t> ends, int64_t lo, int64_t hi, int64_t a,
                   int64_t b) {
  int64_t total = 0, cur_s = 0, cur_e = -2147483647;
  bool have = false;
  for (int64_t r = lo; r < hi; ++r) {
    const int64_t s = starts[r] > a ? starts[r] : a;
    const int64_t e = ends[r] < b ? ends[r] : b;
    if (e < s) continue;
    if (have && s <= cur_e + 1) {
      if (e > cur_e) cur_e = e;
    } else {
      if (have) total += cur_e - cur_s + 1;
      cur_s = s;
      cur_e = e;
      have = true;
    }
  }
  if (have) total += cur_e - cur_s + 1;
  return total;
}

}  // namespace jobindsats
