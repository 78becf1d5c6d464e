// The focus audit kernel (SPEC R45): audit_persons.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "audit.hpp"
#include "contract.hpp"
#include "constants.hpp"
#include "convert.hpp"
#include "kernel_inputs.hpp"

namespace py = pybind11;
using namespace jobindsats;
using binding::view_in;
using binding::view_of;

namespace {

py::array_t<int32_t> audit_persons_py(const py::dict& arrays, const py::dict& rules,
                                      int64_t group, int64_t category,
                                      py::array_t<int32_t, py::array::c_style> period_start,
                                      py::array_t<int32_t, py::array::c_style> period_end,
                                      py::array_t<int16_t, py::array::c_style> muni_slot,
                                      int64_t p0, int64_t p1, py::object cells, int threads) {
  const Data d = binding::data_from_arrays(arrays);
  const Rules k = binding::rules_from_dict(rules);
  AuditEvents e;
  e.iv_joint = view_in<uint8_t>(arrays, "iv_joint");
  e.iv_akasse_present = view_in<uint8_t>(arrays, "iv_akasse_present");
  e.iv_jobcenter_present = view_in<uint8_t>(arrays, "iv_jobcenter_present");
  e.of_kind = view_in<int8_t>(arrays, "of_kind");
  if (e.iv_joint.size != d.iv_date.size || e.iv_akasse_present.size != d.iv_date.size ||
      e.iv_jobcenter_present.size != d.iv_date.size)
    throw py::value_error("the interview arrays must have the same length");
  if (e.of_kind.size != d.of_start.size)
    throw py::value_error("kernel array 'of_kind' must have one entry per offer row");
  if (p0 < 0 || p1 < p0 || p1 > d.n_persons())
    throw py::value_error("person range [p0, p1) is outside the dataset");
  // the measurement's kernel contract (offsets, lengths, codes, dates, order), as measure
  // checks it, so that the audit kernel never reads out of bounds either
  if (std::string err = check_input(d, k, p0, p1); !err.empty()) throw py::value_error(err);
  for (int64_t r = 0; r < e.of_kind.size; ++r)
    if (e.of_kind[r] < 0 || e.of_kind[r] >= N_OFFER_KINDS)
      throw py::value_error("kernel array 'of_kind' holds a code outside the offer kinds");
  if (threads < 1) throw py::value_error("threads must be at least 1");
  if (group < 0 || group >= N_GROUPS) throw py::value_error("group must be a measured group code");
  const int64_t n_periods = period_start.size();
  if (n_periods < 1 || period_end.size() != n_periods)
    throw py::value_error("period_start and period_end must have the same, non-zero length");
  if (muni_slot.size() != 1000) throw py::value_error("muni_slot must have 1000 entries");
  if (!py::isinstance<py::array>(cells))
    throw py::type_error("cells must be a NumPy array (periods, 100, 9, measures)");
  auto c = py::reinterpret_borrow<py::array>(cells);
  if (!c.dtype().is(py::dtype::of<int64_t>()) || !(c.flags() & py::array::c_style) ||
      !c.writeable() || c.ndim() != 4 || c.shape(0) != n_periods ||
      c.shape(1) != N_MUNI_SLOTS_AUDIT || c.shape(2) != N_SENIORITY_SLOTS ||
      c.shape(3) != N_AUDIT_MEASURES)
    throw py::value_error("cells must be a writeable C-contiguous int64 array (periods, 100, 9, " +
                          std::to_string(N_AUDIT_MEASURES) + ")");
  AuditQuery q;
  q.group = group;
  q.category = category;
  q.period_start = View<int32_t>{period_start.data(), n_periods};
  q.period_end = View<int32_t>{period_end.data(), n_periods};
  q.muni_slot = View<int16_t>{muni_slot.data(), 1000};
  py::array_t<int32_t> person_out(
      {static_cast<py::ssize_t>(p1 - p0), static_cast<py::ssize_t>(n_periods),
       static_cast<py::ssize_t>(N_SENIORITY_SLOTS), static_cast<py::ssize_t>(N_PERSON_VALUES)});
  int64_t* out_cells = static_cast<int64_t*>(c.mutable_data());
  int32_t* out_persons = person_out.mutable_data();
  {
    // Safe without the GIL: the kernel reads NumPy buffers kept alive by this call's
    // arguments and writes only into `cells` (held by the caller) and `person_out`.
    py::gil_scoped_release release;
    audit_persons(d, e, k, q, p0, p1, out_cells, out_persons, threads);
  }
  return person_out;
}

}  // namespace

void register_audit(py::module_& m) {
  m.def("audit_persons", &audit_persons_py, py::arg("arrays"), py::arg("rules"),
        py::arg("group"), py::arg("category"), py::arg("period_start"), py::arg("period_end"),
        py::arg("muni_slot"), py::arg("p0"), py::arg("p1"), py::arg("cells"),
        py::arg("threads") = 1,
        "SPEC R45 for persons [p0, p1): adds their counts into `cells` (int64[periods, 100, "
        "9, measures]) and returns their values int32[persons, periods, 9, 3] (benefit weeks, "
        "interviews, activation weeks per seniority slot).");
  m.attr("N_AUDIT_MEASURES") = N_AUDIT_MEASURES;
}
