// The SPEC §8 input counts (cpp/overlaps): shapes and dtypes checked here, GIL released.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "overlaps.hpp"

namespace py = pybind11;
using namespace jobindsats;

namespace {

template <class G>
int64_t count(const py::array_t<int64_t, py::array::c_style>& off,
              const py::array_t<int32_t, py::array::c_style>& start,
              const py::array_t<int32_t, py::array::c_style>& end, const py::array& group,
              const uint8_t* skip, bool use_group) {
  const auto g = group.cast<py::array_t<G, py::array::c_style>>();
  const View<int64_t> o{off.data(), off.size()};
  const View<int32_t> s{start.data(), start.size()}, e{end.data(), end.size()};
  py::gil_scoped_release release;  // reads only the arguments' buffers
  return overlapping_rows<G>(o, s, e, g.data(), skip, use_group);
}

int64_t overlapping_rows_py(py::array_t<int64_t, py::array::c_style> off,
                            py::array_t<int32_t, py::array::c_style> start,
                            py::array_t<int32_t, py::array::c_style> end, py::array group,
                            py::array_t<bool, py::array::c_style> skip, bool use_group) {
  const int64_t n = start.size();
  if (end.size() != n || group.size() != n || skip.size() != n)
    throw py::value_error("start, end, group and skip must have the same length");
  if (off.size() < 1 || off.data()[0] != 0 || off.data()[off.size() - 1] != n)
    throw py::value_error("off must run from 0 to the number of rows");
  for (py::ssize_t p = 0; p + 1 < off.size(); ++p)
    if (off.data()[p + 1] < off.data()[p]) throw py::value_error("off must not decrease");
  static_assert(sizeof(bool) == 1, "NumPy bools are one byte");
  const auto* flags = reinterpret_cast<const uint8_t*>(skip.data());
  if (group.dtype().is(py::dtype::of<int8_t>()))
    return count<int8_t>(off, start, end, group, flags, use_group);
  if (group.dtype().is(py::dtype::of<int16_t>()))
    return count<int16_t>(off, start, end, group, flags, use_group);
  throw py::type_error("group must be int8 or int16");
}

}  // namespace

void register_quality(py::module_& m) {
  m.def("overlapping_rows", &overlapping_rows_py, py::arg("off"), py::arg("start"),
        py::arg("end"), py::arg("group"), py::arg("skip"), py::arg("use_group"),
        "SPEC §8: rows (not skipped) sharing a day with another such row of the same person "
        "(of a different group when use_group); person p's rows are off[p]:off[p+1], sorted "
        "by start.");
}
