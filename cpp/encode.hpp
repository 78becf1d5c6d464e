// Encoding one slice of a raw input column into its kernel form (docs/kernel.md) while
// checking it (SPEC §8), in one pass: the fast path of python/jobindsats/encode.py for
// Parquet columns that already have their canonical physical type. Each function writes
// n values to dst and returns the first offending row of the slice, or -1. It only
// *finds* bad input: the caller then reads the table the general way
// (python/jobindsats/normalise.py), which words the error (table, column, rows).
#pragma once

#include <cstdint>

namespace jobindsats {

// Day numbers (date32) copied; offending: outside [lo, hi] (SPEC §8, 1900..2100).
int64_t encode_dates(const int32_t* src, int64_t n, int32_t lo, int32_t hi, int32_t* dst);

// Closed intervals (SPEC §8): the first row with end < start, or -1.
int64_t first_end_before_start(const int32_t* start, const int32_t* end, int64_t n);

// Dictionary indices (int32) mapped to codes by lut[index] (lut_n entries; a negative
// entry is a dictionary value that is unknown or null); offending: an index outside the
// lut or mapped to a negative entry. Null indices are the caller's to refuse.
int64_t encode_codes(const int32_t* index, int64_t n, const int8_t* lut, int64_t lut_n,
                     int8_t* dst);

// int16 codes copied; offending: a code c with allowed[c] == 0, or outside 0..allowed_n-1
// (the municipality codes).
int64_t encode_allowed_int16(const int16_t* src, int64_t n, const uint8_t* allowed,
                             int64_t allowed_n, int16_t* dst);

// Hours: float64 with an optional validity bitmap (bit offset + i for row i; nullptr: no
// nulls). Valid values are written as v + 0.0 (one zero: -0.0 becomes +0.0), nulls as
// +0.0 (the kernel's "no hours"), and valid_out[i] = 1/0. Offending: a valid value that
// is NaN, infinite or negative.
int64_t encode_hours(const double* src, const uint8_t* validity, int64_t offset, int64_t n,
                     double* dst, uint8_t* valid_out);

// Bit-packed booleans (bits offset + i) unpacked to one byte each: 0/1, or -1 where the
// validity bitmap (nullptr: no nulls) says null when null_value is -1, else null_value.
void unpack_flags(const uint8_t* bits, const uint8_t* validity, int64_t offset, int64_t n,
                  int8_t null_value, int8_t* dst);

}  // namespace jobindsats

namespace jobindsats {

// dst[i] = src[perm[i]] for i < n, values of `width` bytes (1, 2, 4 or 8): one column
// put in a new row order. The reads are random; each is prefetched a few rows ahead.
void gather(const void* src, int64_t width, const int64_t* perm, int64_t n, void* dst);

}  // namespace jobindsats
