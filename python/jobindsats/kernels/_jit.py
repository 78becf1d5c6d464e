"""All Numba jit policy in one place (the numba-stats habit).

Kernels are compiled ``nogil`` with NumPy's error model and on-disk caching, so a second
process does not pay the compile time again. Bounds checking is off in production; the
test-suite's equality against the C++ kernel is what guards indexing.
"""

from __future__ import annotations

import numba


def kernel(fn):
    """A serial kernel: one person, one step."""
    return numba.njit(cache=True, nogil=True, error_model="numpy", boundscheck=False)(fn)


def parallel_kernel(fn):
    """The driver that splits persons into blocks over threads (``numba.prange``)."""
    return numba.njit(
        parallel=True, cache=True, nogil=True, error_model="numpy", boundscheck=False
    )(fn)
