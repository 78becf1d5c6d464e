// jobindsats._core: the table of contents of the binding. Each area registers itself;
// no rule is decided here (see cpp/ for the core, python/jobindsats for the API).
#include <pybind11/pybind11.h>

namespace py = pybind11;

void register_audit(py::module_& m);
void register_config(py::module_& m);
void register_dates(py::module_& m);
void register_measure(py::module_& m);
void register_quality(py::module_& m);
void register_read(py::module_& m);
void register_sort(py::module_& m);

PYBIND11_MODULE(_core, m) {
  m.doc() = "The C++ kernels of jobindsats (see docs/kernel.md for the array contract).";
  m.attr("__version__") = JOBINDSATS_VERSION;
  register_audit(m);
  register_config(m);
  register_dates(m);
  register_measure(m);
  register_quality(m);
  register_read(m);
  register_sort(m);
}
