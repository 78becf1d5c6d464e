// The measurement kernels: measure_persons (R1-R32, R42, R47) and aggregate_cells (R40).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "activation.hpp"
#include "aggregate.hpp"
#include "constants.hpp"
#include "contract.hpp"
#include "convert.hpp"
#include "kernel_inputs.hpp"
#include "measure.hpp"

namespace py = pybind11;
using namespace jobindsats;
using binding::view_in;
using binding::view_of;

namespace {

Data data_from(const py::dict& a) {
  Data d;
  d.person_ids = view_in<int64_t>(a, "person_ids");
  d.birth_date = view_in<int32_t>(a, "birth_date");
  d.ben_off = view_in<int64_t>(a, "ben_off");
  d.ben_benefit = view_in<int8_t>(a, "ben_benefit");
  d.ben_start = view_in<int32_t>(a, "ben_start");
  d.ben_end = view_in<int32_t>(a, "ben_end");
  d.ben_hours = view_in<double>(a, "ben_hours");
  d.ben_part_time = view_in<int8_t>(a, "ben_part_time");
  d.ben_supp = view_in<uint8_t>(a, "ben_supp");
  d.dp_off = view_in<int64_t>(a, "dp_off");
  d.dp_start = view_in<int32_t>(a, "dp_start");
  d.iv_off = view_in<int64_t>(a, "iv_off");
  d.iv_date = view_in<int32_t>(a, "iv_date");
  d.iv_kind = view_in<int8_t>(a, "iv_kind");
  d.iv_form = view_in<int8_t>(a, "iv_form");
  d.iv_held_by = view_in<int8_t>(a, "iv_held_by");
  d.iv_muni = view_in<int16_t>(a, "iv_muni");
  d.ex_off = view_in<int64_t>(a, "ex_off");
  d.ex_code = view_in<int16_t>(a, "ex_code");
  d.ex_start = view_in<int32_t>(a, "ex_start");
  d.ex_end = view_in<int32_t>(a, "ex_end");
  d.mii_off = view_in<int64_t>(a, "mii_off");
  d.mii_start = view_in<int32_t>(a, "mii_start");
  d.mii_end = view_in<int32_t>(a, "mii_end");
  d.of_off = view_in<int64_t>(a, "of_off");
  d.of_start = view_in<int32_t>(a, "of_start");
  d.of_end = view_in<int32_t>(a, "of_end");
  d.res_off = view_in<int64_t>(a, "res_off");
  d.res_muni = view_in<int16_t>(a, "res_muni");
  d.res_start = view_in<int32_t>(a, "res_start");
  d.res_end = view_in<int32_t>(a, "res_end");
  d.vis_off = view_in<int64_t>(a, "vis_off");
  d.vis_cat = view_in<int8_t>(a, "vis_cat");
  d.vis_start = view_in<int32_t>(a, "vis_start");
  d.vis_end = view_in<int32_t>(a, "vis_end");
  d.reg_off = view_in<int64_t>(a, "reg_off");
  d.reg_date = view_in<int32_t>(a, "reg_date");
  d.emp_off = view_in<int64_t>(a, "emp_off");
  d.emp_month = view_in<int32_t>(a, "emp_month");
  d.emp_hours = view_in<double>(a, "emp_hours");
  const int64_t n1 = d.n_persons() + 1;
  const std::pair<const char*, int64_t> offsets[] = {
      {"ben_off", d.ben_off.size}, {"dp_off", d.dp_off.size},   {"iv_off", d.iv_off.size},
      {"ex_off", d.ex_off.size},   {"mii_off", d.mii_off.size}, {"of_off", d.of_off.size},
      {"res_off", d.res_off.size}, {"vis_off", d.vis_off.size}, {"reg_off", d.reg_off.size},
      {"emp_off", d.emp_off.size}};
  for (const auto& [name, size] : offsets)
    if (size != n1)
      throw py::value_error(std::string("kernel array '") + name + "' must have length " +
                            std::to_string(n1));
  if (d.birth_date.size != d.n_persons())
    throw py::value_error("kernel array 'birth_date' must have one entry per person");
  return d;
}

int64_t scalar(const py::dict& r, const char* name) { return r[name].cast<int64_t>(); }
double real(const py::dict& r, const char* name) { return r[name].cast<double>(); }

Rules rules_from(const py::dict& r) {
  Rules k;
  k.benefit_rank = view_in<int8_t>(r, "benefit_rank");
  k.benefit_group = view_in<int8_t>(r, "benefit_group");
  k.oy_join_mask = scalar(r, "oy_join_mask");
  k.category_group_mask = scalar(r, "category_group_mask");
  k.dead_codes = view_in<int16_t>(r, "dead_codes");
  k.covid_dead_off = view_in<int64_t>(r, "covid_dead_off");
  k.covid_dead_start = view_in<int32_t>(r, "covid_dead_start");
  k.covid_dead_end = view_in<int32_t>(r, "covid_dead_end");
  if (k.covid_dead_off.size != N_GROUPS + 1 || k.covid_dead_start.size != k.covid_dead_end.size ||
      k.covid_dead_off[0] != 0 || k.covid_dead_off[N_GROUPS] != k.covid_dead_start.size)
    throw py::value_error(
        "rule arrays 'covid_dead_off/start/end' must be offsets (10) into equal-length periods");
  for (int64_t g = 0; g < N_GROUPS; ++g)
    if (k.covid_dead_off[g] > k.covid_dead_off[g + 1])
      throw py::value_error("rule array 'covid_dead_off' must be non-decreasing");
  k.covid_closed_start = scalar(r, "covid_closed_start");
  k.covid_closed_end = scalar(r, "covid_closed_end");
  k.form_rule_from = scalar(r, "form_rule_from");
  k.reopen_start = view_in<int32_t>(r, "reopen_start");
  k.reopen_end = view_in<int32_t>(r, "reopen_end");
  k.remote_6m_from = scalar(r, "remote_6m_from");
  k.remote_6m_interval = scalar(r, "remote_6m_interval");
  k.trial_muni = view_in<int16_t>(r, "trial_muni");
  k.trial_form_mask = view_in<int8_t>(r, "trial_form_mask");
  k.trial_start = view_in<int32_t>(r, "trial_start");
  k.trial_end = view_in<int32_t>(r, "trial_end");
  k.prepay_from = scalar(r, "prepay_from");
  k.prepay_months = scalar(r, "prepay_months");
  k.prepay_group_mask = scalar(r, "prepay_group_mask");
  auto mask = py::reinterpret_borrow<py::array>(r["exempt_mask"]);
  if (mask.ndim() != 2 || mask.shape(0) != N_GROUPS)
    throw py::value_error("rule array 'exempt_mask' must have shape (9, codes)");
  k.exempt_mask = view_of<uint8_t>(mask, "exempt_mask", 2);
  k.exempt_codes = mask.shape(1);
  k.exempt_pct = scalar(r, "exempt_pct");
  k.exempt24_from = scalar(r, "exempt24_from");
  k.exempt24_pct = scalar(r, "exempt24_pct");
  k.exempt24_below_interval = scalar(r, "exempt24_below_interval");
  k.mii_days = scalar(r, "mii_days");
  k.window_days = scalar(r, "window_days");
  k.window_months = scalar(r, "window_months");
  k.day_edges = view_in<int32_t>(r, "day_edges");
  k.band_day_edges = view_in<int32_t>(r, "band_day_edges");
  k.hours_full = real(r, "hours_full");
  k.hours_part = real(r, "hours_part");
  k.hours_tolerance = real(r, "hours_tolerance");
  k.band_months = view_in<int32_t>(r, "band_months");
  k.min_age_months = scalar(r, "min_age_months");
  k.pension_birth_from = view_in<int32_t>(r, "pension_birth_from");
  k.pension_months = view_in<int32_t>(r, "pension_months");
  k.activation_hours = real(r, "activation_hours");
  auto required = py::reinterpret_borrow<py::array>(r["samtaletal_required"]);
  if (required.ndim() != 2 || required.shape(0) != N_GROUPS)
    throw py::value_error("rule array 'samtaletal_required' must have shape (9, 1 + categories)");
  k.samtaletal_required = view_of<int8_t>(required, "samtaletal_required", 2);
  k.samtaletal_stride = required.shape(1);
  k.passivity_days = view_in<int32_t>(r, "passivity_days");
  if (k.passivity_days.size != N_PASSIVITY_WINDOWS)
    throw py::value_error("rule array 'passivity_days' must have 5 entries");
  return k;
}

// An output array left uninitialised (the kernel writes every row it reports), owned
// here until handed to NumPy without a copy.
template <class T>
struct Buffer {
  std::unique_ptr<T[]> p;
  void allocate(size_t n) { p.reset(new T[std::max<size_t>(n, 1)]); }
  Span<T> span() { return Span<T>{p.get(), 0}; }
};

struct RowBuffers {
  Buffer<int64_t> person;
  Buffer<int32_t> month, reference, spell_start, duration_days, counted;
  Buffer<int8_t> group, category, interval, band, excluded;
  Buffer<int16_t> municipality;
  Buffer<double> duration_hours;
  Buffer<uint8_t> exempt, activity;

