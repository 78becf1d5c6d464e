// The canonical row order; see sort.hpp (twins: python/jobindsats/normalise.py).
#include "sort.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <thread>

namespace jobindsats {

namespace {

template <class T>
T load(const uint8_t* data, int64_t j) {
  T v;
  std::memcpy(&v, data + static_cast<std::size_t>(j) * sizeof(T), sizeof(T));
  return v;
}

bool bit(const uint8_t* bits, int64_t j) { return (bits[j >> 3] >> (j & 7)) & 1; }

// The value of row i as an unsigned integer of the same order (signed: the sign bit
// flipped; float64: the IEEE-754 order trick).
uint64_t ordered_value(const SortKey& k, int64_t i) {
  const int64_t j = i + k.offset;
  constexpr uint64_t sign = uint64_t{1} << 63;
  switch (k.kind) {
    case KeyKind::Int8:
      return static_cast<uint64_t>(static_cast<int64_t>(load<int8_t>(k.data, j))) ^ sign;
    case KeyKind::Int16:
      return static_cast<uint64_t>(static_cast<int64_t>(load<int16_t>(k.data, j))) ^ sign;
    case KeyKind::Int32:
      return static_cast<uint64_t>(static_cast<int64_t>(load<int32_t>(k.data, j))) ^ sign;
    case KeyKind::Int64:
      return static_cast<uint64_t>(load<int64_t>(k.data, j)) ^ sign;
    case KeyKind::Float64: {
      const uint64_t b = load<uint64_t>(k.data, j);
      return (b & sign) ? ~b : (b | sign);
    }
    case KeyKind::Bit:
      return bit(k.data, j) ? 1 : 0;
  }
  return 0;
}

// -1, 0, 1 as row a is before, level with, after row b in keys[first..].
int compare_rows(const std::vector<SortKey>& keys, std::size_t first, int64_t a, int64_t b) {
  for (std::size_t k = first; k < keys.size(); ++k) {
    const SortKey& key = keys[k];
    if (key.validity != nullptr) {
      const bool va = bit(key.validity, a + key.offset), vb = bit(key.validity, b + key.offset);
      if (va != vb) return va ? 1 : -1;  // null first
      if (!va) continue;                 // two nulls are equal
    }
    const uint64_t x = ordered_value(key, a), y = ordered_value(key, b);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

constexpr int kDigitBits = 11;
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;

// The person ids of a key (Int64, no nulls), row by row.
struct Ids {
  const SortKey& key;
  int64_t operator()(int64_t row) const { return load<int64_t>(key.data, key.offset + row); }
};

// Stable counting sort of rows 0..n-1 by their ids into out, for ids in
// [min_id, min_id + range]: one count per possible id, then each row written straight
// to its place (two reads of the ids, one write of out: the least memory traffic).
// Returns where each person's run ends in out (run_end[k] for id min_id + k).
std::vector<int64_t> counting_sort_by_id(Ids ids, int64_t n, int64_t min_id, uint64_t range,
                                         int64_t* out) {
  auto slot = [&](int64_t i) {
    return static_cast<std::size_t>(static_cast<uint64_t>(ids(i)) - static_cast<uint64_t>(min_id));
  };
  std::vector<int64_t> next(static_cast<std::size_t>(range) + 1, 0);
  for (int64_t i = 0; i < n; ++i) ++next[slot(i)];
  int64_t at = 0;
  for (auto& s : next) {
    const int64_t count = s;
    s = at;
    at += count;
  }
  for (int64_t i = 0; i < n; ++i) out[next[slot(i)]++] = i;
  return next;
}

// Ids spanning at most this many values are sorted by counting (32 MiB of counts).
constexpr uint64_t kCountingRange = uint64_t{1} << 22;

// Stable LSD radix sort of rows 0..n-1 by their ids into out. The ids are read once, in
// order: the pairs (id - min, row) carry the key from pass to pass (no random reads),
// and every pass's digit counts come from that one sweep.
void radix_sort_by_id(Ids ids, int64_t n, int64_t min_id, uint64_t range, int64_t* out) {
  int passes = 1;
  while (passes * kDigitBits < 64 && (range >> (passes * kDigitBits)) != 0) ++passes;
  struct Pair {
    uint64_t key;
    int64_t row;
  };
  std::vector<Pair> a(static_cast<std::size_t>(n)), b(static_cast<std::size_t>(n));
  std::vector<std::array<int64_t, kBuckets>> start(static_cast<std::size_t>(passes));
  for (auto& s : start) s.fill(0);
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t key = static_cast<uint64_t>(ids(i)) - static_cast<uint64_t>(min_id);
    a[static_cast<std::size_t>(i)] = {key, i};
    for (int pass = 0; pass < passes; ++pass)
      ++start[static_cast<std::size_t>(pass)][(key >> (pass * kDigitBits)) & (kBuckets - 1)];
  }
  for (auto& s : start) {
    int64_t at = 0;
    for (auto& slot : s) {
      const int64_t count = slot;
      slot = at;
      at += count;
    }
  }
  for (int pass = 0; pass < passes; ++pass) {
    auto& next = start[static_cast<std::size_t>(pass)];
    const int shift = pass * kDigitBits;
    if (pass + 1 == passes) {  // the last pass writes the rows only
      for (const Pair& p : a) out[next[(p.key >> shift) & (kBuckets - 1)]++] = p.row;
      break;
    }
    for (const Pair& p : a)
      b[static_cast<std::size_t>(next[(p.key >> shift) & (kBuckets - 1)]++)] = p;
    a.swap(b);
  }
}

constexpr int64_t kInsertionRun = 32;

// One row of a person's run: its first key after the person (ordered, see
// ordered_value) and the row; keys[2..] break ties.
struct RunRow {
  uint64_t second;
  int64_t row;
};

template <class Row>
bool sort_run_rows(const std::vector<SortKey>& keys, std::vector<Row>& scratch);

// Sorts one person's rows perm[0..m) stably by keys[1..] unless already in that order.
// The second key, which decides almost every comparison, is loaded once per row into
// `scratch` (one random read per row), the rest only for rows level in it.
void sort_run(const std::vector<SortKey>& keys, int64_t* perm, int64_t m,
              std::vector<RunRow>& scratch) {
  if (keys.size() < 2) return;  // one key (the person): every run is in order
  const SortKey& second = keys[1];
  if (second.validity != nullptr) {  // (never for the tables' date columns) the general way
    auto before = [&](int64_t a, int64_t b) { return compare_rows(keys, 1, a, b) < 0; };
    bool in_order = true;
    for (int64_t i = 1; i < m && in_order; ++i) in_order = !before(perm[i], perm[i - 1]);
    if (!in_order) std::stable_sort(perm, perm + m, before);
    return;
  }
  scratch.resize(static_cast<std::size_t>(m));
  for (int64_t i = 0; i < m; ++i)
    scratch[static_cast<std::size_t>(i)] = {ordered_value(second, perm[i]), perm[i]};
  if (sort_run_rows(keys, scratch))
    for (int64_t i = 0; i < m; ++i) perm[i] = scratch[static_cast<std::size_t>(i)].row;
}

// Sorts one person's rows, their second keys loaded, stably by keys[1..]; whether they
// were out of order (else they are left as they are).
template <class Row>
bool sort_run_rows(const std::vector<SortKey>& keys, std::vector<Row>& scratch) {
  auto before = [&](const Row& a, const Row& b) {
    if (a.second != b.second) return a.second < b.second;
    return compare_rows(keys, 2, static_cast<int64_t>(a.row), static_cast<int64_t>(b.row)) < 0;
  };
  bool in_order = true;
  for (std::size_t i = 1; i < scratch.size() && in_order; ++i)
    in_order = !before(scratch[i], scratch[i - 1]);
  if (in_order) return false;
  if (scratch.size() <= static_cast<std::size_t>(kInsertionRun)) {
    for (std::size_t i = 1; i < scratch.size(); ++i) {
      const Row row = scratch[i];
      std::size_t j = i;
      for (; j > 0 && before(row, scratch[j - 1]); --j) scratch[j] = scratch[j - 1];
      scratch[j] = row;
    }
  } else {
    std::stable_sort(scratch.begin(), scratch.end(), before);
  }
  return true;
}

// Rows 0..n-1 (n < 2^32) into person order, each person's run sorted by keys[1..], into
// out; for dense ids (range < kCountingRange) whose second key has no nulls: the usual
// shuffled table. Two steps that keep memory access sequential or in cache, where a
// counting sort over every id writes each row to a random place (a cache miss per row)
// and the runs' sorts then read each row's second key at another random place:
//  1. a stable partition by the ids' high bits (at most 2^8 partitions of at most 2^14
//     ids), each row carrying its second key and low id bits;
//  2. per partition (~2^17 rows of 1M persons, in cache) a counting sort by the low bits,
//     then each person's run sorted as sort_run does, written to out in order.
// Partitions of the first step: few enough that each one's write stream keeps its page
// in the TLB (2^11 streams, one page each, thrashed it).
constexpr int kPartitionBits = 8;
static_assert((std::size_t{1} << kPartitionBits) == kMaxPartitions, "see sort.hpp");

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

// Whether partition_order applies: ids not in order, dense, the second key without nulls.
bool partition_applies(const std::vector<SortKey>& keys, int64_t n, bool by_person,
                       uint64_t range) {
  return !by_person && range < kCountingRange && keys.size() > 1 &&
         keys[1].validity == nullptr && n < (int64_t{1} << 32);
}

// by_person, min and max of the ids.
struct IdStats {
  bool by_person = true;
  int64_t min_id = 0, max_id = 0;
};
IdStats id_stats(Ids ids, int64_t n) {
  IdStats st;
  if (n <= 0) return st;
  st.min_id = st.max_id = ids(0);
  for (int64_t i = 1; i < n; ++i) {
    st.by_person = st.by_person && ids(i - 1) <= ids(i);
    st.min_id = std::min(st.min_id, ids(i));
    st.max_id = std::max(st.max_id, ids(i));
  }
  return st;
}

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

bool rows_sorted(const std::vector<SortKey>& keys, int64_t n) {
  if (keys.empty() || n < 2) return true;
  const SortKey& first = keys.front();
  if (first.kind == KeyKind::Int64 && first.validity == nullptr) {
    // The common case: person_id, then a date (start or date) that decides nearly every
    // pair of one person's rows; both are compared directly, the rest only on ties.
    const bool date_second = keys.size() > 1 && keys[1].kind == KeyKind::Int32 &&
                             keys[1].validity == nullptr;
    for (int64_t i = 1; i < n; ++i) {
      const int64_t a = load<int64_t>(first.data, first.offset + i - 1);
      const int64_t b = load<int64_t>(first.data, first.offset + i);
      if (a < b) continue;
      if (a > b) return false;
      if (date_second) {
        const int32_t x = load<int32_t>(keys[1].data, keys[1].offset + i - 1);
        const int32_t y = load<int32_t>(keys[1].data, keys[1].offset + i);
        if (x < y) continue;
        if (x > y || compare_rows(keys, 2, i - 1, i) > 0) return false;
      } else if (compare_rows(keys, 1, i - 1, i) > 0) {
        return false;
      }
    }
    return true;
  }
  for (int64_t i = 1; i < n; ++i)
    if (compare_rows(keys, 0, i - 1, i) > 0) return false;
  return true;
}

void sort_permutation(const std::vector<SortKey>& keys, int64_t n, int64_t* out) {
  if (n <= 0) return;
  const Ids ids{keys.front()};
  const IdStats st = id_stats(ids, n);
  const bool by_person = st.by_person;
  const int64_t min_id = st.min_id;
  const uint64_t range = static_cast<uint64_t>(st.max_id) - static_cast<uint64_t>(min_id);
  std::vector<RunRow> scratch;
  auto sort_runs = [&](auto run_end, int64_t runs) {  // runs: [end(k-1), end(k))
    int64_t lo = 0;
    for (int64_t k = 0; k < runs; ++k) {
      const int64_t hi = run_end(k);
      if (hi - lo > 1) sort_run(keys, out + lo, hi - lo, scratch);
      lo = hi;
    }
  };
  if (partition_applies(keys, n, by_person, range)) {  // shuffled, dense ids
    std::vector<uint32_t> slot(static_cast<std::size_t>(n));
    partition_order(keys, ids, n, min_id, range, slot.data(), nullptr, out, 1, nullptr,
                    nullptr);
    return;
  }
  if (!by_person && range < kCountingRange) {  // dense ids (the usual 1..P)
    const std::vector<int64_t> run_end = counting_sort_by_id(ids, n, min_id, range, out);
    sort_runs([&](int64_t k) { return run_end[static_cast<std::size_t>(k)]; },
              static_cast<int64_t>(run_end.size()));
    return;
  }
  if (by_person) {  // already in person order: only runs may need sorting
    for (int64_t i = 0; i < n; ++i) out[i] = i;
  } else {
    radix_sort_by_id(ids, n, min_id, range, out);
  }
  // the runs' ends, found by walking the rows in person order
  std::vector<int64_t> run_end;
  for (int64_t i = 1; i < n; ++i)
    if (ids(out[i]) != ids(out[i - 1])) run_end.push_back(i);
  run_end.push_back(n);
  sort_runs([&](int64_t k) { return run_end[static_cast<std::size_t>(k)]; },
            static_cast<int64_t>(run_end.size()));
}

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
