"""The look shared by every chart (:mod:`.charts`, :mod:`.audit_charts`): resolution,
colours, Danish number axes, a frozen layout, and deterministic PNG/SVG files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .. import atomic
from .labels import num, pct

DPI = 100

BLUE = "#2F6AA3"
RED = "#C0392B"
GREY = "#555555"


def value_axis(ax: Any, share: bool, axis: str, digits: int = 0) -> None:
    """Danish tick labels on ``axis`` (``"x"``/``"y"``): ``12 %`` for shares, ``1.234``
    (or ``0,25`` with ``digits``) otherwise."""
    fmt = (lambda v, _: pct(v, digits)) if share else (lambda v, _: num(v, digits))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(FuncFormatter(fmt))


def frozen(fig: Figure) -> Figure:
    """Run the constrained layout once and keep it: the layout engine re-solves on every
    draw and drifts slightly, so two saves of one figure would otherwise differ."""
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


def save(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write ``fig`` as PNG or SVG, chosen by the suffix (``.png``/``.svg``); the image
    is ``figsize × dpi`` pixels (no tight bounding box), and the same figure gives the
    same bytes (no timestamps)."""
    import matplotlib

    out = Path(path)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("png", "svg"):
        raise ValueError(f"a chart is written as .png or .svg, got {out.name!r}")
    metadata: dict[str, Any] = {"Software": None} if kind == "png" else {"Date": None}
    with matplotlib.rc_context({"svg.hashsalt": "jobindsats", "svg.fonttype": "path"}):
        # under a temporary name, renamed into place (atomic.py): never a half-written chart
        return atomic.write_file(
            out, lambda tmp: fig.savefig(tmp, format=kind, dpi=fig.dpi, metadata=metadata)
        )
