// Arbitrary bytes -> the kernel's flat, person-sorted input (docs/kernel.md), in the shape
// jobindsats.Dataset.kernel_arrays() hands the binding: CSR offsets, each person's rows
// sorted by the table's sort columns, dates in SPEC §8's 1900-01-01..2100-12-31, end >=
// start, enum codes in range, municipalities among the 98, hours finite and >= 0.
// Everything else is fair: no persons, persons without rows, zero-length spells, extreme
// dates, everything overlapping, up to 255 rows per table and person.
//
// The byte format (read from the front; a read past the end gives zeros) is the one
// fuzz/make_corpus.py writes:
//   u8 flags (bit 0: rule set), u16 first month (months since 1900-01, mod 2412),
//   u8 months (1 + n % 4), u8 persons (n % 9); then per person: u8 (bit 0: has a birth date), a
//   date (the birth date), then for each of the 10 tables in Data order a u8
//   row count and the rows (fields below, in Data order).
// A date is a u16 v; by v >> 14: 0: near the run, anchor (the run's first day) - 1000 +
// (v & 0x3fff) % 1200; 1: anchor - 8192 + (v & 0x3fff); 2: 1900-01-01 + (v & 0x3fff); 3:
// 2100-12-31 - (v & 0x3fff); clamped to the range. An interval is a date and a u16 length
// v in days (end = start + length, clamped): short, v % 400, or with bit 15 set, long,
// v & 0x7fff (up to 89 years). An exemption code is a u16 v: with the top 4 bits set,
// one of the codes the rules name (R13 dead codes, R30 exemption codes: `special`), at
// (v & 0xfff) % n; else v as int16. Near dates, short intervals and named codes let
// random bytes reach the rules (interviews inside spells, dead periods) often.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <vector>

#include "data.hpp"
#include "dates.hpp"

namespace fuzz {

using namespace jobindsats;

constexpr int64_t MIN_DAY = -25567;  // 1900-01-01
constexpr int64_t MAX_DAY = 47846;   // 2100-12-31

struct Reader {
  const uint8_t* p;
  size_t n, at = 0;
  bool empty() const { return at >= n; }
  size_t left() const { return at < n ? n - at : 0; }
  uint8_t u8() {
    const uint8_t v = at < n ? p[at] : uint8_t{0};
    ++at;
    return v;
  }
  uint16_t u16() {
    const uint16_t lo = u8();
    return static_cast<uint16_t>(lo | (u8() << 8));
  }
};

// Owning storage of every array Data views.
struct Input {
  int rule_set = 0;
  std::vector<int32_t> month_first, month_last;
  std::vector<int64_t> person_ids;
  std::vector<int32_t> birth_date;
  std::vector<int64_t> ben_off{0}, dp_off{0}, iv_off{0}, ex_off{0}, mii_off{0}, of_off{0},
      res_off{0}, vis_off{0}, reg_off{0}, emp_off{0};
  std::vector<int8_t> ben_benefit, ben_part_time;
  std::vector<int32_t> ben_start, ben_end;
  std::vector<double> ben_hours;
  std::vector<uint8_t> ben_supp;
  std::vector<int32_t> dp_start;
  std::vector<int32_t> iv_date;
  std::vector<int8_t> iv_kind, iv_form, iv_held_by;
  std::vector<int16_t> iv_muni;
  std::vector<int16_t> ex_code;
  std::vector<int32_t> ex_start, ex_end;
  std::vector<int32_t> mii_start, mii_end, of_start, of_end;
  std::vector<int16_t> res_muni;
  std::vector<int32_t> res_start, res_end;
  std::vector<int8_t> vis_cat;
  std::vector<int32_t> vis_start, vis_end;
  std::vector<int32_t> reg_date;
  std::vector<int32_t> emp_month;
  std::vector<double> emp_hours;