  void allocate(size_t n) {
    for (auto* v : {&month, &counted}) v->allocate(n);
    for (auto* v : {&group, &category, &interval, &band, &excluded}) v->allocate(n);
    municipality.allocate(n);
    exempt.allocate(n);
    activity.allocate(n);
    person.allocate(n);
    for (auto* v : {&reference, &spell_start, &duration_days}) v->allocate(n);
    duration_hours.allocate(n);
  }
  Rows rows() {
    return Rows{person.span(),        month.span(),          group.span(),
                category.span(),      municipality.span(),   reference.span(),
                spell_start.span(),   duration_days.span(),  duration_hours.span(),
                interval.span(),      band.span(),           counted.span(),
                exempt.span(),        excluded.span(),       activity.span()};
  }
};

// The first n values of b as a NumPy array that owns b's memory: no copy. The buffer is
// sized by the row capacity, a close upper bound (about 3 % above the rows written).
template <class T>
py::array_t<T> owning_array(std::unique_ptr<T[]>&& p, std::vector<py::ssize_t> shape) {
  auto* owner = p.release();
  py::capsule free_when_done(owner, [](void* q) { delete[] static_cast<T*>(q); });
  return py::array_t<T>(std::move(shape), owner, free_when_done);
}

template <class T>
py::array_t<T> to_numpy(Buffer<T>&& b, size_t n) {
  return owning_array(std::move(b.p), {static_cast<py::ssize_t>(n)});
}

// jobindsats._core.CellSink: the core's cells. A call that fails after adding some rows
// (measure_cells: a block breaking the contract) leaves the sink marked failed: its
// counts are then a part of a run and any further use is refused.
struct PySink : CellSink {
  using CellSink::CellSink;
  std::atomic<bool> failed{false};
};

// The CellSink argument for a run of n_months months.
PySink* sink_of(const py::object& cells, int64_t n_months) {
  if (!py::isinstance<PySink>(cells))
    throw py::type_error("cells must be a jobindsats._core.CellSink");
  PySink* sink = cells.cast<PySink*>();
  if (sink->n_months() != n_months)
    throw py::value_error("cells has " + std::to_string(sink->n_months()) + " months, the run " +
                          std::to_string(n_months));
  return sink;
}

void refuse_failed(const PySink& sink) {
  if (sink.failed)
    throw py::value_error(
        "cells (a CellSink) holds part of the rows of a call that failed: use a new one");
}

// measure_persons' cells argument: the sink (checked for the run's months and not failed)
// and its slot maps (checked: check_rows).
struct SinkArgs {
  PySink* sink = nullptr;
  View<int16_t> muni_slot;
  View<int8_t> category_slot;
};

SinkArgs sink_args(const py::object& cells, int64_t n_months, const py::object& muni_slot,
                   const py::object& category_slot) {
  SinkArgs a;
  a.sink = sink_of(cells, n_months);
  refuse_failed(*a.sink);
  a.muni_slot = binding::view_of<int16_t>(muni_slot, "muni_slot");
  a.category_slot = binding::view_of<int8_t>(category_slot, "category_slot");
  if (std::string e = check_rows(Rows{}, 0, n_months, a.muni_slot, a.category_slot); !e.empty())
    throw py::value_error(e);
  return a;
}

// measure_persons with rows=False: the rows go into the cells block by block
// (cpp/measure.hpp measure_cells) and are never handed back.
py::tuple cells_only(const Data& d, const Rules& k, View<int32_t> mf, View<int32_t> ml,
                     int64_t p0, int64_t p1, int threads, const py::object& cells,
                     const py::object& muni_slot, const py::object& category_slot) {
  if (cells.is_none())
    throw py::value_error("rows=False needs cells (a CellSink) to add the rows into");
  const SinkArgs a = sink_args(cells, mf.size, muni_slot, category_slot);
  py::array_t<int64_t> quality(N_QUALITY);
  std::fill(quality.mutable_data(), quality.mutable_data() + N_QUALITY, 0);
  std::string error;
  bool added = false;
  {
    // Safe without the GIL: the kernel reads NumPy buffers kept alive by this call's
    // arguments; the sink takes its adds under its own locks.
    py::gil_scoped_release release;
    // the tables here, each block's rows by measure_cells just before it measures them
    error = check_tables(d, p0, p1);
    if (error.empty()) {
      added = true;
      error = measure_cells(d, k, mf, ml, p0, p1, *a.sink, a.muni_slot, a.category_slot,
                            quality.mutable_data(), threads);
    }
  }
  if (!error.empty()) {
    if (added) a.sink->failed = true;
    throw py::value_error(error);
  }
  return py::make_tuple(py::none(), quality);
}

py::tuple measure_persons_py(const py::dict& arrays, const py::dict& rules,
                             py::array_t<int32_t, py::array::c_style> month_first,
                             py::array_t<int32_t, py::array::c_style> month_last, int64_t p0,
                             int64_t p1, py::object capacity_or_none,
                             int threads, py::object cells, py::object muni_slot,
                             py::object category_slot, bool want_rows, bool labels) {
  const Data d = data_from(arrays);
  const Rules k = rules_from(rules);
  if (p0 < 0 || p1 < p0 || p1 > d.n_persons())
    throw py::value_error("person range [p0, p1) is outside the dataset");
  if (threads < 1) throw py::value_error("threads must be at least 1");
  if (month_first.size() < 1) throw py::value_error("at least one month is needed");
  if (month_first.size() != month_last.size())
    throw py::value_error("month_first and month_last must have the same length");
  // the contract (docs/kernel.md): the kernel indexes with these values, so input that
  // breaks it is refused here, not read out of bounds (cpp/contract.hpp)
  const View<int32_t> mf{month_first.data(), month_first.size()},
      ml{month_last.data(), month_last.size()};
  if (std::string e = check_months(mf, ml); !e.empty()) throw py::value_error(e);
  if (!want_rows)
    return cells_only(d, k, mf, ml, p0, p1, threads, cells, muni_slot, category_slot);
  std::string input_error;
  {
    py::gil_scoped_release release;  // reads the arguments' buffers only
    input_error = check_input(d, k, p0, p1, threads);
  }
  if (!input_error.empty()) throw py::value_error(input_error);
  std::vector<int64_t> own_capacity;
  const int64_t* cap;
  if (capacity_or_none.is_none()) {  // computed here, in the threads, without the GIL
    own_capacity.resize(static_cast<size_t>(p1 - p0));
    py::gil_scoped_release release;
    row_capacity(d, k, View<int32_t>{month_first.data(), month_first.size()},
                 View<int32_t>{month_last.data(), month_last.size()}, p0, p1,
                 own_capacity.data(), threads);
    cap = own_capacity.data();
  } else {
    const View<int64_t> given = binding::view_of<int64_t>(capacity_or_none, "capacity");
    if (given.size != p1 - p0)
      throw py::value_error("capacity must have one entry per person of [p0, p1)");
    cap = given.data;
  }
  const int64_t n = p1 - p0;
  std::vector<int64_t> row_base(static_cast<size_t>(n) + 1, 0);
  for (int64_t i = 0; i < n; ++i) row_base[static_cast<size_t>(i) + 1] = row_base[static_cast<size_t>(i)] + cap[i];
  const size_t total = static_cast<size_t>(row_base[static_cast<size_t>(n)]);
  // Optional R40 sink: the rows are also added into `cells` (a CellSink), in the same call.
  const SinkArgs a =
      cells.is_none() ? SinkArgs{} : sink_args(cells, mf.size, muni_slot, category_slot);
  // the rows handed back: new buffers that NumPy will own
  RowBuffers buf;
  buf.allocate(total);
  const Rows out = buf.rows();
  std::vector<int64_t> written(static_cast<size_t>(n), 0);
  py::array_t<int64_t> quality(N_QUALITY);
  std::fill(quality.mutable_data(), quality.mutable_data() + N_QUALITY, 0);
  int64_t rows_written;
  std::string sink_error;
  {
    // Safe without the GIL: the kernel reads NumPy buffers kept alive by this call's
    // arguments and writes only into buffers this call owns.
    py::gil_scoped_release release;
    measure_persons(d, k, View<int32_t>{month_first.data(), month_first.size()},
                    View<int32_t>{month_last.data(), month_last.size()}, p0, p1,
                    row_base.data(), out, written.data(), quality.mutable_data(), threads);
    const int sink_parts = std::max(1, std::min<int>(threads, static_cast<int>(month_first.size())));
    rows_written = compact_rows(out, n, row_base.data(), written.data(), threads);
    if (a.sink != nullptr)
      sink_error =
          a.sink->add_rows(out, rows_written, n, a.muni_slot, a.category_slot, sink_parts);
    if (labels && sink_error.empty()) label_rows(out, rows_written, d.person_ids, mf, threads);
  }
  if (!sink_error.empty()) throw py::value_error(sink_error);
  const size_t m = static_cast<size_t>(rows_written);
  py::dict rows;
  rows[labels ? "person_id" : "person"] = to_numpy(std::move(buf.person), m);
  rows[labels ? "month_start" : "month"] = to_numpy(std::move(buf.month), m);
  rows["group"] = to_numpy(std::move(buf.group), m);
  rows["category"] = to_numpy(std::move(buf.category), m);
  rows["municipality"] = to_numpy(std::move(buf.municipality), m);
  rows["reference"] = to_numpy(std::move(buf.reference), m);
  rows["spell_start"] = to_numpy(std::move(buf.spell_start), m);
  rows["duration_days"] = to_numpy(std::move(buf.duration_days), m);
  rows["duration_hours"] = to_numpy(std::move(buf.duration_hours), m);
  rows["interval"] = to_numpy(std::move(buf.interval), m);
  rows["band"] = to_numpy(std::move(buf.band), m);
  rows["counted"] = to_numpy(std::move(buf.counted), m);
  rows["exempt"] = to_numpy(std::move(buf.exempt), m);
  rows["excluded"] = to_numpy(std::move(buf.excluded), m);
  rows["activity"] = to_numpy(std::move(buf.activity), m);
  return py::make_tuple(rows, quality);
}

template <class T>
Span<T> row_span(const py::dict& rows, const char* name, int64_t n) {
  View<T> v = view_in<T>(rows, name);
  if (v.size != n) throw py::value_error(std::string("row array '") + name + "' has a different length");
  return Span<T>{const_cast<T*>(v.data), v.size};
}

void aggregate_cells_py(const py::dict& rows, py::array_t<int16_t, py::array::c_style> muni_slot,
                        py::array_t<int8_t, py::array::c_style> category_slot,
                        const py::object& cells, int threads) {
  if (threads < 1) throw py::value_error("threads must be at least 1");
  const int64_t n = view_in<int64_t>(rows, "person").size;
  // Read-only use: aggregate_cells never writes to the row arrays.
  const Rows r{row_span<int64_t>(rows, "person", n),     row_span<int32_t>(rows, "month", n),
               row_span<int8_t>(rows, "group", n),       row_span<int8_t>(rows, "category", n),
               row_span<int16_t>(rows, "municipality", n), row_span<int32_t>(rows, "reference", n),
               row_span<int32_t>(rows, "spell_start", n), row_span<int32_t>(rows, "duration_days", n),
               row_span<double>(rows, "duration_hours", n), row_span<int8_t>(rows, "interval", n),
               row_span<int8_t>(rows, "band", n),         row_span<int32_t>(rows, "counted", n),
               row_span<uint8_t>(rows, "exempt", n),      row_span<int8_t>(rows, "excluded", n),
               row_span<uint8_t>(rows, "activity", n)};
  if (!py::isinstance<PySink>(cells))
    throw py::type_error("cells must be a jobindsats._core.CellSink");
  PySink* sink = cells.cast<PySink*>();
  refuse_failed(*sink);
  if (muni_slot.size() != 1000) throw py::value_error("muni_slot must have 1000 entries");
  if (category_slot.size() != N_GROUPS) throw py::value_error("category_slot must have 9 entries");
  const int64_t n_months = sink->n_months();
  const View<int16_t> ms{muni_slot.data(), muni_slot.size()};
  const View<int8_t> cs{category_slot.data(), category_slot.size()};
  // every value the aggregation indexes with (cpp/contract.hpp)
  if (std::string e = check_rows(r, n, n_months, ms, cs); !e.empty()) throw py::value_error(e);
  std::string e;
  {
    // Safe without the GIL: only buffers held by this call's arguments are touched.
    py::gil_scoped_release release;
    // (every row counted as a person of its own: a bound for rows from anywhere)
    e = sink->add_rows(r, n, n, ms, cs,
                       std::max(1, std::min<int>(threads, static_cast<int>(n_months))));
  }
  if (!e.empty()) throw py::value_error(e);
}

// The number of cells of an array whose last axis holds the 15 measures.
int64_t cells_in(const py::array_t<int64_t, py::array::c_style>& cells) {
  if (cells.ndim() < 1 || cells.shape(cells.ndim() - 1) != N_MEASURES)
    throw py::value_error("cells must end in a measure axis of length 15");
  return cells.size() / N_MEASURES;
}

py::array_t<int64_t> occupied_cells_py(py::array_t<int64_t, py::array::c_style> cells) {
  const int64_t n = cells_in(cells);
  std::vector<int64_t> idx;
  {
    py::gil_scoped_release release;  // reads only the argument's buffer
    idx = occupied_cells(cells.data(), n);
  }
  return py::array_t<int64_t>(static_cast<py::ssize_t>(idx.size()), idx.data());
}

py::array_t<int64_t> gather_cells_py(py::array_t<int64_t, py::array::c_style> cells,
                                     py::array_t<int64_t, py::array::c_style> index,
                                     int threads) {
  if (threads < 1) throw py::value_error("threads must be at least 1");
  const int64_t n_cells = cells_in(cells), n = index.size();
  const int64_t* idx = index.data();
  for (int64_t j = 0; j < n; ++j)
    if (idx[j] < 0 || idx[j] >= n_cells) throw py::value_error("cell index out of range");
  py::array_t<int64_t> out({static_cast<py::ssize_t>(N_MEASURES), static_cast<py::ssize_t>(n)});
  {
    py::gil_scoped_release release;  // reads the arguments, writes only `out`
    // a thread per 64k cells at most: small gathers stay on the calling thread
    const int parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, n >> 16)));
    gather_cells(cells.data(), idx, n, out.mutable_data(), parts);
  }
  return out;
}

