#include "contract.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <vector>

#include "constants.hpp"
#include "dates.hpp"
#include "threads.hpp"

namespace jobindsats {

namespace {

std::string at(const char* array, int64_t row, const char* what) {
  return std::string("kernel array '") + array + "' row " + std::to_string(row) + ": " + what;
}

bool is_day(int64_t x) { return x >= CONTRACT_MIN_DAY && x <= CONTRACT_MAX_DAY; }

// One CSR table: its offsets and the length of each of its columns.
struct Table {
  const char* off_name;
  View<int64_t> off;
  int64_t n_rows;  // length of the first column
  bool columns_agree;
};

template <class T, class... Rest>
bool same_length(int64_t n, View<T> v, Rest... rest) {
  if (v.size != n) return false;
  if constexpr (sizeof...(rest) > 0) return same_length(n, rest...);
  return true;
}

std::string check_offsets(const Table& t, int64_t n_persons, int64_t p0, int64_t p1) {
  const std::string name(t.off_name);
  if (!t.columns_agree)
    return "kernel arrays of '" + name + "' must all have the length of its first column";
  if (t.off.size != n_persons + 1)
    return "kernel array '" + name + "' must have length " + std::to_string(n_persons + 1);
  if (t.off[0] != 0) return at(t.off_name, 0, "the first offset must be 0");
  if (t.off[n_persons] != t.n_rows)
    return at(t.off_name, n_persons, "the last offset must be the number of rows");
  for (int64_t p = p0; p <= p1; ++p)
    if (t.off[p] < 0 || t.off[p] > t.n_rows || (p > p0 && t.off[p - 1] > t.off[p]))
      return at(t.off_name, p, "offsets must be non-decreasing and within the rows");
  return "";
}

// The first offending row of a check, or none (array == nullptr): plain data, so the
// checks cost no string on the happy path; message() words it.
struct Fault {
  const char* array = nullptr;
  int64_t row = -1;
  const char* what = nullptr;
  int64_t min_code = 0, max_code = -1;  // a code check: its range
  bool ok() const { return array == nullptr; }
  std::string message() const {
    if (max_code >= min_code)
      return at(array, row, ("code outside " + std::to_string(min_code) + ".." +
                             std::to_string(max_code)).c_str());
    return at(array, row, what);
  }
};

// Rows lo..hi-1 of an interval table: dates in range, end >= start, sorted by (start, end).
Fault check_intervals(const char* start_name, View<int32_t> s, View<int32_t> e, int64_t lo,
                      int64_t hi) {
  for (int64_t r = lo; r < hi; ++r) {
    if (!is_day(s[r]) || !is_day(e[r])) return {start_name, r, "date outside 1900..2100"};
    if (e[r] < s[r]) return {start_name, r, "end before start"};
    if (r > lo && std::make_tuple(s[r - 1], e[r - 1]) > std::make_tuple(s[r], e[r]))
      return {start_name, r, "rows not sorted by (start, end) within the person"};
  }
  return {};
}

// Rows lo..hi-1 of a dated table: dates in range, sorted.
Fault check_dates(const char* name, View<int32_t> x, int64_t lo, int64_t hi) {
  for (int64_t r = lo; r < hi; ++r) {
    if (!is_day(x[r])) return {name, r, "date outside 1900..2100"};
    if (r > lo && x[r - 1] > x[r]) return {name, r, "rows not sorted by date within the person"};
  }
  return {};
}

template <class T>
Fault check_codes(const char* name, View<T> x, int64_t lo, int64_t hi, int64_t min_code,
                  int64_t max_code) {
  for (int64_t r = lo; r < hi; ++r)
    if (x[r] < min_code || x[r] > max_code) return {name, r, nullptr, min_code, max_code};
  return {};
}

Fault check_hours(const char* name, View<double> x, int64_t lo, int64_t hi) {
  for (int64_t r = lo; r < hi; ++r)
    if (!std::isfinite(x[r]) || x[r] < 0) return {name, r, "hours must be finite and >= 0"};
  return {};
}

// The all-clear passes: each ORs its rows' faults instead of stopping at the first, so
// that the loops run straight through (and vectorise). A fault found here is named by
// check_person_rows, which alone words the messages; most input has none, and these
// passes cost a fraction of it.
template <class T>
bool codes_clear(View<T> x, int64_t lo, int64_t hi, int64_t min_code, int64_t max_code) {
  // the bounds clamped to T (a bound beyond T's range excludes no value of T), so that
  // the compares stay in T's width
  constexpr int64_t t_min = std::numeric_limits<T>::min(), t_max = std::numeric_limits<T>::max();
  if (min_code > t_max || max_code < t_min) return hi <= lo;  // no value of T is in range
  const T a = static_cast<T>(std::max(min_code, t_min));
  const T b = static_cast<T>(std::min(max_code, t_max));
  const T* v = x.data;
  T bad = 0;
  for (int64_t r = lo; r < hi; ++r) bad |= static_cast<T>((v[r] < a) | (v[r] > b));
  return bad == 0;
}

bool days_clear(View<int32_t> x, int64_t lo, int64_t hi) {
  return codes_clear(x, lo, hi, CONTRACT_MIN_DAY, CONTRACT_MAX_DAY);
}

bool hours_clear(View<double> x, int64_t lo, int64_t hi) {
  const double* v = x.data;
  const double most = std::numeric_limits<double>::max();
  int64_t ok = 1;  // (NaN fails both comparisons)
  for (int64_t r = lo; r < hi; ++r) ok &= static_cast<int64_t>((v[r] >= 0.0) & (v[r] <= most));
  return ok != 0;
}

// Rows [off[p0], off[p1]) in order within each person: desc(r) is 1 where row r sorts
// before row r - 1. All such pairs are counted, then those across a person boundary
// (r the first row of a person with rows) taken out again.
template <class Desc>
bool sorted_clear(View<int64_t> off, int64_t p0, int64_t p1, const Desc& desc) {
  const int64_t lo = off[p0], hi = off[p1];
  int64_t n = 0;
  for (int64_t r = lo + 1; r < hi; ++r) n += desc(r);
  for (int64_t p = p0 + 1; p < p1; ++p)
    if (off[p] > off[p - 1] && off[p] < hi) n -= desc(off[p]);
  return n == 0;
}

bool dates_clear(View<int64_t> off, View<int32_t> x, int64_t p0, int64_t p1) {
  return days_clear(x, off[p0], off[p1]) &&
         sorted_clear(off, p0, p1, [&](int64_t r) { return int64_t{x[r - 1] > x[r]}; });
}

bool intervals_clear(View<int64_t> off, View<int32_t> s, View<int32_t> e, int64_t p0,
                     int64_t p1) {
  const int64_t lo = off[p0], hi = off[p1];
  int32_t bad = 0;
  for (int64_t r = lo; r < hi; ++r) bad |= static_cast<int32_t>(e.data[r] < s.data[r]);
  return bad == 0 && days_clear(s, lo, hi) && days_clear(e, lo, hi) &&
         sorted_clear(off, p0, p1, [&](int64_t r) {
           return int64_t{(s[r - 1] > s[r]) | ((s[r - 1] == s[r]) & (e[r - 1] > e[r]))};
         });
}

// Whether day x (a contract day) is the first of its month: one load from a table of
// the contract's days, built once.
bool first_of_month(int32_t x) {
  static const std::vector<uint8_t> first = [] {
    std::vector<uint8_t> t(static_cast<size_t>(CONTRACT_MAX_DAY - CONTRACT_MIN_DAY + 1));
    for (int64_t day = CONTRACT_MIN_DAY; day <= CONTRACT_MAX_DAY; ++day)
      t[static_cast<size_t>(day - CONTRACT_MIN_DAY)] = civil_from_days(day).d == 1;
    return t;
  }();
  return first[static_cast<size_t>(x - CONTRACT_MIN_DAY)] != 0;
}

}  // namespace

bool rows_clear(const Data& d, const Rules& rules, int64_t p0, int64_t p1) {
  const int64_t n_benefits = std::min(rules.benefit_rank.size, rules.benefit_group.size);
  bool bad = false;
  for (int64_t p = p0; p < p1; ++p)
    bad |= (d.birth_date[p] != NO_DATE) &
           ((d.birth_date[p] < CONTRACT_MIN_DAY) | (d.birth_date[p] > CONTRACT_MAX_DAY));
  if (bad) return false;
  int64_t lo = d.ben_off[p0], hi = d.ben_off[p1];
  if (!codes_clear(d.ben_benefit, lo, hi, 0, n_benefits - 1) ||
      !intervals_clear(d.ben_off, d.ben_start, d.ben_end, p0, p1) ||
      !hours_clear(d.ben_hours, lo, hi) || !codes_clear(d.ben_part_time, lo, hi, -1, 1) ||
      !codes_clear(d.ben_supp, lo, hi, 0, 1) || !dates_clear(d.dp_off, d.dp_start, p0, p1))
    return false;
  lo = d.iv_off[p0], hi = d.iv_off[p1];
  if (!dates_clear(d.iv_off, d.iv_date, p0, p1) || !codes_clear(d.iv_kind, lo, hi, 0, 2) ||
      !codes_clear(d.iv_form, lo, hi, 0, 2) || !codes_clear(d.iv_held_by, lo, hi, 0, 2) ||
      !codes_clear(d.iv_muni, lo, hi, 0, 999))
    return false;
  if (!intervals_clear(d.ex_off, d.ex_start, d.ex_end, p0, p1) ||
      !intervals_clear(d.mii_off, d.mii_start, d.mii_end, p0, p1) ||
      !intervals_clear(d.of_off, d.of_start, d.of_end, p0, p1) ||
      !codes_clear(d.res_muni, d.res_off[p0], d.res_off[p1], 0, 999) ||
      !intervals_clear(d.res_off, d.res_start, d.res_end, p0, p1) ||
      !codes_clear(d.vis_cat, d.vis_off[p0], d.vis_off[p1], 0, 3) ||
      !intervals_clear(d.vis_off, d.vis_start, d.vis_end, p0, p1) ||
      !dates_clear(d.reg_off, d.reg_date, p0, p1))
    return false;
  lo = d.emp_off[p0], hi = d.emp_off[p1];
  if (!dates_clear(d.emp_off, d.emp_month, p0, p1) || !hours_clear(d.emp_hours, lo, hi))
    return false;
  for (int64_t r = lo; r < hi; ++r) bad |= !first_of_month(d.emp_month[r]);
  return !bad;
}

// The rows of persons [p0, p1) (their offsets checked): "" or the first offending row.
static std::string check_person_rows(const Data& d, const Rules& rules, int64_t p0, int64_t p1) {
  // benefit codes index benefit_rank and benefit_group
  const int64_t n_benefits = std::min(rules.benefit_rank.size, rules.benefit_group.size);
  for (int64_t p = p0; p < p1; ++p) {
    if (d.birth_date[p] != NO_DATE && !is_day(d.birth_date[p]))
      return at("birth_date", p, "date outside 1900..2100");
    Fault f;
    int64_t lo = d.ben_off[p], hi = d.ben_off[p + 1];
    if (!(f = check_codes("ben_benefit", d.ben_benefit, lo, hi, 0, n_benefits - 1)).ok() ||
        !(f = check_intervals("ben_start", d.ben_start, d.ben_end, lo, hi)).ok() ||
        !(f = check_hours("ben_hours", d.ben_hours, lo, hi)).ok() ||
        !(f = check_codes("ben_part_time", d.ben_part_time, lo, hi, -1, 1)).ok() ||
        !(f = check_codes("ben_supp", d.ben_supp, lo, hi, 0, 1)).ok())
      return f.message();
    if (!(f = check_dates("dp_start", d.dp_start, d.dp_off[p], d.dp_off[p + 1])).ok())
      return f.message();
    lo = d.iv_off[p], hi = d.iv_off[p + 1];
    if (!(f = check_dates("iv_date", d.iv_date, lo, hi)).ok() ||
        !(f = check_codes("iv_kind", d.iv_kind, lo, hi, 0, 2)).ok() ||
        !(f = check_codes("iv_form", d.iv_form, lo, hi, 0, 2)).ok() ||
        !(f = check_codes("iv_held_by", d.iv_held_by, lo, hi, 0, 2)).ok() ||
        !(f = check_codes("iv_muni", d.iv_muni, lo, hi, 0, 999)).ok())
      return f.message();
    if (!(f = check_intervals("ex_start", d.ex_start, d.ex_end, d.ex_off[p], d.ex_off[p + 1])).ok() ||
        !(f = check_intervals("mii_start", d.mii_start, d.mii_end, d.mii_off[p], d.mii_off[p + 1])).ok() ||
        !(f = check_intervals("of_start", d.of_start, d.of_end, d.of_off[p], d.of_off[p + 1])).ok())
      return f.message();
    lo = d.res_off[p], hi = d.res_off[p + 1];
    if (!(f = check_codes("res_muni", d.res_muni, lo, hi, 0, 999)).ok() ||
        !(f = check_intervals("res_start", d.res_start, d.res_end, lo, hi)).ok())
      return f.message();
    lo = d.vis_off[p], hi = d.vis_off[p + 1];
    if (!(f = check_codes("vis_cat", d.vis_cat, lo, hi, 0, 3)).ok() ||
        !(f = check_intervals("vis_start", d.vis_start, d.vis_end, lo, hi)).ok())
      return f.message();
    if (!(f = check_dates("reg_date", d.reg_date, d.reg_off[p], d.reg_off[p + 1])).ok())
      return f.message();
    lo = d.emp_off[p], hi = d.emp_off[p + 1];
    if (!(f = check_dates("emp_month", d.emp_month, lo, hi)).ok() ||
        !(f = check_hours("emp_hours", d.emp_hours, lo, hi)).ok())
      return f.message();
    for (int64_t r = lo; r < hi; ++r)
      if (civil_from_days(d.emp_month[r]).d != 1)
        return at("emp_month", r, "not the first day of a month");
  }
  return "";
}

std::string check_tables(const Data& d, int64_t p0, int64_t p1) {
  const int64_t n = d.n_persons();
  if (p0 < 0 || p1 < p0 || p1 > n) return "person range [p0, p1) is outside the dataset";
  if (d.birth_date.size != n) return "kernel array 'birth_date' must have one entry per person";
  const Table tables[] = {
      {"ben_off", d.ben_off, d.ben_benefit.size,
       same_length(d.ben_benefit.size, d.ben_start, d.ben_end, d.ben_hours, d.ben_part_time,
                   d.ben_supp)},
      {"dp_off", d.dp_off, d.dp_start.size, true},
      {"iv_off", d.iv_off, d.iv_date.size,
       same_length(d.iv_date.size, d.iv_kind, d.iv_form, d.iv_held_by, d.iv_muni)},
      {"ex_off", d.ex_off, d.ex_code.size, same_length(d.ex_code.size, d.ex_start, d.ex_end)},
      {"mii_off", d.mii_off, d.mii_start.size, same_length(d.mii_start.size, d.mii_end)},
      {"of_off", d.of_off, d.of_start.size, same_length(d.of_start.size, d.of_end)},
      {"res_off", d.res_off, d.res_muni.size, same_length(d.res_muni.size, d.res_start, d.res_end)},
      {"vis_off", d.vis_off, d.vis_cat.size, same_length(d.vis_cat.size, d.vis_start, d.vis_end)},
      {"reg_off", d.reg_off, d.reg_date.size, true},
      {"emp_off", d.emp_off, d.emp_month.size, same_length(d.emp_month.size, d.emp_hours)},
  };
  for (const Table& t : tables) {
    std::string e = check_offsets(t, n, p0, p1);
    if (!e.empty()) return e;
  }
  return "";
}

std::string check_input(const Data& d, const Rules& rules, int64_t p0, int64_t p1, int threads) {
  if (std::string e = check_tables(d, p0, p1); !e.empty()) return e;
  // the rows of the persons, split over the threads: each part finds its first offending
  // row, and the first part with one names the first in person order (as one pass would)
  const int n_parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, (p1 - p0) / 4096)));
  std::vector<std::string> found(static_cast<size_t>(n_parts));
  run_parts(n_parts, [&](int t) {
    const int64_t lo = p0 + (p1 - p0) * t / n_parts, hi = p0 + (p1 - p0) * (t + 1) / n_parts;
    if (!rows_clear(d, rules, lo, hi)) found[static_cast<size_t>(t)] = check_person_rows(d, rules, lo, hi);
  });
  for (const std::string& e : found)
    if (!e.empty()) return e;
  return "";
}

