// The canonical row order (cpp/sort): sort keys read in place from Arrow's buffers,
// buffer sizes checked here, GIL released.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "order_plan.hpp"
#include "sort.hpp"

namespace py = pybind11;
using namespace jobindsats;

namespace {

using Bytes = py::array_t<uint8_t, py::array::c_style>;
// (kind, values buffer, validity bitmap or None, offset in elements) per key
using KeyTuple = std::tuple<std::string, Bytes, std::optional<Bytes>, int64_t>;

struct Kind {
  const char* name;
  KeyKind kind;
  int64_t bits;  // per value
};
constexpr Kind kKinds[] = {{"int8", KeyKind::Int8, 8},       {"int16", KeyKind::Int16, 16},
                           {"int32", KeyKind::Int32, 32},    {"int64", KeyKind::Int64, 64},
                           {"float64", KeyKind::Float64, 64}, {"bit", KeyKind::Bit, 1}};

// The keys as views; raises unless every buffer holds rows offset..offset+n-1. The
// returned views point into `given`, which the caller keeps alive.
std::vector<SortKey> sort_keys(const std::vector<KeyTuple>& given, int64_t n) {
  if (n < 0) throw py::value_error("n must not be negative");
  std::vector<SortKey> keys;
  for (const auto& [name, data, validity, offset] : given) {
    const Kind* kind = nullptr;
    for (const Kind& k : kKinds)
      if (name == k.name) kind = &k;
    if (kind == nullptr) throw py::value_error("unknown sort key kind '" + name + "'");
    if (offset < 0) throw py::value_error("offset must not be negative");
    const int64_t end_bits = (offset + n) * kind->bits;
    if (static_cast<int64_t>(data.size()) * 8 < end_bits)
      throw py::value_error("a sort key's values buffer is shorter than its rows");
    if (validity && static_cast<int64_t>(validity->size()) * 8 < offset + n)
      throw py::value_error("a sort key's validity bitmap is shorter than its rows");
    keys.push_back({kind->kind, data.data(), validity ? validity->data() : nullptr, offset});
  }
  return keys;
}

bool rows_sorted_py(const std::vector<KeyTuple>& given, int64_t n) {
  const std::vector<SortKey> keys = sort_keys(given, n);
  py::gil_scoped_release release;  // reads only the arguments' buffers
  return rows_sorted(keys, n);
}

py::array_t<int64_t> sort_permutation_py(const std::vector<KeyTuple>& given, int64_t n) {
  const std::vector<SortKey> keys = sort_keys(given, n);
  if (n > 0 && (keys.empty() || keys.front().kind != KeyKind::Int64 ||
                keys.front().validity != nullptr))
    throw py::value_error("the first sort key must be int64 without nulls (person_id)");
  py::array_t<int64_t> out(n);
  int64_t* perm = out.mutable_data();
  py::gil_scoped_release release;  // reads the arguments' buffers, writes `out` only
  sort_permutation(keys, n, perm);
  return out;
}

using Plan = py::array_t<uint32_t, py::array::c_style>;

using Bounds = py::array_t<int64_t, py::array::c_style>;

// A caller's scratch buffer: writable, contiguous, at least `bytes`, 8-byte aligned.
void* scratch_of(py::array& scratch, int64_t bytes, const std::string& who) {
  if (!(scratch.flags() & py::array::c_style) || !scratch.writeable() ||
      static_cast<int64_t>(scratch.nbytes()) < bytes ||
      reinterpret_cast<std::uintptr_t>(scratch.data()) % 8 != 0)
    throw py::value_error(who + ": scratch must be writable, contiguous, 8-byte aligned and hold " +
                          std::to_string(bytes) + " bytes");
  return scratch.mutable_data();
}

// The number of partitions (bounds: at least kMaxPartitions + 1 entries), 0 if none.
std::size_t order_plan_py(const std::vector<KeyTuple>& given, int64_t n, Plan& slot,
                          Plan& from, Bounds& bounds, int threads,
                          std::optional<Bounds> ids, std::optional<py::array> scratch) {
  const std::vector<SortKey> keys = sort_keys(given, n);
  if (static_cast<int64_t>(slot.size()) != n || static_cast<int64_t>(from.size()) != n)
    throw py::value_error("order_plan: slot and from must hold n places");
  if (bounds.size() < static_cast<py::ssize_t>(kMaxPartitions + 1))
    throw py::value_error("order_plan: bounds must hold 257 entries");
  uint32_t* s = slot.mutable_data();
  uint32_t* f = from.mutable_data();
  int64_t* b = bounds.mutable_data();
  if (ids && static_cast<int64_t>(ids->size()) != n)
    throw py::value_error("order_plan: ids must hold n values");
  int64_t* sorted_ids = ids ? ids->mutable_data() : nullptr;
  uint32_t* spare = scratch ? static_cast<uint32_t*>(scratch_of(*scratch, 4 * n, "order_plan"))
                            : nullptr;
  py::gil_scoped_release release;  // reads the arguments' buffers, writes the outputs
  return order_plan(keys, n, s, f, threads, b, sorted_ids, spare);
}

// Checks that the plan's places are all below n and each from[k] inside k's partition.
void check_plan(const Plan& slot, const Plan& from, const Bounds& bounds, int64_t n,
                const char* who) {
  const std::string name = who;
  if (static_cast<int64_t>(slot.size()) != n || static_cast<int64_t>(from.size()) != n)
    throw py::value_error(name + ": the plan is for another number of rows");
  const std::size_t parts = bounds.size() > 0 ? static_cast<std::size_t>(bounds.size() - 1) : 0;
  const int64_t* b = bounds.data();
  if (parts == 0 || b[0] != 0 || b[parts] != n)
    throw py::value_error(name + ": bounds must rise from 0 to n");
  const uint32_t* s = slot.data();
  const uint32_t* f = from.data();
  for (std::size_t p = 0; p < parts; ++p) {
    if (b[p + 1] < b[p]) throw py::value_error(name + ": bounds must rise from 0 to n");
    for (int64_t k = b[p]; k < b[p + 1]; ++k)
      if (f[k] < b[p] || f[k] >= b[p + 1])
        throw py::value_error(name + ": a place is outside its partition");
  }
  for (int64_t i = 0; i < n; ++i)
    if (s[i] >= n) throw py::value_error(name + ": a place is out of range");
}

void reorder_columns_py(std::vector<py::array>& columns, const Plan& slot,
                        const Plan& from, const Bounds& bounds, int threads,
                        std::optional<py::array> scratch) {
  const int64_t n = static_cast<int64_t>(slot.size());
  std::vector<PlanColumn> plan_columns;
  for (py::array& c : columns) {
    const int64_t width = static_cast<int64_t>(c.itemsize());
    if ((width != 1 && width != 2 && width != 4 && width != 8) ||
        !(c.flags() & py::array::c_style) || !c.writeable() ||
        static_cast<int64_t>(c.size()) != n)
      throw py::value_error(
          "reorder_columns: each column must be writable, contiguous, of 1, 2, 4 or 8 bytes "
          "and hold the plan's rows");
    plan_columns.push_back({c.mutable_data(), width});
  }
  check_plan(slot, from, bounds, n, "reorder_columns");
  const uint32_t* s = slot.data();
  const uint32_t* f = from.data();
  void* spare = scratch ? scratch_of(*scratch, reorder_scratch_bytes(plan_columns, n),
                                     "reorder_columns")
                        : nullptr;
  py::gil_scoped_release release;
  reorder_columns(plan_columns, s, f, n, threads, spare);
}

}  // namespace

