// The kernel contract's inputs from Python (docs/kernel.md): the person-sorted arrays and
// the rule values, as views of the caller's NumPy arrays (defined in register_measure.cpp,
// shared by every binding that runs a per-person kernel).
#pragma once

#include <pybind11/pybind11.h>

#include "data.hpp"

namespace jobindsats::binding {

Data data_from_arrays(const pybind11::dict& arrays);
Rules rules_from_dict(const pybind11::dict& rules);

}  // namespace jobindsats::binding
