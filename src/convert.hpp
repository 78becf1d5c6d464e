// Zero-copy views of NumPy arrays (themselves views of Arrow buffers) for the C++ core.
// A wrong dtype or a non-contiguous array is a TypeError naming the array: the binding
// never converts silently, so the kernel sees exactly the buffers Python prepared.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "span.hpp"

namespace jobindsats::binding {

namespace py = pybind11;

template <class T>
View<T> view_of(const py::handle& obj, const std::string& name, int ndim = 1) {
  if (!py::isinstance<py::array>(obj))
    throw py::type_error("kernel array '" + name + "' must be a NumPy array");
  auto arr = py::reinterpret_borrow<py::array>(obj);
  if (!arr.dtype().is(py::dtype::of<T>()))
    throw py::type_error("kernel array '" + name + "' has dtype " +
                         std::string(py::str(arr.dtype())) + ", expected " +
                         std::string(py::str(py::dtype::of<T>())));
  if (arr.ndim() != ndim)
    throw py::value_error("kernel array '" + name + "' must have " + std::to_string(ndim) +
                          " dimension(s)");
  if (!(arr.flags() & py::array::c_style))
    throw py::value_error("kernel array '" + name + "' must be C-contiguous");
  return View<T>{static_cast<const T*>(arr.data()), arr.size()};
}

template <class T>
View<T> view_in(const py::dict& d, const char* name) {
  if (!d.contains(name)) throw py::key_error(std::string("missing kernel array '") + name + "'");
  return view_of<T>(d[name], name);
}

template <class T>
Span<T> span_of(py::array_t<T>& arr) {
  return Span<T>{arr.mutable_data(), arr.size()};
}

}  // namespace jobindsats::binding
