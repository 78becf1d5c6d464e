// The order of sort_permutation as a plan that moves columns cheaply; see order_plan.hpp.
#include "order_plan.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
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

namespace {

// Per partition, in cache: each row's place in the partition, sorted by (low id bits,
// second key) packed in 32 bits, with an LSD radix sort; rows level in both then sorted
// by the remaining keys. 8 bytes a row where the generic entries below hold 16.
struct Packed {
  uint32_t key;  // low id bits << sbits | second key - its minimum
  uint32_t pos;  // place in the partition (from step 1)
};

}  // namespace

std::size_t partition_order(const std::vector<SortKey>& keys, Ids ids, int64_t n,
                            int64_t min_id, uint64_t range, uint32_t* slot, uint32_t* from,
                            int64_t* perm, int threads, int64_t* bounds_out,
                            int64_t* ids_out, uint32_t* scratch) {
  int bits = 0;
  while (bits < 64 && (range >> bits) != 0) ++bits;
  const int low = bits > kPartitionBits ? bits - kPartitionBits : 0;
  const std::size_t parts = static_cast<std::size_t>(range >> low) + 1;
  const uint64_t low_mask = (uint64_t{1} << low) - 1;
  auto offset = [&](int64_t i) {
    return static_cast<uint64_t>(ids(i)) - static_cast<uint64_t>(min_id);
  };
  const SortKey& second = keys[1];
  const bool dated = second.kind == KeyKind::Int32;  // every table's: a date
  // the second key's order as 32 bits: the int32 with its sign bit flipped
  auto second32 = [&](int64_t i) {
    return static_cast<uint32_t>(load<int32_t>(second.data, i + second.offset)) ^
           uint32_t{0x80000000u};
  };
  // step 1 on up to two threads, each over its half of the rows: the second half's rows
  // of a partition go after the first half's, so the partition stays stable
  const bool two = threads >= 2 && n >= (int64_t{1} << 16);
  const int64_t mid = two ? n / 2 : n;
  std::vector<int64_t> next(parts + 1, 0), next2(parts + 1, 0);
  struct Range {
    uint32_t lo = UINT32_MAX, hi = 0;
  };
  Range span1, span2;  // the second key's range (dated), per half
  auto histogram = [&](int64_t begin, int64_t end, std::vector<int64_t>* counts, Range* span) {
    if (dated) {
      uint32_t lo = UINT32_MAX, hi = 0;
      for (int64_t i = begin; i < end; ++i) {
        ++(*counts)[static_cast<std::size_t>(offset(i) >> low) + 1];
        const uint32_t v = second32(i);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      *span = {lo, hi};
    } else {
      for (int64_t i = begin; i < end; ++i)
        ++(*counts)[static_cast<std::size_t>(offset(i) >> low) + 1];
    }
  };
  over_halves(two, mid, n, [&](int64_t begin, int64_t end, bool second_half) {
    histogram(begin, end, second_half ? &next2 : &next, second_half ? &span2 : &span1);
  });
  std::vector<int64_t> bounds(parts + 1, 0);  // partition p: bounds[p]..bounds[p+1]
  for (std::size_t p = 1; p <= parts; ++p) bounds[p] = bounds[p - 1] + next[p] + next2[p];
  for (std::size_t p = 0; p < parts; ++p) {
    next2[p] = bounds[p] + next[p + 1];  // the second half starts after the first's rows
    next[p] = bounds[p];
  }
  if (bounds_out != nullptr) std::copy(bounds.begin(), bounds.end(), bounds_out);
  const uint32_t smin = std::min(span1.lo, span2.lo);
  const uint32_t smax = std::max(span1.hi, span2.hi);
  int sbits = 0;
  while (sbits < 32 && ((smax - smin) >> sbits) != 0) ++sbits;
  // two halves of the partitions for step 2 (independent; each thread writes its own)
  std::size_t half = 0;
  while (half < parts && bounds[half] < n / 2) ++half;
  auto both = [&](auto&& run) {
    if (threads < 2 || n < (int64_t{1} << 16)) {
      run(std::size_t{0}, parts);
      return;
    }
    std::thread other(run, half, parts);
    run(std::size_t{0}, half);
    other.join();
  };
  if (dated && low + sbits <= 32) {
    // Step 1 writes each row's packed key to its partition place, and the row itself
    // to `from` there (step 2 reads it before it writes its place there), else to rows.
    std::unique_ptr<uint32_t[]> own_keys, own_rows;
    if (scratch == nullptr) own_keys.reset(new uint32_t[static_cast<std::size_t>(n)]);
    uint32_t* packed = scratch != nullptr ? scratch : own_keys.get();
    if (from == nullptr) own_rows.reset(new uint32_t[static_cast<std::size_t>(n)]);
    uint32_t* rows = from != nullptr ? from : own_rows.get();
    auto scatter = [&](int64_t begin, int64_t end, std::vector<int64_t>* places) {
      for (int64_t i = begin; i < end; ++i) {
        const uint64_t key = offset(i);
        const int64_t at = (*places)[static_cast<std::size_t>(key >> low)]++;
        slot[i] = static_cast<uint32_t>(at);
        packed[at] =
            static_cast<uint32_t>(((key & low_mask) << sbits) | (second32(i) - smin));
        rows[at] = static_cast<uint32_t>(i);
      }
    };
    over_halves(two, mid, n, [&](int64_t begin, int64_t end, bool second_half) {
      scatter(begin, end, second_half ? &next2 : &next);
    });
    const int key_bits = low + sbits;
    auto place = [&](std::size_t first, std::size_t last) {
      std::vector<Packed> a, b;
      std::vector<uint32_t> input;  // the partition's input rows, by place
      std::vector<int64_t> count(kBuckets);
      for (std::size_t p = first; p < last; ++p) {
        const int64_t lo = bounds[p], hi = bounds[p + 1];
        if (lo == hi) continue;
        const std::size_t m = static_cast<std::size_t>(hi - lo);
        input.assign(rows + lo, rows + hi);
        a.resize(m);
        b.resize(m);
        for (std::size_t k = 0; k < m; ++k)
          a[k] = {packed[lo + static_cast<int64_t>(k)], static_cast<uint32_t>(k)};
        for (int shift = 0; shift < key_bits; shift += kDigitBits) {
          std::fill(count.begin(), count.end(), 0);
          for (const Packed& x : a) ++count[(x.key >> shift) & (kBuckets - 1)];
          int64_t at = 0;
          for (auto& c : count) {
            const int64_t k = c;
            c = at;
            at += k;
          }
          for (const Packed& x : a)
            b[static_cast<std::size_t>(count[(x.key >> shift) & (kBuckets - 1)]++)] = x;
          a.swap(b);
        }
        if (keys.size() > 2) {  // rows level in person and second key: the other keys
          auto before = [&](const Packed& x, const Packed& y) {
            return compare_rows(keys, 2, static_cast<int64_t>(input[x.pos]),
                                static_cast<int64_t>(input[y.pos])) < 0;
          };
          std::size_t start = 0;
          for (std::size_t k = 1; k <= m; ++k) {
            if (k < m && a[k].key == a[start].key) continue;
            if (k - start > static_cast<std::size_t>(kInsertionRun)) {
              std::stable_sort(a.begin() + static_cast<std::ptrdiff_t>(start),
                               a.begin() + static_cast<std::ptrdiff_t>(k), before);
            } else {  // (most are pairs: std::stable_sort's buffer costs more than this)
              for (std::size_t i = start + 1; i < k; ++i) {
                const Packed row = a[i];
                std::size_t j = i;
                for (; j > start && before(row, a[j - 1]); --j) a[j] = a[j - 1];
                a[j] = row;
              }
            }
            start = k;
          }
        }
        for (std::size_t k = 0; k < m; ++k) {
          const int64_t at = lo + static_cast<int64_t>(k);
          if (from != nullptr) from[at] = static_cast<uint32_t>(lo) + a[k].pos;
          if (perm != nullptr) perm[at] = input[a[k].pos];
          if (ids_out != nullptr)  // the id from the partition and the key's low bits
            ids_out[at] = static_cast<int64_t>(static_cast<uint64_t>(min_id) +
                                               ((static_cast<uint64_t>(p) << low) |
                                                (uint64_t{a[k].key} >> sbits)));
        }
      }
    };
    both(place);
    return parts;
  }
  // Any other second key: entries of 16 bytes, each person's run sorted by compare_rows.
  struct Entry {
    uint64_t second;
    uint32_t row;
    uint32_t low;
  };
  std::vector<Entry> entries(static_cast<std::size_t>(n));
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
  over_halves(two, mid, n, [&](int64_t begin, int64_t end, bool second_half) {
    scatter(begin, end, second_half ? &next2 : &next);
  });
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
      // each person's run: count[d - 1]..count[d] now (after the placing pass), its id
      // from the partition and d (the ids are not read here: ids_out may be them)
      int64_t start = 0;
      for (std::size_t d = 0; d + 1 < count.size(); ++d) {
        const int64_t end = count[d];
        if (end - start > 1) {
          scratch.assign(local.begin() + start, local.begin() + end);
          if (sort_run_rows(keys, scratch))
            std::copy(scratch.begin(), scratch.end(), local.begin() + start);
        }
        if (ids_out != nullptr)
          std::fill(ids_out + lo + start, ids_out + lo + end,
                    static_cast<int64_t>(static_cast<uint64_t>(min_id) +
                                         ((static_cast<uint64_t>(p) << low) | d)));
        start = end;
      }
      for (std::size_t k = 0; k < local.size(); ++k) {
        const int64_t at = lo + static_cast<int64_t>(k);
        if (from != nullptr) from[at] = local[k].pos;
        if (perm != nullptr) perm[at] = local[k].row;
      }
    }
  };
  both(place);
  return parts;
}

}  // namespace sort_detail

using namespace sort_detail;

std::size_t order_plan(const std::vector<SortKey>& keys, int64_t n, uint32_t* slot,
                       uint32_t* from, int threads, int64_t* bounds, int64_t* ids_out,
                       uint32_t* scratch) {
  if (n <= 0 || keys.empty()) return 0;
  const Ids ids{keys.front()};
  const IdStats st = id_stats(ids, n);
  const uint64_t range = static_cast<uint64_t>(st.max_id) - static_cast<uint64_t>(st.min_id);
  if (!partition_applies(keys, n, st.by_person, range)) return 0;
  return partition_order(keys, ids, n, st.min_id, range, slot, from, nullptr, threads, bounds,
                         ids_out, scratch);
}

}  // namespace jobindsats