// A vector handed to NumPy without a copy (the array owns it).
py::array_t<int64_t> vector_to_numpy(std::vector<int64_t>&& v, std::vector<py::ssize_t> shape) {
  auto* owner = new std::vector<int64_t>(std::move(v));
  py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<int64_t>*>(p); });
  return py::array_t<int64_t>(shape, owner->data(), free_when_done);
}

py::tuple finish_py(const PySink& sink, int threads) {
  if (threads < 1) throw py::value_error("threads must be at least 1");
  refuse_failed(sink);
  std::vector<int64_t> index;
  std::unique_ptr<int64_t[]> counts;
  {
    py::gil_scoped_release release;  // reads the sink, writes its own buffers
    index = sink.finish(counts, threads);
  }
  const auto n = static_cast<py::ssize_t>(index.size());
  return py::make_tuple(vector_to_numpy(std::move(index), {n}),
                        owning_array(std::move(counts), {static_cast<py::ssize_t>(N_MEASURES), n}));
}

py::array_t<int64_t> base_cells_py(const PySink& sink) {
  refuse_failed(sink);
  py::array_t<int64_t> out({static_cast<py::ssize_t>(sink.n_months()),
                            static_cast<py::ssize_t>(N_MUNI_SLOTS), static_cast<py::ssize_t>(N_GROUP_SLOTS),
                            static_cast<py::ssize_t>(N_INTERVAL_SLOTS), static_cast<py::ssize_t>(N_MEASURES)});
  sink.base_cells(out.mutable_data());
  return out;
}

}  // namespace

