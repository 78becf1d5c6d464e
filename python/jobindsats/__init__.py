"""jobindsats: an exact, fast engine for STAR's contact-course measurements.

The main entry points are :func:`read_dataset` / :class:`Dataset` (input, SPEC §2),
:func:`measure` (R1–R42: the M1–M5 table), the derived measures :func:`focus_targets`
(R41), :func:`samtaletal` (R43) and :func:`passivity` (R44), and :func:`explain` (R46).
"""

from __future__ import annotations

from .audit import AuditResult, audit
from .config import show_config
from .dataset import Dataset, read_dataset
from .derived import focus_targets, passivity, samtaletal
from .errors import InputError, OutputError, RuleSetError
from .explain import Trace, explain
from .measure import Measurement, measure
from .rules import RuleSet, get_rules


def __getattr__(name: str) -> str:
    """``__version__``, looked up on first use: ``importlib.metadata`` costs a cold
    process 40-70 ms that a measurement does not need."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("jobindsats")
    except PackageNotFoundError:  # running from a source tree
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found


__all__ = [
    "AuditResult",
    "Dataset",
    "InputError",
    "Measurement",
    "OutputError",
    "RuleSet",
    "RuleSetError",
    "Trace",
    "__version__",
    "audit",
    "explain",
    "focus_targets",
    "get_rules",
    "measure",
    "passivity",
    "read_dataset",
    "samtaletal",
    "show_config",
]
