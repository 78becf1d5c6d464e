// Reading the input (cpp/encode, cpp/person_index): raw column slices encoded and
// checked into their kernel form, and the person index. Arrays are taken as they are
// (noconvert: a wrong dtype is a TypeError, never a silent copy); GIL released.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <stdexcept>
#include <utility>
#include <vector>

#include "encode.hpp"
#include "person_index.hpp"

namespace py = pybind11;
using namespace jobindsats;

namespace {

template <class T>
using In = py::array_t<T, py::array::c_style>;

template <class T>
void same_length(const In<T>& dst, int64_t n) {
  if (static_cast<int64_t>(dst.size()) != n)
    throw py::value_error("the output slice and the input differ in length");
}

// Whether a bitmap holds bits offset..offset+n-1.
void bitmap_covers(const In<uint8_t>& bits, int64_t offset, int64_t n) {
  if (offset < 0 || static_cast<int64_t>(bits.size()) * 8 < offset + n)
    throw py::value_error("a bitmap is shorter than its rows");
}

int64_t encode_dates_py(const In<int32_t>& src, int32_t lo, int32_t hi, In<int32_t>& dst) {
  const int64_t n = static_cast<int64_t>(src.size());
  same_length(dst, n);
  const int32_t* s = src.data();
  int32_t* d = dst.mutable_data();
  py::gil_scoped_release release;
  return encode_dates(s, n, lo, hi, d);
}

int64_t first_end_before_start_py(const In<int32_t>& start, const In<int32_t>& end) {
  const int64_t n = static_cast<int64_t>(start.size());
  same_length(end, n);
  py::gil_scoped_release release;
  return first_end_before_start(start.data(), end.data(), n);
}

int64_t encode_codes_py(const In<int32_t>& index, const In<int8_t>& lut, In<int8_t>& dst) {
  const int64_t n = static_cast<int64_t>(index.size());
  same_length(dst, n);
  const int32_t* s = index.data();
  const int8_t* l = lut.data();
  const int64_t lut_n = static_cast<int64_t>(lut.size());
  int8_t* d = dst.mutable_data();
  py::gil_scoped_release release;
  return encode_codes(s, n, l, lut_n, d);
}

int64_t encode_allowed_int16_py(const In<int16_t>& src, const In<uint8_t>& allowed,
                                In<int16_t>& dst) {
  const int64_t n = static_cast<int64_t>(src.size());
  same_length(dst, n);
  const int16_t* s = src.data();
  const uint8_t* a = allowed.data();
  const int64_t allowed_n = static_cast<int64_t>(allowed.size());
  int16_t* d = dst.mutable_data();
  py::gil_scoped_release release;
  return encode_allowed_int16(s, n, a, allowed_n, d);
}

int64_t encode_hours_py(const In<double>& src, const std::optional<In<uint8_t>>& validity,
                        int64_t offset, In<double>& dst, In<uint8_t>& valid_out) {
  const int64_t n = static_cast<int64_t>(src.size());
  same_length(dst, n);
  same_length(valid_out, n);
  if (validity) bitmap_covers(*validity, offset, n);
  const double* s = src.data();
  const uint8_t* v = validity ? validity->data() : nullptr;
  double* d = dst.mutable_data();
  uint8_t* o = valid_out.mutable_data();
  py::gil_scoped_release release;
  return encode_hours(s, v, offset, n, d, o);
}

void unpack_flags_py(const In<uint8_t>& bits, const std::optional<In<uint8_t>>& validity,
                     int64_t offset, int8_t null_value, In<int8_t>& dst) {
  const int64_t n = static_cast<int64_t>(dst.size());
  bitmap_covers(bits, offset, n);
  if (validity) bitmap_covers(*validity, offset, n);
  const uint8_t* b = bits.data();
  const uint8_t* v = validity ? validity->data() : nullptr;
  int8_t* d = dst.mutable_data();
  py::gil_scoped_release release;
  unpack_flags(b, v, offset, n, null_value, d);
}

void gather_py(const py::array& src, const In<int64_t>& perm, py::array& dst) {
  const int64_t n = static_cast<int64_t>(perm.size());
  const int64_t width = static_cast<int64_t>(src.itemsize());
  if (!src.dtype().is(dst.dtype()) || (width != 1 && width != 2 && width != 4 && width != 8))
    throw py::type_error("gather: src and dst must share a dtype of 1, 2, 4 or 8 bytes");
  if (!(src.flags() & py::array::c_style) || !(dst.flags() & py::array::c_style) ||
      !dst.writeable())
    throw py::value_error("gather: src and dst must be contiguous, dst writable");
  if (static_cast<int64_t>(dst.size()) != n)
    throw py::value_error("gather: dst and perm differ in length");
  const int64_t m = static_cast<int64_t>(src.size());
  const int64_t* p = perm.data();
  for (int64_t i = 0; i < n; ++i)
    if (p[i] < 0 || p[i] >= m) throw py::index_error("gather: a row index is out of range");
  const void* s = src.data();
  void* d = dst.mutable_data();
  py::gil_scoped_release release;
  gather(s, width, p, n, d);
}

py::array_t<int64_t> to_numpy(const std::vector<int64_t>& values) {
  py::array_t<int64_t> out(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

std::pair<py::array_t<int64_t>, std::vector<py::array_t<int64_t>>> person_index_py(
    const std::vector<In<int64_t>>& columns) {
  std::vector<View<int64_t>> ids;
  for (const auto& c : columns) ids.push_back({c.data(), static_cast<int64_t>(c.size())});
  std::vector<Runs> runs(ids.size());
  std::vector<int64_t> persons;
  {
    py::gil_scoped_release release;
    // each table's runs on one of two threads, the rows shared out greedily
    std::vector<std::size_t> order(ids.size());
    for (std::size_t t = 0; t < order.size(); ++t) order[t] = t;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return ids[a].size > ids[b].size; });
    std::vector<std::size_t> mine, theirs;
    int64_t my_rows = 0, their_rows = 0;
    for (std::size_t t : order) {
      if (my_rows <= their_rows) {
        mine.push_back(t);
        my_rows += ids[t].size;
      } else {
        theirs.push_back(t);
        their_rows += ids[t].size;
      }
    }
    std::string failed;  // (an exception must not leave a thread)
    std::mutex failing;
    auto scan = [&](const std::vector<std::size_t>& tables) {
      for (std::size_t t : tables) {
        try {
          runs[t] = person_runs(ids[t]);
        } catch (const std::invalid_argument& e) {
          const std::lock_guard<std::mutex> lock(failing);
          failed = e.what();
        }
      }
    };
    std::thread other(scan, std::cref(theirs));
    scan(mine);
    other.join();
    if (!failed.empty()) {
      py::gil_scoped_acquire acquire;
      throw py::value_error(failed);
    }
    std::vector<const std::vector<int64_t>*> lists;
    for (const Runs& r : runs) lists.push_back(&r.ids);
    persons = sorted_union(lists);
  }
  py::array_t<int64_t> person_ids = to_numpy(persons);
  std::vector<py::array_t<int64_t>> offsets;
  for (std::size_t t = 0; t < ids.size(); ++t)
    offsets.emplace_back(static_cast<py::ssize_t>(persons.size() + 1));
  {
    const View<int64_t> all{persons.data(), static_cast<int64_t>(persons.size())};
    std::vector<int64_t*> out;
    for (auto& o : offsets) out.push_back(o.mutable_data());
    py::gil_scoped_release release;
    for (std::size_t t = 0; t < ids.size(); ++t) person_offsets(all, runs[t], ids[t].size, out[t]);
  }
  return {person_ids, offsets};
}

}  // namespace

