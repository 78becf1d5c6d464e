// The order of sort_permutation as a plan that moves columns cheaply; see order_plan.hpp.
#include "order_plan.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "sort_keys.hpp"

namespace jobindsats {

namespace sort_detail {

constexpr int kPartitionBits = 8;
static_assert((std::size_t{1} << kPartitionBits) == kMaxPartitions, "see order_plan.hpp");

// A row of a partition in step 2: its second key, input row and place in the partition.
struct PartRow {
  uint64_t second;
  uint32_t row;
  uint32_t pos;
};

std::size_t partition_order(const std::vector<SortKey>& keys, Ids ids, int64_t n,
                            int64_t min_id, uint64_t range, uint32_t* slot, uint32_t* from,
                            int64_t* perm, int threads, int64_t* bounds_out,
                            int64_t* ids_out) {
  int bits = 0;
  while (bits < 64 && (range >> bits) != 0) ++bits;
  const int low = bits > kPartitionBits ? bits - kPartitionBits : 0;
  const std::size_t parts = static_cast<std::size_t>(range >> low) + 1;
  const uint64_t low_mask = (uint64_t{1} << low) - 1;
  auto offset = [&](int64_t i) {
    return static_cast<uint64_t>(ids(i)) - static_cast<uint64_t>(min_id);
  };
  // step 1 on up to two threads, each over its half of the rows: the second half's rows
  // of a partition go after the first half's, so the partition stays stable
  const bool two = threads >= 2 && n >= (int64_t{1} << 16);
  const int64_t mid = two ? n / 2 : n;
  std::vector<int64_t> next(parts + 1, 0), next2(parts + 1, 0);
  auto histogram = [&](int64_t begin, int64_t end, std::vector<int64_t>* counts) {
    for (int64_t i = begin; i < end; ++i)
      ++(*counts)[static_cast<std::size_t>(offset(i) >> low) + 1];
  };
  if (two) {
    std::thread other(histogram, mid, n, &next2);
    histogram(0, mid, &next);
    other.join();
  } else {
    histogram(0, n, &next);
  }
  std::vector<int64_t> bounds(parts + 1, 0);  // partition p: bounds[p]..bounds[p+1]
  for (std::size_t p = 1; p <= parts; ++p) bounds[p] = bounds[p - 1] + next[p] + next2[p];
  for (std::size_t p = 0; p < parts; ++p) {
    next2[p] = bounds[p] + next[p + 1];  // the second half starts after the first's rows
    next[p] = bounds[p];
  }
  if (bounds_out != nullptr) std::copy(bounds.begin(), bounds.end(), bounds_out);
  struct Entry {
    uint64_t second;
    uint32_t row;
    uint32_t low;
  };
  std::vector<Entry> entries(static_cast<std::size_t>(n));
  const SortKey& second = keys[1];
  auto scatter = [&](int64_t begin, int64_t end, std::vector<int64_t>* places) {
    for (int64_t i = begin; i < end; ++i) {
      const uint64_t key = offset(i);
      const int64_t at = (*places)[static_cast<std::size_t>(key >> low)]++;
      slot[i] = static_cast<uint32_t>(at);
      entries[static_cast<std::size_t>(at)] = {ordered_value(second, i),
                                               static_cast<uint32_t>(i),
                                               static_cast<uint32_t>(key & low_mask)};
    }
  };
  if (two) {
    std::thread other(scatter, mid, n, &next2);
    scatter(0, mid, &next);
    other.join();
  } else {
    scatter(0, n, &next);
  }
  // step 2, partitions [first, last) on one thread
  auto place = [&](std::size_t first, std::size_t last) {
    std::vector<int64_t> count(static_cast<std::size_t>(low_mask) + 2);
    std::vector<PartRow> local, scratch;
    for (std::size_t p = first; p < last; ++p) {
      const int64_t lo = bounds[p], hi = bounds[p + 1];
      if (lo == hi) continue;
      std::fill(count.begin(), count.end(), 0);
      for (int64_t k = lo; k < hi; ++k) ++count[entries[static_cast<std::size_t>(k)].low + 1];
      for (std::size_t d = 1; d < count.size(); ++d) count[d] += count[d - 1];
      local.resize(static_cast<std::size_t>(hi - lo));
      for (int64_t k = lo; k < hi; ++k) {  // stable: input order within a person
        const Entry& e = entries[static_cast<std::size_t>(k)];
        local[static_cast<std::size_t>(count[e.low]++)] = {e.second, e.row,
                                                            static_cast<uint32_t>(k)};
      }
      // each person's run: count[d - 1]..count[d] now (after the placing pass)
      int64_t start = 0;
      for (std::size_t d = 0; d + 1 < count.size(); ++d) {
        const int64_t end = count[d];
        if (end - start > 1) {
          scratch.assign(local.begin() + start, local.begin() + end);
          if (sort_run_rows(keys, scratch))
            std::copy(scratch.begin(), scratch.end(), local.begin() + start);
        }
        start = end;
      }
      for (std::size_t k = 0; k < local.size(); ++k) {
        const int64_t at = lo + static_cast<int64_t>(k);
        if (from != nullptr) from[at] = local[k].pos;
        if (perm != nullptr) perm[at] = local[k].row;
        if (ids_out != nullptr) ids_out[at] = ids(local[k].row);
      }
    }
  };
  // Step 2 when the second key is an Int32 (a date: every table's): each partition
  // sorted at once by (low id bits, second key) with an LSD radix sort in cache, then
  // only rows level in both sorted by the remaining keys. Stable, so the same order.
  auto place_by_radix = [&](std::size_t first, std::size_t last) {
    struct Keyed {
      uint64_t key;
      uint32_t row;
      uint32_t pos;
    };
    std::vector<Keyed> a, b;
    std::vector<int64_t> count(kBuckets);
    for (std::size_t p = first; p < last; ++p) {
      const int64_t lo = bounds[p], hi = bounds[p + 1];
      if (lo == hi) continue;
      const std::size_t m = static_cast<std::size_t>(hi - lo);
      // the second key's order as 32 bits: the int32 with its sign bit flipped
      auto second32 = [](uint64_t ordered) {
        return static_cast<uint32_t>(ordered) ^ uint32_t{0x80000000u};
      };
      uint32_t smin = UINT32_MAX, smax = 0;
      for (int64_t k = lo; k < hi; ++k) {
        const uint32_t v = second32(entries[static_cast<std::size_t>(k)].second);
        smin = std::min(smin, v);
        smax = std::max(smax, v);
      }
      int sbits = 0;
      while (sbits < 32 && ((smax - smin) >> sbits) != 0) ++sbits;
      a.resize(m);
      b.resize(m);
      for (int64_t k = lo; k < hi; ++k) {
        const Entry& e = entries[static_cast<std::size_t>(k)];
        a[static_cast<std::size_t>(k - lo)] = {
            (static_cast<uint64_t>(e.low) << sbits) | (second32(e.second) - smin), e.row,
            static_cast<uint32_t>(k)};
      }
      const int key_bits = low + sbits;
      for (int shift = 0; shift < key_bits; shift += kDigitBits) {
        std::fill(count.begin(), count.end(), 0);
        for (const Keyed& x : a) ++count[(x.key >> shift) & (kBuckets - 1)];
        int64_t at = 0;
        for (auto& c : count) {
          const int64_t k = c;
          c = at;
          at += k;
        }
        for (const Keyed& x : a)
          b[static_cast<std::size_t>(count[(x.key >> shift) & (kBuckets - 1)]++)] = x;
        a.swap(b);
      }
      if (keys.size() > 2) {  // rows level in person and second key: the other keys
        auto before = [&](const Keyed& x, const Keyed& y) {
          return compare_rows(keys, 2, static_cast<int64_t>(x.row),
                              static_cast<int64_t>(y.row)) < 0;
        };
        std::size_t start = 0;
        for (std::size_t k = 1; k <= m; ++k) {
          if (k < m && a[k].key == a[start].key) continue;
          if (k - start > 1)
            std::stable_sort(a.begin() + static_cast<std::ptrdiff_t>(start),
                             a.begin() + static_cast<std::ptrdiff_t>(k), before);
          start = k;
        }
      }
      for (std::size_t k = 0; k < m; ++k) {
        const int64_t at = lo + static_cast<int64_t>(k);
        if (from != nullptr) from[at] = a[k].pos;
        if (perm != nullptr) perm[at] = a[k].row;
        if (ids_out != nullptr)  // the id from the partition and the key's low bits
          ids_out[at] = static_cast<int64_t>(static_cast<uint64_t>(min_id) +
                                             ((static_cast<uint64_t>(p) << low) |
                                              (a[k].key >> sbits)));
      }
    }
  };
  auto run = [&](std::size_t first, std::size_t last) {
    if (second.kind == KeyKind::Int32 && low + 32 <= 64)
      place_by_radix(first, last);
    else
      place(first, last);
  };
  if (threads < 2 || n < (int64_t{1} << 16)) {
    run(0, parts);
    return parts;
  }
  // two halves of the rows (partitions are independent; each thread writes its own)
  std::size_t half = 0;
  while (half < parts && bounds[half] < n / 2) ++half;
  std::thread other(run, half, parts);
  run(0, half);
  other.join();
  return parts;
}

}  // namespace sort_detail

using namespace sort_detail;

namespace {

template <class T>
void apply_order_values(const T* src, const uint32_t* slot, const uint32_t* from,
                        const int64_t* bounds, std::size_t parts, T* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[slot[i]] = src[i];  // into the partitions
  std::vector<T> part;  // one partition, in cache
  for (std::size_t p = 0; p < parts; ++p) {
    const int64_t lo = bounds[p], hi = bounds[p + 1];
    part.assign(dst + lo, dst + hi);
    const T* inside = part.data() - lo;  // (indexed by partition place)
    for (int64_t k = lo; k < hi; ++k) dst[k] = inside[from[k]];
  }
}

}  // namespace

std::size_t order_plan(const std::vector<SortKey>& keys, int64_t n, uint32_t* slot,
                       uint32_t* from, int threads, int64_t* bounds, int64_t* ids_out) {
  if (n <= 0 || keys.empty()) return 0;
  const Ids ids{keys.front()};
  const IdStats st = id_stats(ids, n);
  const uint64_t range = static_cast<uint64_t>(st.max_id) - static_cast<uint64_t>(st.min_id);
  if (!partition_applies(keys, n, st.by_person, range)) return 0;
  return partition_order(keys, ids, n, st.min_id, range, slot, from, nullptr, threads, bounds,
                         ids_out);
}

void apply_order(const void* src, int64_t width, const uint32_t* slot, const uint32_t* from,
                 const int64_t* bounds, std::size_t parts, void* dst, int64_t n) {
  switch (width) {
    case 1:
      apply_order_values(static_cast<const uint8_t*>(src), slot, from, bounds, parts,
                         static_cast<uint8_t*>(dst), n);
      break;
    case 2:
      apply_order_values(static_cast<const uint16_t*>(src), slot, from, bounds, parts,
                         static_cast<uint16_t*>(dst), n);
      break;
    case 4:
      apply_order_values(static_cast<const uint32_t*>(src), slot, from, bounds, parts,
                         static_cast<uint32_t*>(dst), n);
      break;
    default:
      apply_order_values(static_cast<const uint64_t*>(src), slot, from, bounds, parts,
                         static_cast<uint64_t*>(dst), n);
      break;
  }
}


}  // namespace jobindsats
