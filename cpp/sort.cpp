// The canonical row order; see sort.hpp (twins: python/jobindsats/normalise.py).
#include "sort.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sort_keys.hpp"

namespace jobindsats {

using namespace sort_detail;

namespace {

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
// One row of a person's run: its first key after the person (ordered, see
// ordered_value) and the row; keys[2..] break ties.
struct RunRow {
  uint64_t second;
  int64_t row;
};

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

}  // namespace jobindsats
