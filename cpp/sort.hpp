// The canonical row order of an input table (docs/kernel.md "Event tables"): checking it
// in one pass, and sorting by person (counting or radix sort) when the input is not in it.
// Called through python/jobindsats/sorting.py; its reference twins are NumPy/Arrow code in
// python/jobindsats/normalise.py (_is_sorted: neighbour comparisons; _reference_permutation:
// Arrow's stable sort_indices), held equal row for row by tests/test_reading_order.py.
#pragma once

#include <cstdint>
#include <vector>

namespace jobindsats {

// The physical layout of one sort key, as Arrow stores the column.
enum class KeyKind : int8_t { Int8, Int16, Int32, Int64, Float64, Bit };

// One column of a table used as a sort key, read in place from Arrow's buffers: the
// values (Bit: bit-packed booleans) from element `offset` of `data`, and an optional
// validity bitmap (bit `offset + i` for row i). A null sorts before every value and
// equals another null; what its value slot holds does not matter. Floats compare by
// value with -0.0 before +0.0 (normalisation has made every zero +0.0 and refused NaN).
struct SortKey {
  KeyKind kind = KeyKind::Int64;
  const uint8_t* data = nullptr;
  const uint8_t* validity = nullptr;  // nullptr: no nulls
  int64_t offset = 0;
};

// Whether rows 0..n-1 are already in lexicographic order of `keys` (each row not after
// the next). One pass over neighbouring rows, most of them decided by the first key.
bool rows_sorted(const std::vector<SortKey>& keys, int64_t n);

// out[i] = the input row at position i of the stable lexicographic order of `keys`
// (rows equal in every key keep their input order). keys[0] must be Int64 without nulls
// (person_id): rows are first put in person order (nothing to do if they are; a counting
// sort when the ids span fewer than 2^22 values, as 1..P do; else an LSD radix sort with
// 11-bit digits), then each person's run of rows is sorted by the remaining keys
// (insertion sort for short runs, else stable merge sort), unless already in order.
void sort_permutation(const std::vector<SortKey>& keys, int64_t n, int64_t* out);

}  // namespace jobindsats
