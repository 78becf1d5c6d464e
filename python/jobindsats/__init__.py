"""jobindsats: an exact, fast engine for STAR's contact-course measurements.

The main entry points are :func:`read_dataset` / :class:`Dataset` (input),
:func:`measure` (SPEC R1–R42: the M1–M5 table) and :func:`explain` (R46).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import InputError
from .rules import RuleSet, get_rules

try:
    __version__ = version("jobindsats")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["InputError", "RuleSet", "__version__", "get_rules"]
