"""Charts of a measurement with matplotlib's object API (no pyplot, so no display and no
global figure state; any backend setting is irrelevant).

- :func:`municipality_bars` — one measure for every municipality in one month, sorted,
  with the national level and the 20 % focus-target line (as the municipality charts of
  the focus audit, seed 004);
- :func:`national_series` — the national monthly series of a measure by group;
- :func:`interview_distribution` — M1 (0…5+ counted interviews) as shares of M2 per
  duration interval, stacked.

Each returns a :class:`matplotlib.figure.Figure`; :func:`save` writes it as PNG or SVG
by the file's suffix. Labels are Danish, municipalities by name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pyarrow as pa
from matplotlib.figure import Figure

from ..municipalities import NATIONAL, UNKNOWN_MUNICIPALITY
from ..schema import FINE_INTERVALS, INTERVALS
from .cells import MEASURES, all_groups, main_groups, resolve_month, select
from .chart_style import BLUE as _BLUE
from .chart_style import DPI
from .chart_style import GREY as _GREY
from .chart_style import RED as _RED
from .chart_style import frozen as _frozen
from .chart_style import save as save  # re-exported: charts.save is public
from .chart_style import value_axis as _value_axis
from .labels import (
    FOCUS_LINE,
    SHARE_MEASURES,
    group_label,
    interval_label,
    measure_label,
    month_label,
    municipality_label,
    num,
    pct,
)

KINDS = ("municipalities", "series", "distribution")

#: 0 … 5+ counted interviews: red (few) to blue (many).
_N_COLOURS = ("#D73027", "#FC8D59", "#FEE090", "#E0F3F8", "#91BFDB", "#4575B4")


def _check(cells: pa.Table, measure: str = "share_lt4", interval: str = "12+",
           group: str | None = None) -> None:  # fmt: skip
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose from {list(MEASURES)}")
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r}; choose from {list(INTERVALS)}")
    if group is not None:
        groups = all_groups(cells)
        if group not in groups:
            raise ValueError(f"no group {group!r} in the measurement; it has {', '.join(groups)}")


def _cells(measurement_or_cells: Any) -> pa.Table:
    if isinstance(measurement_or_cells, pa.Table):
        return measurement_or_cells
    return measurement_or_cells.cells


def _title(measure: str, interval: str, group: str, month: dt.date | None = None) -> str:
    text = f"{measure_label(measure)}, {interval_label(interval)}, {group_label(group)}"
    return f"{text}, {month_label(month)}" if month else text


def municipality_bars(
    measurement: Any,
    month: str | dt.date | None = None,
    *,
    group: str = "all",
    interval: str = "12+",
    measure: str = "share_lt4",
) -> Figure:
    """One horizontal bar per municipality (highest on top; ``Uoplyst`` left out), the
    national level as a line and, for M4, the 20 % focus-target line; bars at or above
    20 % are red. Municipalities without a cell (no person) are left out."""
    cells = _cells(measurement)
    _check(cells, measure, interval, group)
    m = resolve_month(cells, month)
    sub = select(cells, month=m, group=group, interval=interval)
    rows = sub.select(["municipality", measure]).to_pylist()
    national = next((r[measure] for r in rows if r["municipality"] == NATIONAL), None)
    bars = [
        (municipality_label(r["municipality"]), float(r[measure]))
        for r in rows
        if r["municipality"] not in (NATIONAL, UNKNOWN_MUNICIPALITY) and r[measure] is not None
    ]
    if not bars:
        raise ValueError(
            f"no municipality has a value of {measure} for group {group!r}, interval "
            f"{interval!r} in {month_label(m)}"
        )
    bars.sort(key=lambda b: (-b[1], b[0]))
    share = measure in SHARE_MEASURES
    fig = Figure(figsize=(8.0, 1.6 + 0.17 * len(bars)), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    names = [b[0] for b in bars]
    values = np.array([b[1] for b in bars])
    y = np.arange(len(bars))[::-1]
    colours = [(_RED if share and v >= FOCUS_LINE else _BLUE) for v in values]
    ax.barh(y, values, color=colours, height=0.75)
    ax.set_yticks(y, names, fontsize=7)
    ax.set_ylim(-0.7, len(bars) - 0.3)
    fmt = pct if share else num
    if national is not None:
        ax.axvline(national, color=_GREY, linewidth=1.5,
                   label=f"Hele landet: {fmt(national)}")  # fmt: skip
    if share and measure == "share_lt4":
        ax.axvline(FOCUS_LINE, color=_RED, linestyle="--", linewidth=1.2,
                   label=f"Fokusmål: under {pct(FOCUS_LINE, 0)}")  # fmt: skip
    _value_axis(ax, share, "x")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_title(measure, interval, group, m), fontsize=10, loc="left")
    handles, labels = ax.get_legend_handles_labels()
    if share and measure == "share_lt4":
        from matplotlib.patches import Patch

        handles += [Patch(color=_BLUE), Patch(color=_RED)]
        labels += [f"Under {pct(FOCUS_LINE, 0)}", f"{pct(FOCUS_LINE, 0)} eller mere"]
    if handles:
        ax.legend(handles, labels, loc="lower right", fontsize=8)
    return _frozen(fig)


def national_series(
    measurement: Any,
    *,
    groups: list[str] | None = None,
    interval: str = "12+",
    measure: str = "share_lt4",
) -> Figure:
    """The national (``Hele landet``) monthly series of ``measure`` for ``interval``, one
    line per group (default: the measured groups with data, and ``all`` in black)."""
    cells = _cells(measurement)
    _check(cells, measure, interval)
    for g in groups or []:
        _check(cells, group=g)
    national = select(cells, municipality=NATIONAL, interval=interval)
    chosen = groups if groups is not None else main_groups(national)
    fig = Figure(figsize=(10.0, 5.5), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    drawn = 0
    for g in chosen:
        sub = select(national, group=g).sort_by("month")
        months = sub["month"].to_pylist()
        values = [np.nan if v is None else v for v in sub[measure].to_pylist()]
        if not months or all(np.isnan(values)):
            continue
        style: dict[str, Any] = {"color": "black", "linewidth": 2.2} if g == "all" else {}
        ax.plot(months, values, **{"label": group_label(g), "linewidth": 1.3, **style})
        drawn += 1
    if drawn == 0:
        raise ValueError(f"no national values of {measure} for interval {interval!r}")
    share = measure in SHARE_MEASURES
    if measure == "share_lt4":
        ax.axhline(FOCUS_LINE, color=_RED, linestyle="--", linewidth=1.2,
                   label=f"Fokusmål: under {pct(FOCUS_LINE, 0)}")  # fmt: skip
    if share:
        ax.set_ylim(0, max(FOCUS_LINE * 1.25, ax.get_ylim()[1]))
    _value_axis(ax, share, "y")
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"Hele landet: {measure_label(measure)}, {interval_label(interval)}",
                 fontsize=10, loc="left")  # fmt: skip
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return _frozen(fig)


def interview_distribution(
    measurement: Any,
    month: str | dt.date | None = None,
    *,
    group: str = "all",
    municipality: int = NATIONAL,
) -> Figure:
    """M1 as shares of M2 for each fine duration interval (``<1``…``11``, ``12+``) in one
    month: stacked bars from 0 to 5+ counted interviews. An interval without persons
    has no bar."""
    cells = _cells(measurement)
    _check(cells, group=group)
    m = resolve_month(cells, month)
    sub = select(cells, month=m, group=group, municipality=municipality)
    by_interval = {r["interval"]: r for r in sub.to_pylist()}
    intervals = list(FINE_INTERVALS)
    counts = np.array(
        [[by_interval.get(iv, {}).get(n, 0) for n in MEASURES[:6]] for iv in intervals],
        dtype=np.float64,
    )
    persons = counts.sum(axis=1)
    if persons.sum() == 0:
        raise ValueError(
            f"no persons in group {group!r}, municipality {municipality} in {month_label(m)}"
        )
    shares = counts / np.maximum(persons, 1)[:, None]
    fig = Figure(figsize=(10.0, 5.5), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(intervals))
    bottom = np.zeros(len(intervals))
    for k, n in enumerate(MEASURES[:6]):
        ax.bar(x, shares[:, k], bottom=bottom, color=_N_COLOURS[k], edgecolor="white",
               linewidth=0.5, label=measure_label(n))  # fmt: skip
        bottom += shares[:, k]
    labels = [f"{interval_label(iv)}\n({num(p)})" for iv, p in zip(intervals, persons, strict=True)]
    ax.set_xticks(x, labels, fontsize=7)
    ax.set_ylim(0, 1)
    _value_axis(ax, True, "y")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("Varighed (personer, M2)", fontsize=8)
    ax.set_title(
        f"Antal samtaler (M1) som andel af personerne, {group_label(group)}, "
        f"{municipality_label(municipality)}, {month_label(m)}",
        fontsize=10,
        loc="left",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
              reverse=True)  # fmt: skip
    return _frozen(fig)


#: The standard charts of a report: file stem → caption.
STANDARD: dict[str, str] = {
    "municipality_bars": "Kommunerne: andel med færre end 4 samtaler, 12+ mdr., alle ydelser",
    "national_series": "Hele landet over tid: andel med færre end 4 samtaler, 12+ mdr.",
    "interview_distribution": "Hele landet: antal samtaler efter varighed, alle ydelser",
}


def standard_charts(measurement: Any, month: str | dt.date | None = None) -> dict[str, Figure]:
    """The charts of :data:`STANDARD` with their defaults, for ``month`` (default: the
    last); a chart without data (say, no 12+ person at all) is left out."""
    makers = {
        "municipality_bars": lambda: municipality_bars(measurement, month),
        "national_series": lambda: national_series(measurement),
        "interview_distribution": lambda: interview_distribution(measurement, month),
    }
    out: dict[str, Figure] = {}
    for name, make in makers.items():
        try:
            out[name] = make()
        except ValueError:
            continue
    return out
