// Shared by sort.cpp and order_plan*.cpp, not part of the core's interface: reading sort
// keys in place from Arrow's buffers, comparing rows, sorting one person's run, the
// partition order behind both sort_permutation and order_plan, and running a pass over
// two halves of the rows.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "sort.hpp"

namespace jobindsats::sort_detail {

// f(begin, end, second_half) over rows [0, n): [0, mid) on the caller's thread and
// [mid, n) on another side by side when two, else [0, n) alone.
template <class F>
void over_halves(bool two, int64_t mid, int64_t n, const F& f) {
  if (!two) {
    f(int64_t{0}, n, false);
    return;
  }
  std::thread other([&f, mid, n] { f(mid, n, true); });
  f(int64_t{0}, mid, false);
  other.join();
}

// f(T{}) with T the unsigned integer type of `width` bytes (1, 2, 4; any other: 8).
template <class F>
void with_width(int64_t width, const F& f) {
  switch (width) {
    case 1:
      f(uint8_t{});
      break;
    case 2:
      f(uint16_t{});
      break;
    case 4:
      f(uint32_t{});
      break;
    default:
      f(uint64_t{});
      break;
  }
}

template <class T>
T load(const uint8_t* data, int64_t j) {
  T v;
  std::memcpy(&v, data + static_cast<std::size_t>(j) * sizeof(T), sizeof(T));
  return v;
}

inline bool bit(const uint8_t* bits, int64_t j) { return (bits[j >> 3] >> (j & 7)) & 1; }

// The value of row i as an unsigned integer of the same order (signed: the sign bit
// flipped; float64: the IEEE-754 order trick).
inline uint64_t ordered_value(const SortKey& k, int64_t i) {
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
inline int compare_rows(const std::vector<SortKey>& keys, std::size_t first, int64_t a, int64_t b) {
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

// Ids spanning at most this many values are sorted by counting (32 MiB of counts).
constexpr uint64_t kCountingRange = uint64_t{1} << 22;

constexpr int64_t kInsertionRun = 32;

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

// Whether partition_order applies: ids not in order, dense, the second key without nulls.
inline bool partition_applies(const std::vector<SortKey>& keys, int64_t n, bool by_person,
                       uint64_t range) {
  return !by_person && range < kCountingRange && keys.size() > 1 &&
         keys[1].validity == nullptr && n < (int64_t{1} << 32);
}

// by_person, min and max of the ids.
struct IdStats {
  bool by_person = true;
  int64_t min_id = 0, max_id = 0;
};
inline IdStats id_stats(Ids ids, int64_t n) {
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
std::size_t partition_order(const std::vector<SortKey>& keys, Ids ids, int64_t n,
                            int64_t min_id, uint64_t range, uint32_t* slot, uint32_t* from,
                            int64_t* perm, int threads, int64_t* bounds_out,
                            int64_t* ids_out, uint32_t* scratch = nullptr);

}  // namespace jobindsats::sort_detail