namespace jobindsats::binding {
Data data_from_arrays(const py::dict& arrays) { return data_from(arrays); }
Rules rules_from_dict(const py::dict& rules) { return rules_from(rules); }
}  // namespace jobindsats::binding

void register_measure(py::module_& m) {
  m.def("measure_persons", &measure_persons_py, py::arg("arrays"), py::arg("rules"),
        py::arg("month_first"), py::arg("month_last"), py::arg("p0"), py::arg("p1"),
        py::arg("capacity") = py::none(), py::arg("threads") = 1, py::arg("cells") = py::none(),
        py::arg("muni_slot") = py::none(), py::arg("category_slot") = py::none(),
        py::arg("rows") = true, py::arg("labels") = false,
        "Person x month x group rows of persons [p0, p1) (docs/kernel.md); `capacity` (rows "
        "per person, an upper bound) is computed when None; returns "
        "(rows: dict of arrays, quality: int64 array). With `cells` (a CellSink, and the slot "
        "maps) the rows are also added into the R40 base cells; with rows=False as well, only "
        "there (rows is then None: no compaction, no row arrays handed back). With "
        "labels=True the rows carry person_id (the person's id) and month_start (the month's "
        "first day) in place of the indices person and month.");
  m.def("aggregate_cells", &aggregate_cells_py, py::arg("rows"), py::arg("muni_slot"),
        py::arg("category_slot"), py::arg("cells"), py::arg("threads") = 1,
        "R40: add the rows into the base cells of a CellSink.");
  m.def("occupied_cells", &occupied_cells_py, py::arg("cells"),
        "Flat indices of the cells with any person (R40 emits only these).");
  m.def("gather_cells", &gather_cells_py, py::arg("cells"), py::arg("index"),
        py::arg("threads") = 1,
        "The counts of the flat cells `index` as int64[15, n], one row per measure.");
  py::class_<PySink>(m, "CellSink",
                       "The R40 base cells of a run (months, 100, 22, 18), filled by "
                       "measure_persons / aggregate_cells (cpp/aggregate.hpp).")
      .def(py::init([](int64_t n_months) {
             if (n_months < 1) throw py::value_error("at least one month is needed");
             return new PySink(n_months);
           }),
           py::arg("n_months"))
      .def_property_readonly("n_months", [](const PySink& s) { return s.n_months(); })
      .def("finish", &finish_py, py::arg("threads") = 1,
           "R40's summaries and the occupied cells: (flat indices into (months, 100, 22, "
           "18), their counts as int64[15, n]), as kernels.cells.complete_cells, "
           "occupied_cells and gather_cells give for the dense array.")
      .def("base_cells", &base_cells_py,
           "The base cells as the dense int64 array (months, 100, 22, 18, 15).");
  m.attr("N_QUALITY") = N_QUALITY;
}