std::string check_months(View<int32_t> month_first, View<int32_t> month_last) {
  if (month_first.size < 1) return "at least one month is needed";
  if (month_first.size != month_last.size)
    return "month_first and month_last must have the same length";
  for (int64_t m = 0; m < month_first.size; ++m) {
    if (!is_day(month_first[m]) || !is_day(month_last[m]))
      return at("month_first", m, "date outside 1900..2100");
    if (month_last[m] < month_first[m]) return at("month_last", m, "before its month_first");
    if (m > 0 && month_first[m] <= month_last[m - 1])
      return at("month_first", m, "months must be increasing and disjoint");
  }
  return "";
}

std::string check_rows(const Rows& rows, int64_t n, int64_t n_months, View<int16_t> muni_slot,
                       View<int8_t> category_slot) {
  if (muni_slot.size != 1000) return "muni_slot must have 1000 entries";
  if (category_slot.size != N_GROUPS) return "category_slot must have 9 entries";
  for (int64_t i = 0; i < 1000; ++i)
    if (muni_slot[i] < 0 || muni_slot[i] >= 100) return at("muni_slot", i, "slot outside 0..99");
  for (int64_t g = 0; g < N_GROUPS; ++g)
    if (category_slot[g] != -1 && (category_slot[g] < N_GROUPS || category_slot[g] + 3 > 20))
      return at("category_slot", g, "slot outside 9..20 (or -1)");
  for (int64_t i = 0; i < n; ++i) {
    if (rows.month[i] < 0 || rows.month[i] >= n_months)
      return at("month", i, "row month index outside the cells array");
    if (rows.group[i] < 0 || rows.group[i] >= N_GROUPS) return at("group", i, "group outside 0..8");
    if (rows.category[i] < -1 || rows.category[i] > 3)
      return at("category", i, "category outside -1..3");
    if (rows.municipality[i] < 0 || rows.municipality[i] > 999)
      return at("municipality", i, "municipality outside 0..999");
    if (rows.interval[i] < 0 || rows.interval[i] > TWELVE_PLUS)
      return at("interval", i, "interval outside 0..12");
    if (rows.interval[i] == TWELVE_PLUS && (rows.band[i] < 0 || rows.band[i] > 3))
      return at("band", i, "band outside 0..3 in interval 12+");
    // the aggregation adds a row into measure min(counted, 5) of its cell (n0..n5plus)
    if (rows.counted[i] < 0) return at("counted", i, "negative count of interviews");
  }
  return "";
}

}  // namespace jobindsats
