"""``jobindsats.show_config()``: how this installation was built and what it runs on.

In the manner of ``numpy.show_config()``: the compiled module reports its own build
(``_core.build_config()``, src/register_config.cpp: compiler, C++ standard, build type
and flags, SIMD extensions, thread backend, LTO, sanitizers), and the Python side adds
the versions it depends on and the backend ``backend="auto"`` picks.
"""

from __future__ import annotations

import platform
import sys
from importlib import import_module
from typing import Any

__all__ = ["show_config"]

#: Python packages whose versions are reported (the run-time dependencies that matter
#: for results and speed); None = not installed.
_PACKAGES = ("numpy", "pyarrow", "numba", "llvmlite", "pandas", "polars")


def _version(name: str) -> str | None:
    # (imported here: importlib.metadata costs every cold ``import jobindsats`` 40-70 ms)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _core_config() -> tuple[dict[str, Any] | None, str | None]:
    try:
        core = import_module("jobindsats._core")
    except ImportError as exc:
        return None, str(exc)
    return dict(core.build_config()), None


def config() -> dict[str, Any]:
    """The configuration as nested dicts (what ``show_config(mode="dicts")`` returns)."""
    core, error = _core_config()
    numba = _version("numba")
    return {
        "jobindsats": {"version": _version("jobindsats")},
        "compiled module": core if core is not None else {"available": False, "error": error},
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
            "platform": platform.platform(),
        },
        "packages": {name: _version(name) for name in _PACKAGES},
        "backends": {
            "cpp": core is not None,
            "numba": numba is not None,
            # measure._choose_backend: the compiled module when it imports, else Numba
            "auto": "cpp" if core is not None else "numba",
        },
    }


def _lines(d: dict[str, Any], indent: int = 0) -> list[str]:
    out = []
    for key, value in d.items():
        pad = "  " * indent
        if isinstance(value, dict):
            out.append(f"{pad}{key}:")
            out.extend(_lines(value, indent + 1))
        elif isinstance(value, list):
            out.append(f"{pad}{key}: {', '.join(map(str, value)) or '(none)'}")
        else:
            out.append(f"{pad}{key}: {'(not installed)' if value is None else value}")
    return out


def show_config(mode: str = "stdout") -> dict[str, Any] | None:
    """Print the build and run-time configuration, or return it with ``mode="dicts"``."""
    if mode not in ("stdout", "dicts"):
        raise ValueError(f"mode must be 'stdout' or 'dicts', got {mode!r}")
    cfg = config()
    if mode == "dicts":
        return cfg
    print("\n".join(_lines(cfg)))
    return None
