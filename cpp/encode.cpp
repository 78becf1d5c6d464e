// One-pass encode-and-check of raw column slices; see encode.hpp.
#include "encode.hpp"

#include <cmath>
#include <cstring>

namespace jobindsats {

namespace {

bool bit(const uint8_t* bits, int64_t j) { return (bits[j >> 3] >> (j & 7)) & 1; }

}  // namespace

int64_t encode_dates(const int32_t* src, int64_t n, int32_t lo, int32_t hi, int32_t* dst) {
  // (copy and test without a branch per row; the first offender is found afterwards)
  bool bad = false;
  for (int64_t i = 0; i < n; ++i) {
    const int32_t d = src[i];
    dst[i] = d;
    bad |= (d < lo) | (d > hi);
  }
  if (!bad) return -1;
  for (int64_t i = 0; i < n; ++i)
    if (src[i] < lo || src[i] > hi) return i;
  return -1;
}

int64_t first_end_before_start(const int32_t* start, const int32_t* end, int64_t n) {
  bool bad = false;
  for (int64_t i = 0; i < n; ++i) bad |= end[i] < start[i];
  if (!bad) return -1;
  for (int64_t i = 0; i < n; ++i)
    if (end[i] < start[i]) return i;
  return -1;
}

int64_t encode_codes(const int32_t* index, int64_t n, const int8_t* lut, int64_t lut_n,
                     int8_t* dst) {
  for (int64_t i = 0; i < n; ++i) {
    const int32_t k = index[i];
    if (k < 0 || k >= lut_n || lut[k] < 0) return i;
    dst[i] = lut[k];
  }
  return -1;
}

int64_t encode_allowed_int16(const int16_t* src, int64_t n, const uint8_t* allowed,
                             int64_t allowed_n, int16_t* dst) {
  for (int64_t i = 0; i < n; ++i) {
    const int16_t c = src[i];
    if (c < 0 || c >= allowed_n || allowed[c] == 0) return i;
    dst[i] = c;
  }
  return -1;
}

int64_t encode_hours(const double* src, const uint8_t* validity, int64_t offset, int64_t n,
                     double* dst, uint8_t* valid_out) {
  for (int64_t i = 0; i < n; ++i) {
    const bool valid = validity == nullptr || bit(validity, offset + i);
    valid_out[i] = valid ? 1 : 0;
    if (!valid) {
      dst[i] = 0.0;
      continue;
    }
    const double h = src[i];
    if (!std::isfinite(h) || h < 0.0) return i;
    dst[i] = h + 0.0;
  }
  return -1;
}

namespace {

// kSpread[b]: the 8 bits of byte b as 8 bytes 0/1, lowest bit first (Arrow's bit order).
struct Spread {
  uint64_t bytes[256];
  constexpr Spread() : bytes{} {
    for (int b = 0; b < 256; ++b) {
      uint64_t v = 0;
      for (int k = 0; k < 8; ++k) v |= static_cast<uint64_t>((b >> k) & 1) << (8 * k);
      bytes[b] = v;
    }
  }
};
constexpr Spread kSpread{};

}  // namespace

void unpack_flags(const uint8_t* bits, const uint8_t* validity, int64_t offset, int64_t n,
                  int8_t null_value, int8_t* dst) {
  int64_t i = 0;
  if (offset % 8 == 0) {  // whole bytes: 8 rows at a time through kSpread
    const uint8_t* b = bits + offset / 8;
    const uint8_t* v = validity != nullptr ? validity + offset / 8 : nullptr;
    const uint64_t nulls = 0x0101010101010101ULL * static_cast<uint8_t>(null_value);
    for (; i + 8 <= n; i += 8) {
      uint64_t out = kSpread.bytes[b[i / 8]];
      if (v != nullptr) {
        const uint64_t valid = kSpread.bytes[v[i / 8]] * 0xFF;  // 0x00 or 0xFF per byte
        out = (out & valid) | (nulls & ~valid);
      }
      std::memcpy(dst + i, &out, sizeof out);
    }
  }
  for (; i < n; ++i) {
    const int64_t j = offset + i;
    if (validity != nullptr && !bit(validity, j)) {
      dst[i] = null_value;
    } else {
      dst[i] = bit(bits, j) ? 1 : 0;
    }
  }
}

}  // namespace jobindsats

namespace jobindsats {

namespace {

template <class T>
void gather_values(const T* src, const int64_t* perm, int64_t n, T* dst) {
  constexpr int64_t kAhead = 32;  // rows: enough misses in flight to hide the latency
  const int64_t head = n > kAhead ? n - kAhead : 0;
  for (int64_t i = 0; i < head; ++i) {
    __builtin_prefetch(src + perm[i + kAhead]);
    dst[i] = src[perm[i]];
  }
  for (int64_t i = head; i < n; ++i) dst[i] = src[perm[i]];
}

}  // namespace

void gather(const void* src, int64_t width, const int64_t* perm, int64_t n, void* dst) {
  switch (width) {
    case 1:
      gather_values(static_cast<const uint8_t*>(src), perm, n, static_cast<uint8_t*>(dst));
      break;
    case 2:
      gather_values(static_cast<const uint16_t*>(src), perm, n, static_cast<uint16_t*>(dst));
      break;
    case 4:
      gather_values(static_cast<const uint32_t*>(src), perm, n, static_cast<uint32_t*>(dst));
      break;
    default:
      gather_values(static_cast<const uint64_t*>(src), perm, n, static_cast<uint64_t*>(dst));
      break;
  }
}

}  // namespace jobindsats
