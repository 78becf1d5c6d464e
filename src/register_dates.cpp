// Day arithmetic (SPEC R11, D1, D4, D7) exposed for tests against the Numba twin.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "convert.hpp"
#include "counted.hpp"
#include "dates.hpp"

namespace py = pybind11;
using namespace jobindsats;

void register_dates(py::module_& m) {
  m.def("feb29_between", &feb29_between, py::arg("a"), py::arg("b"),
        "D1: number of 29 Februaries in the closed interval [a, b] of day numbers.");
  m.def("weekdays_between", &weekdays_between, py::arg("a"), py::arg("b"),
        "D7: number of Monday-Friday days in [a, b].");
  m.def("gap_contains_whole_month", &gap_contains_whole_month, py::arg("a"), py::arg("b"),
        "D4: does the closed gap [a, b] contain a whole calendar month?");
  m.def("first_day_aged", &first_day_aged, py::arg("birth"), py::arg("months"),
        "R2: the first day on which the age in completed months is at least `months`.");
  m.def(
      "counted_days_between",
      [](py::array_t<int64_t, py::array::c_style> a, py::array_t<int64_t, py::array::c_style> b,
         py::array_t<int32_t, py::array::c_style> dead_start,
         py::array_t<int32_t, py::array::c_style> dead_end) {
        if (a.size() != b.size()) throw py::value_error("a and b must have the same length");
        if (dead_start.size() != dead_end.size())
          throw py::value_error("dead_start and dead_end must have the same length");
        py::array_t<int64_t> out(a.size());
        auto* o = out.mutable_data();
        const auto* pa = a.data();
        const auto* pb = b.data();
        const auto* ds = dead_start.data();
        const auto* de = dead_end.data();
        const int64_t n = a.size(), nd = dead_start.size();
        {
          // Only NumPy buffers owned by this call's arguments are touched.
          py::gil_scoped_release release;
          for (int64_t i = 0; i < n; ++i) o[i] = counted_days_between(pa[i], pb[i], nd, ds, de);
        }
        return out;
      },
      py::arg("a"), py::arg("b"), py::arg("dead_start"), py::arg("dead_end"),
      "R11/D1: counted days of [a[i], b[i]] given sorted disjoint dead intervals.");
  m.def(
      "counted_window_start",
      [](int64_t spell_start, int64_t ref, int64_t days,
         py::array_t<int32_t, py::array::c_style> dead_start,
         py::array_t<int32_t, py::array::c_style> dead_end) {
        if (dead_start.size() != dead_end.size())
          throw py::value_error("dead_start and dead_end must have the same length");
        return counted_window_start(spell_start, ref, days, dead_start.size(), dead_start.data(),
                                    dead_end.data());
      },
      py::arg("spell_start"), py::arg("ref"), py::arg("days"), py::arg("dead_start"),
      py::arg("dead_end"),
      "R20/R44: the latest day s >= spell_start with `days` counted days in [s, ref].");
}