void register_sort(py::module_& m) {
  m.def("rows_sorted", &rows_sorted_py, py::arg("keys"), py::arg("n"),
        "Whether rows 0..n-1 are in lexicographic order of keys, each (kind, values, "
        "validity or None, offset) with kind int8/int16/int32/int64/float64/bit; nulls "
        "first.");
  m.def("sort_permutation", &sort_permutation_py, py::arg("keys"), py::arg("n"),
        "The stable permutation into lexicographic order of keys (as rows_sorted); the "
        "first key is the person id (int64, no nulls), sorted by radix.");
  m.def("order_plan", &order_plan_py, py::arg("keys"), py::arg("n"),
        py::arg("slot").noconvert(), py::arg("source").noconvert(), py::arg("bounds").noconvert(),
        py::arg("threads") = 1, py::arg("ids").noconvert() = py::none(),
        py::arg("scratch") = py::none(),
        "sort_permutation's order written as slot, from (uint32[n]) and the partitions' "
        "bounds (int64[257]) for reorder_columns, and the person ids in that order into ids "
        "(int64[n]) if given; returns the number of partitions P, or 0 (nothing written) "
        "where it does not apply (ids in order or sparse, nulls in the second key).");
  m.def("reorder_columns", &reorder_columns_py, py::arg("columns"), py::arg("slot").noconvert(),
        py::arg("source").noconvert(), py::arg("bounds").noconvert(), py::arg("threads") = 1,
        py::arg("scratch") = py::none(),
        "Each column (writable, contiguous, 1/2/4/8-byte values) put in the order of an "
        "order_plan in place (bounds: its P + 1 first entries), in groups packed into 4- or "
        "8-byte words, each pass on up to `threads` threads; scratch (or None): 8 bytes per "
        "row, 8-byte aligned (4 if every group fits 4 bytes).");
}
