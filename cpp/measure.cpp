// Mirror of python/jobindsats/kernels/driver.py (+ the compaction of backend.py).
#include "measure.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aggregate.hpp"
#include "constants.hpp"
#include "contract.hpp"
#include "person_kernel.hpp"
#include "threads.hpp"

namespace jobindsats {

void measure_persons(const Data& d, const Rules& rules, View<int32_t> month_first,
                     View<int32_t> month_last, int64_t p0, int64_t p1,
                     const int64_t* row_base, const Rows& out, int64_t* written,
                     int64_t* quality, int threads) {
  const int n_threads = block_threads(p0, p1, threads);
  std::vector<std::vector<int64_t>> thread_quality(static_cast<size_t>(n_threads),
                                                   std::vector<int64_t>(N_QUALITY, 0));
  for_each_person(d, rules, p0, p1, n_threads, [&](int tid, Scratch& s, int64_t p) {
    int64_t* q = thread_quality[static_cast<size_t>(tid)].data();
    written[p - p0] =
        measure_person(d, rules, s, p, month_first, month_last, out, row_base[p - p0], q);
  });
  // integer sums: the same for any split over threads
  for (const auto& tq : thread_quality)
    for (int64_t k = 0; k < N_QUALITY; ++k) quality[k] += tq[static_cast<size_t>(k)];
}

namespace {

// A thread of measure_cells: its scratch, its rows (used of them written) and quality.
struct CellWorker {
  Scratch s;
  RowStore store;  // (only the fields the cells read)
  Rows out;
  int64_t used = 0;
  CellSink::BlockOrder order;
  std::vector<int64_t> quality = std::vector<int64_t>(N_QUALITY, 0);
  explicit CellWorker(size_t room) {
    store.resize(room, false);
    out = store.rows();
  }
};

}  // namespace

std::string measure_cells(const Data& d, const Rules& rules, View<int32_t> month_first,
                          View<int32_t> month_last, int64_t p0, int64_t p1, CellSink& sink,
                          View<int16_t> muni_slot, View<int8_t> category_slot,
                          int64_t* quality, int threads) {
  if (std::string e = sink.count_persons(p1 - p0); !e.empty()) return e;
  const int n_threads = block_threads(p0, p1, threads);
  const int64_t n_months = month_first.size;
  // a person writes at most one row per month and group: a buffer with room for that
  // beyond its fill is added into the sink before the next person (~200 kB a thread)
  const int64_t most = n_months * N_GROUPS;
  const int64_t room = most + 8192;
  std::vector<std::unique_ptr<CellWorker>> workers;
  for (int t = 0; t < n_threads; ++t)
    workers.push_back(std::make_unique<CellWorker>(static_cast<size_t>(room)));
  // each thread starts its months where the others are not (add_block)
  auto add = [&](int tid) {
    CellWorker& w = *workers[static_cast<size_t>(tid)];
    sink.add_block(w.out, w.used, muni_slot, category_slot, n_months * tid / n_threads, w.order);
    w.used = 0;
  };
  const bool clear = for_each_block(p0, p1, n_threads, [&](int tid, int64_t lo, int64_t hi) {
    if (!rows_clear(d, rules, lo, hi)) return false;  // (its rows now in cache)
    CellWorker& w = *workers[static_cast<size_t>(tid)];
    for (int64_t p = lo; p < hi; ++p) {
      reserve_person(w.s, d, rules, p);
      if (w.used + most > room) add(tid);
      w.used += measure_person(d, rules, w.s, p, month_first, month_last, w.out, w.used,
                               w.quality.data());
    }
    return true;
  });
  if (!clear) {
    std::string e = check_input(d, rules, p0, p1, threads);
    return e.empty() ? "the input breaks the kernel contract (docs/kernel.md)" : e;
  }
  for (int t = 0; t < n_threads; ++t) add(t);  // (each thread's last rows)
  // integer sums: the same for any split over threads
  for (const auto& w : workers)
    for (int64_t k = 0; k < N_QUALITY; ++k) quality[k] += w->quality[static_cast<size_t>(k)];
  return "";
}

void row_capacity(const Data& d, const Rules& rules, View<int32_t> month_first,
                  View<int32_t> month_last, int64_t p0, int64_t p1, int64_t* capacity,
                  int threads) {
  const int64_t n_months = month_first.size;
  const int64_t first_day = month_first[0], last_day = month_last[n_months - 1];
  // index of the run month holding day (day within the run), from a table of the run's
  // days: one load instead of a binary search per benefit row
  std::vector<int32_t> month_at(static_cast<size_t>(last_day - first_day + 1));
  for (int64_t m = 0, day = first_day; day <= last_day; ++day) {
    while (m + 1 < n_months && month_first[m + 1] <= day) ++m;
    month_at[static_cast<size_t>(day - first_day)] = static_cast<int32_t>(m);
  }
  auto month_of = [&](int64_t day) { return int64_t{month_at[static_cast<size_t>(day - first_day)]}; };
  auto part = [&](int t, int n_parts) {
    const int64_t lo = p0 + (p1 - p0) * t / n_parts, hi = p0 + (p1 - p0) * (t + 1) / n_parts;
    for (int64_t p = lo; p < hi; ++p) {
      int64_t total = 0;
      for (int64_t r = d.ben_off[p]; r < d.ben_off[p + 1]; ++r) {
        if (rules.benefit_group[d.ben_benefit[r]] < 0) continue;
        const int64_t a = d.ben_start[r], b = d.ben_end[r];
        if (b < first_day || a > last_day) continue;
        total += month_of(std::min(b, last_day)) - month_of(std::max(a, first_day)) + 1;
      }
      capacity[p - p0] = total;
    }
  };
  const int n_parts = std::max(1, threads);
  run_parts(n_parts, [&](int t) { part(t, n_parts); });
}

template <class T>
static void move_down(const Span<T>& a, int64_t to, int64_t from, int64_t n) {
  std::copy(a.data + from, a.data + from + n, a.data + to);
}

template <class T>
static void compact_field(const Span<T>& a, int64_t n_persons, const int64_t* row_base,
                          const int64_t* written) {
  int64_t w = 0;
  for (int64_t p = 0; p < n_persons; ++p) {
    const int64_t from = row_base[p], n = written[p];
    if (from != w && n > 0) move_down(a, w, from, n);
    w += n;
  }
}

int64_t compact_rows(const Rows& rows, int64_t n_persons, const int64_t* row_base,
                     const int64_t* written, int threads) {
  // one field per task: the fields are independent, so the threads split them
  std::vector<std::function<void()>> fields = {
      [&] { compact_field(rows.person, n_persons, row_base, written); },
      [&] { compact_field(rows.duration_hours, n_persons, row_base, written); },
      [&] { compact_field(rows.month, n_persons, row_base, written); },
      [&] { compact_field(rows.reference, n_persons, row_base, written); },
      [&] { compact_field(rows.spell_start, n_persons, row_base, written); },
      [&] { compact_field(rows.duration_days, n_persons, row_base, written); },
      [&] { compact_field(rows.counted, n_persons, row_base, written); },
      [&] { compact_field(rows.municipality, n_persons, row_base, written); },
      [&] { compact_field(rows.group, n_persons, row_base, written); },
      [&] { compact_field(rows.category, n_persons, row_base, written); },
      [&] { compact_field(rows.interval, n_persons, row_base, written); },
      [&] { compact_field(rows.band, n_persons, row_base, written); },
      [&] { compact_field(rows.exempt, n_persons, row_base, written); },
      [&] { compact_field(rows.excluded, n_persons, row_base, written); },
      [&] { compact_field(rows.activity, n_persons, row_base, written); },
  };
  const int n_threads = std::max(1, std::min(threads, static_cast<int>(fields.size())));
  auto part = [&](int t) {
    for (size_t f = static_cast<size_t>(t); f < fields.size(); f += static_cast<size_t>(n_threads))
      fields[f]();
  };
  run_parts(n_threads, part);
  int64_t total = 0;
  for (int64_t p = 0; p < n_persons; ++p) total += written[p];
  return total;
}

void label_rows(const Rows& rows, int64_t n, View<int64_t> person_ids, View<int32_t> month_first,
                int threads) {
  const int n_parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, n / 65536 + 1)));
  run_parts(n_parts, [&](int t) {
    for (int64_t i = n * t / n_parts; i < n * (t + 1) / n_parts; ++i) {
      rows.person[i] = person_ids[rows.person[i]];
      rows.month[i] = month_first[rows.month[i]];
    }
  });
}

}  // namespace jobindsats