void register_read(py::module_& m) {
  m.def("encode_dates", &encode_dates_py, py::arg("src").noconvert(), py::arg("lo"),
        py::arg("hi"), py::arg("dst").noconvert(),
        "Copy day numbers into dst; the first one outside [lo, hi], or -1.");
  m.def("first_end_before_start", &first_end_before_start_py, py::arg("start").noconvert(),
        py::arg("end").noconvert(), "The first row with end < start, or -1.");
  m.def("encode_codes", &encode_codes_py, py::arg("index").noconvert(),
        py::arg("lut").noconvert(), py::arg("dst").noconvert(),
        "dst = lut[index]; the first index outside lut or mapped to a negative entry, or -1.");
  m.def("encode_allowed_int16", &encode_allowed_int16_py, py::arg("src").noconvert(),
        py::arg("allowed").noconvert(), py::arg("dst").noconvert(),
        "Copy int16 codes into dst; the first code c without allowed[c], or -1.");
  m.def("encode_hours", &encode_hours_py, py::arg("src").noconvert(), py::arg("validity"),
        py::arg("offset"), py::arg("dst").noconvert(), py::arg("valid_out").noconvert(),
        "Hours into dst (nulls 0.0, -0.0 as 0.0) and validity bytes; the first NaN, "
        "infinite or negative valid value, or -1.");
  m.def("unpack_flags", &unpack_flags_py, py::arg("bits").noconvert(), py::arg("validity"),
        py::arg("offset"), py::arg("null_value"), py::arg("dst").noconvert(),
        "Bit-packed booleans (from bit offset) into one int8 each; nulls as null_value.");
  m.def("gather", &gather_py, py::arg("src"), py::arg("perm").noconvert(), py::arg("dst"),
        "dst[i] = src[perm[i]] (contiguous arrays of one dtype, 1/2/4/8 bytes).");
  m.def("person_index", &person_index_py, py::arg("columns"),
        "(person_ids, offsets per column): the sorted union of the sorted int64 id "
        "columns and each column's CSR offsets.");
}
