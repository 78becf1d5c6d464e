// Moving columns by an order plan (order_plan.hpp): reorder_columns, in place, in
// packed words; the plan is made in order_plan.cpp.
#include "order_plan.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "sort_keys.hpp"

namespace jobindsats {

namespace {

// Columns moved together: each row's values packed into one word of 4 or 8 bytes (the
// column at byte `at` of it), so that each pass reads the plan and writes (or reads) at
// scattered places once per group rather than once per column.
struct Group {
  std::vector<std::pair<const PlanColumn*, int>> columns;  // (column, byte in the word)
  int64_t bytes = 0;
};

// Groups of at most 8 bytes, widest columns first, each to the first group it fits.
std::vector<Group> groups_of(const std::vector<PlanColumn>& columns) {
  std::vector<const PlanColumn*> by_width;
  for (const PlanColumn& c : columns) by_width.push_back(&c);
  std::stable_sort(by_width.begin(), by_width.end(),
                   [](const PlanColumn* a, const PlanColumn* b) { return a->width > b->width; });
  std::vector<Group> groups;
  for (const PlanColumn* c : by_width) {
    auto fits = std::find_if(groups.begin(), groups.end(),
                             [&](const Group& g) { return g.bytes + c->width <= 8; });
    if (fits == groups.end()) fits = groups.insert(groups.end(), Group{});
    fits->columns.emplace_back(c, static_cast<int>(fits->bytes));
    fits->bytes += c->width;
  }
  return groups;
}

constexpr int64_t kBlock = 2048;  // rows packed (or unpacked) at a time, in L1

template <class W, class T>
void pack(const void* column, int at, int64_t begin, int64_t m, W* words) {
  const T* src = static_cast<const T*>(column) + begin;
  for (int64_t j = 0; j < m; ++j) words[j] |= static_cast<W>(static_cast<W>(src[j]) << (8 * at));
}

template <class W, class T>
void unpack(void* column, int at, int64_t begin, int64_t m, const W* words) {
  T* dst = static_cast<T*>(column) + begin;
  for (int64_t j = 0; j < m; ++j) dst[j] = static_cast<T>(words[j] >> (8 * at));
}

template <class W>
void pack_any(const PlanColumn& c, int at, int64_t begin, int64_t m, W* words) {
  sort_detail::with_width(c.width, [&](auto t) {
    pack<W, decltype(t)>(c.data, at, begin, m, words);
  });
}

template <class W>
void unpack_any(const PlanColumn& c, int at, int64_t begin, int64_t m, const W* words) {
  sort_detail::with_width(c.width, [&](auto t) {
    unpack<W, decltype(t)>(c.data, at, begin, m, words);
  });
}

// One group in the plan's order in place, rows [begin, end) of a pass: pass 1 writes each
// row's word to its partition place in the scratch; pass 2 takes each place k's word from
// the scratch's from[k] (inside k's partition: in cache) and unpacks it into the columns.
template <class W>
void move_group(const Group& g, const uint32_t* slot, const uint32_t* from, W* scratch,
                int pass, int64_t begin, int64_t end) {
  std::array<W, kBlock> block;
  for (int64_t at = begin; at < end; at += kBlock) {
    const int64_t m = std::min(kBlock, end - at);
    if (pass == 1) {
      std::fill(block.begin(), block.begin() + m, W{0});
      for (const auto& [c, byte] : g.columns) pack_any(*c, byte, at, m, block.data());
      for (int64_t j = 0; j < m; ++j) scratch[slot[at + j]] = block[static_cast<std::size_t>(j)];
    } else {
      for (int64_t j = 0; j < m; ++j) block[static_cast<std::size_t>(j)] = scratch[from[at + j]];
      for (const auto& [c, byte] : g.columns) unpack_any(*c, byte, at, m, block.data());
    }
  }
}

}  // namespace

int64_t reorder_scratch_bytes(const std::vector<PlanColumn>& columns, int64_t n) {
  int64_t word = 0;
  for (const Group& g : groups_of(columns)) word = std::max(word, g.bytes > 4 ? int64_t{8} : 4);
  return word * n;
}

void reorder_columns(const std::vector<PlanColumn>& columns, const uint32_t* slot,
                     const uint32_t* from, int64_t n, int threads, void* scratch) {
  const std::vector<Group> groups = groups_of(columns);
  std::unique_ptr<uint64_t[]> own;
  if (scratch == nullptr) {
    own.reset(new uint64_t[static_cast<std::size_t>((reorder_scratch_bytes(columns, n) + 7) / 8)]);
    scratch = own.get();
  }
  // each pass of each group over two halves of the rows side by side (the scratch is
  // shared: pass 1's halves write disjoint places, slot being an order plan's permutation)
  const bool two = threads >= 2 && n >= (int64_t{1} << 16);
  for (const Group& g : groups) {
    for (int pass = 1; pass <= 2; ++pass) {
      sort_detail::over_halves(two, n / 2, n, [&](int64_t begin, int64_t end, bool) {
        if (g.bytes > 4)
          move_group(g, slot, from, static_cast<uint64_t*>(scratch), pass, begin, end);
        else
          move_group(g, slot, from, static_cast<uint32_t*>(scratch), pass, begin, end);
      });
    }
  }
}

}  // namespace jobindsats