  template <class T>
  static View<T> v(const std::vector<T>& a) {
    return View<T>{a.data(), static_cast<int64_t>(a.size())};
  }
  Data data() const {
    Data d;
    d.person_ids = v(person_ids);
    d.birth_date = v(birth_date);
    d.ben_off = v(ben_off);
    d.ben_benefit = v(ben_benefit);
    d.ben_start = v(ben_start);
    d.ben_end = v(ben_end);
    d.ben_hours = v(ben_hours);
    d.ben_part_time = v(ben_part_time);
    d.ben_supp = v(ben_supp);
    d.dp_off = v(dp_off);
    d.dp_start = v(dp_start);
    d.iv_off = v(iv_off);
    d.iv_date = v(iv_date);
    d.iv_kind = v(iv_kind);
    d.iv_form = v(iv_form);
    d.iv_held_by = v(iv_held_by);
    d.iv_muni = v(iv_muni);
    d.ex_off = v(ex_off);
    d.ex_code = v(ex_code);
    d.ex_start = v(ex_start);
    d.ex_end = v(ex_end);
    d.mii_off = v(mii_off);
    d.mii_start = v(mii_start);
    d.mii_end = v(mii_end);
    d.of_off = v(of_off);
    d.of_start = v(of_start);
    d.of_end = v(of_end);
    d.res_off = v(res_off);
    d.res_muni = v(res_muni);
    d.res_start = v(res_start);
    d.res_end = v(res_end);
    d.vis_off = v(vis_off);
    d.vis_cat = v(vis_cat);
    d.vis_start = v(vis_start);
    d.vis_end = v(vis_end);
    d.reg_off = v(reg_off);
    d.reg_date = v(reg_date);
    d.emp_off = v(emp_off);
    d.emp_month = v(emp_month);
    d.emp_hours = v(emp_hours);
    return d;
  }
};

// Sort rows [lo, n) of the parallel columns by key(i) (a tuple), stable.
template <class Key, class... Cols>
void sort_rows(size_t lo, Key key, Cols&... cols) {
  const size_t n = std::get<0>(std::tie(cols...)).size();
  std::vector<size_t> idx(n - lo);
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = lo + i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  auto permute = [&](auto& col) {
    auto copy = col;
    for (size_t i = 0; i < idx.size(); ++i) col[lo + i] = copy[idx[i]];
  };
  (permute(cols), ...);
}

inline int32_t clamp_day(int64_t d) {
  return static_cast<int32_t>(std::min(std::max(d, MIN_DAY), MAX_DAY));
}

inline Input decode(const uint8_t* bytes, size_t size, const int16_t* munis, int64_t n_munis,
                    const int16_t* special, int64_t n_special) {
  Reader r{bytes, size};
  Input in;
  in.rule_set = r.u8() & 1;
  const int64_t first = r.u16() % 2412;  // months since 1900-01 (1900-01 .. 2100-12)
  const int64_t n_months = 1 + r.u8() % 4;
  for (int64_t m = first; m < std::min<int64_t>(first + n_months, 2412); ++m) {
    const int64_t y = 1900 + m / 12, mo = 1 + m % 12;
    in.month_first.push_back(static_cast<int32_t>(days_from_civil(y, mo, 1)));
    in.month_last.push_back(static_cast<int32_t>(days_from_civil(y, mo, days_in_month(y, mo))));
  }
  const int64_t anchor = in.month_first[0];
  auto date = [&]() -> int32_t {
    const uint16_t v = r.u16();
    switch (v >> 14) {
      case 0: return clamp_day(anchor - 1000 + (v & 0x3fff) % 1200);
      case 1: return clamp_day(anchor - 8192 + (v & 0x3fff));
      case 2: return clamp_day(MIN_DAY + (v & 0x3fff));
      default: return clamp_day(MAX_DAY - (v & 0x3fff));
    }
  };
  auto interval = [&](std::vector<int32_t>& s, std::vector<int32_t>& e) {
    const int32_t a = date();
    s.push_back(a);
    const uint16_t v = r.u16();
    e.push_back(clamp_day(int64_t{a} + ((v & 0x8000) ? (v & 0x7fff) : v % 400)));
  };
  auto muni = [&]() { return munis[r.u8() % n_munis]; };
  auto hours = [&]() { return r.u16() / 4.0; };
  const int64_t n_persons = r.u8() % 9;
  for (int64_t p = 0; p < n_persons; ++p) {
    in.person_ids.push_back(p * 7 + 1);
    const bool born = r.u8() & 1;
    const int32_t birth = date();
    in.birth_date.push_back(born ? birth : static_cast<int32_t>(NO_DATE));
    // the row count of a table: at most what the rest of the input can describe
    auto count = [&]() { return std::min<size_t>(r.u8(), r.left()); };
    size_t lo = in.ben_start.size();
    for (size_t k = count(); k > 0; --k) {
      in.ben_benefit.push_back(static_cast<int8_t>(r.u8() % 14));
      interval(in.ben_start, in.ben_end);
      in.ben_hours.push_back(hours());
      in.ben_part_time.push_back(static_cast<int8_t>(r.u8() % 3 - 1));
      in.ben_supp.push_back(r.u8() & 1);
    }
    sort_rows(lo, [&](size_t i) {
      return std::make_tuple(in.ben_start[i], in.ben_end[i], in.ben_benefit[i], in.ben_hours[i],
                             in.ben_part_time[i], in.ben_supp[i]);
    }, in.ben_benefit, in.ben_start, in.ben_end, in.ben_hours, in.ben_part_time, in.ben_supp);
    in.ben_off.push_back(static_cast<int64_t>(in.ben_start.size()));
    for (size_t k = count(); k > 0; --k) in.dp_start.push_back(date());
    std::sort(in.dp_start.begin() + static_cast<std::ptrdiff_t>(in.dp_off.back()), in.dp_start.end());
    in.dp_off.push_back(static_cast<int64_t>(in.dp_start.size()));
    lo = in.iv_date.size();
    for (size_t k = count(); k > 0; --k) {
      in.iv_date.push_back(date());
      in.iv_kind.push_back(static_cast<int8_t>(r.u8() % 3));
      in.iv_form.push_back(static_cast<int8_t>(r.u8() % 3));
      in.iv_held_by.push_back(static_cast<int8_t>(r.u8() % 3));
      in.iv_muni.push_back(muni());
    }
    sort_rows(lo, [&](size_t i) {
      return std::make_tuple(in.iv_date[i], in.iv_kind[i], in.iv_form[i], in.iv_held_by[i],
                             in.iv_muni[i]);
    }, in.iv_date, in.iv_kind, in.iv_form, in.iv_held_by, in.iv_muni);
    in.iv_off.push_back(static_cast<int64_t>(in.iv_date.size()));
    lo = in.ex_code.size();
    for (size_t k = count(); k > 0; --k) {
      const uint16_t v = r.u16();
      in.ex_code.push_back((v >> 12) == 0xf && n_special > 0 ? special[(v & 0xfff) % n_special]
                                            : static_cast<int16_t>(v));
      interval(in.ex_start, in.ex_end);
    }
    sort_rows(lo, [&](size_t i) {
      return std::make_tuple(in.ex_start[i], in.ex_end[i], in.ex_code[i]);
    }, in.ex_code, in.ex_start, in.ex_end);
    in.ex_off.push_back(static_cast<int64_t>(in.ex_code.size()));
    for (auto* t : {&in.mii_start, &in.of_start}) {
      auto& s = *t;
      auto& e = t == &in.mii_start ? in.mii_end : in.of_end;
      auto& off = t == &in.mii_start ? in.mii_off : in.of_off;
      lo = s.size();
      for (size_t k = count(); k > 0; --k) interval(s, e);
      sort_rows(lo, [&](size_t i) { return std::make_tuple(s[i], e[i]); }, s, e);
      off.push_back(static_cast<int64_t>(s.size()));
    }
    lo = in.res_muni.size();
    for (size_t k = count(); k > 0; --k) {
      in.res_muni.push_back(muni());
      interval(in.res_start, in.res_end);
    }
    sort_rows(lo, [&](size_t i) {
      return std::make_tuple(in.res_start[i], in.res_end[i], in.res_muni[i]);
    }, in.res_muni, in.res_start, in.res_end);
    in.res_off.push_back(static_cast<int64_t>(in.res_muni.size()));
    lo = in.vis_cat.size();
    for (size_t k = count(); k > 0; --k) {
      in.vis_cat.push_back(static_cast<int8_t>(r.u8() % 4));
      interval(in.vis_start, in.vis_end);
    }
    sort_rows(lo, [&](size_t i) {
      return std::make_tuple(in.vis_start[i], in.vis_end[i], in.vis_cat[i]);
    }, in.vis_cat, in.vis_start, in.vis_end);
    in.vis_off.push_back(static_cast<int64_t>(in.vis_cat.size()));
    for (size_t k = count(); k > 0; --k) in.reg_date.push_back(date());
    std::sort(in.reg_date.begin() + static_cast<std::ptrdiff_t>(in.reg_off.back()), in.reg_date.end());
    in.reg_off.push_back(static_cast<int64_t>(in.reg_date.size()));
    lo = in.emp_month.size();
    for (size_t k = count(); k > 0; --k) {
      const Civil c = civil_from_days(date());
      in.emp_month.push_back(static_cast<int32_t>(days_from_civil(c.y, c.m, 1)));
      in.emp_hours.push_back(hours());
    }
    sort_rows(lo, [&](size_t i) { return std::make_tuple(in.emp_month[i], in.emp_hours[i]); },
              in.emp_month, in.emp_hours);
    in.emp_off.push_back(static_cast<int64_t>(in.emp_month.size()));
  }
  return in;
}

}  // namespace fuzz
