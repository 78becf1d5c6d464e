// A read-only or writable view of a contiguous buffer owned elsewhere (NumPy/Arrow).
#pragma once

#include <cstdint>

namespace jobindsats {

template <class T>
struct Span {
  T* data = nullptr;
  int64_t size = 0;
  T& operator[](int64_t i) const { return data[i]; }
};

template <class T>
using View = Span<const T>;

}  // namespace jobindsats
