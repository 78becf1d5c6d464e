"""Charts of a focus audit (SPEC R45) in the style of the seed's figures (seed 004,
chapters 3–4): national bars by seniority group before and after, municipalities ranked by
change, the mix of interview types and forms, activation and joint interviews.

Every function takes a :class:`jobindsats.audit.AuditResult` and returns a matplotlib
:class:`~matplotlib.figure.Figure` (object API, no pyplot); figures are read from the
R45.10 tables through :func:`.audit_view.view`, so with two periods they show the
``change`` table's before/after values. With one period the bar charts show that period
alone and the charts of change (:func:`municipality_change`) raise ``ValueError``;
:func:`audit_charts` leaves out every chart without data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..audit_schema import KINDS, MIX_VALUES, SENIORITY, WHICH
from ..municipalities import NATIONAL, UNKNOWN_MUNICIPALITY
from .audit_labels import (
    AFTER,
    ALL_SENIORITY_NOTE,
    BEFORE,
    metric_kind,
    metric_label,
    period_label,
    seniority_label,
    value_label,
)
from .audit_view import View, ordered_periods, view
from .chart_style import DPI, GREY, frozen, value_axis
from .labels import municipality_label, num, pct

#: The seed's greens: before light, after dark (its figures' "lys-" and "mørkegrønne").
LIGHT_GREEN = "#9CCB9A"
DARK_GREEN = "#1E6B3A"
RED = "#B03A2E"
#: Stacked shares (types, forms, kinds): greens, then blues, then grey.
STACK = ("#1E6B3A", "#5DA55F", "#A9D6A3", "#2F6AA3", "#8DB7DC", "#B5B5B5")
#: The seniority groups on the bar charts: the six fine groups and AI* (all).
BAR_SENIORITY: tuple[str, ...] = (*SENIORITY[:6], "all")


def _periods(result: Any) -> tuple[str, ...]:
    periods = ordered_periods(result)
    if not periods:
        raise ValueError("the audit has no period")
    return periods


def _legend_labels(periods: Sequence[str]) -> list[str]:
    if len(periods) == 2:
        return [f"{BEFORE}: {period_label(periods[0])}", f"{AFTER}: {period_label(periods[1])}"]
    return [period_label(p) for p in periods]


def _colours(periods: Sequence[str]) -> list[str]:
    return [LIGHT_GREEN, DARK_GREEN] if len(periods) == 2 else [DARK_GREEN]


def _sides(x: Any, compared: bool) -> list[float | None]:
    return [x.before, x.after] if compared else [x.before]


def _fmt(metric: str) -> Callable[[Any], str]:
    kind = metric_kind(metric)
    if kind == "share":
        return lambda v: pct(v)
    if kind == "mean":
        return lambda v: num(v, 2)
    return lambda v: num(v)


def _style(ax: Any, title: str) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)
    ax.set_title(title, fontsize=10, loc="left")


def _grouped_bars(
    ax: Any,
    labels: Sequence[str],
    series: Sequence[Sequence[float | None]],
    periods: Sequence[str],
    metric: str,
    colours: Sequence[str] | None = None,
) -> None:
    """Bars side by side per label, one per period, with the value above each bar."""
    x = np.arange(len(labels))
    width = 0.8 / len(series)
    fmt = _fmt(metric)
    for k, (values, colour, name) in enumerate(
        zip(series, colours or _colours(periods), _legend_labels(periods), strict=True)
    ):
        heights = np.array([np.nan if v is None else v for v in values], dtype=float)
        pos = x - 0.4 + width * (k + 0.5)
        bars = ax.bar(pos, np.nan_to_num(heights), width * 0.92, color=colour, label=name)
        for bar, v in zip(bars, values, strict=True):
            if v is not None:
                ax.annotate(fmt(v), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            xytext=(0, 2), textcoords="offset points", ha="center",
                            va="bottom", fontsize=7)  # fmt: skip
    ax.set_xticks(x, labels, fontsize=8)
    value_axis(ax, metric_kind(metric) == "share", "y", 2 if metric_kind(metric) == "mean" else 0)
    ax.grid(axis="y", alpha=0.3)
    ax.margins(y=0.12)


def seniority_bars(result: Any, table: str, metric: str, title: str, **where: Any) -> Figure:
    """``metric`` of ``table`` nationally by seniority group (the six groups and AI*),
    one bar per period: figures 3.1 (intensity), 3.8 (touch rate), 3.10 (week share) and
    4.2 (share of joint interviews with both parties)."""
    periods = _periods(result)
    v = view(result, table, municipality=NATIONAL, seniority=list(BAR_SENIORITY), **where)
    by_seniority: dict[str, Any] = {}
    for row in v.rows:  # joint: share_both repeats on every participation row
        if row[metric].before is not None or row[metric].after is not None:
            by_seniority.setdefault(row["seniority"], row[metric])
    if not by_seniority:
        raise ValueError(f"no national {metric} in {table}")
    present = [s for s in BAR_SENIORITY if s in by_seniority]
    series = list(zip(*(_sides(by_seniority[s], v.compared) for s in present), strict=True))
    fig = Figure(figsize=(10.0, 4.6), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    _grouped_bars(ax, [seniority_label(s) for s in present], series, periods, metric)
    ax.set_ylabel(metric_label(metric), fontsize=8)
    ax.set_xlabel(f"Anciennitet. {ALL_SENIORITY_NOTE}", fontsize=7, color=GREY)
    _style(ax, title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return frozen(fig)


def intensity_spread(result: Any) -> Figure:
    """Figure 3.2: the national intensity by seniority group as bars, with the mean
    intensity of the 25 % with the fewest and the 25 % with the most interviews as green
    lines (before dashed, after solid)."""
    periods = _periods(result)
    spread = view(result, "intensity_spread", seniority=list(BAR_SENIORITY))
    rows = {r["seniority"]: r for r in spread.rows}
    present = [s for s in BAR_SENIORITY if s in rows]
    if not present:
        raise ValueError("no intensity spread")
    level = {r["seniority"]: r["intensity"] for r in
             view(result, "intensity", municipality=NATIONAL, seniority=present).rows}  # fmt: skip
    fig = Figure(figsize=(10.0, 5.6), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    series = [
        [(_sides(level[s], spread.compared)[k] if s in level else None) for s in present]
        for k in range(len(periods))
    ]
    light = ["#CFE6CD", LIGHT_GREEN][: len(periods)]  # the quartile lines stand out
    _grouped_bars(ax, [seniority_label(s) for s in present], series, periods, "intensity", light)
    x = np.arange(len(present))
    names = _legend_labels(periods)
    for k in range(len(periods)):
        dashed = k == 0 and spread.compared  # before: dashed, lighter
        linestyle, colour = ("--", "#5DA55F") if dashed else ("-", DARK_GREEN)
        for metric, marker, who in (("fewest_mean", "v", "Færrest"), ("most_mean", "^", "Flest")):
            ys = [_sides(rows[s][metric], spread.compared)[k] for s in present]
            ys_arr = np.array([np.nan if y is None else y for y in ys], dtype=float)
            ax.plot(x, ys_arr, marker=marker, linewidth=1.6, markersize=5, zorder=3,
                    linestyle=linestyle, color=colour, label=f"{who} samtaler (25 %), {names[k]}")  # fmt: skip
    ax.set_ylabel("Samtaler pr. ydelsesuge", fontsize=8)
    _style(ax, "Samtaleintensitet for dem der får hhv. færrest og flest samtaler")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=7,
              frameon=False)  # fmt: skip
    return frozen(fig)


def municipality_change(
    result: Any, table: str, metric: str, title: str, seniority: str = "all"
) -> Figure:
    """Figures 3.3 and 3.9: the municipalities ranked by the change of ``metric`` (R45.8
    rank; largest on top), green for an increase and red for a decrease, each labelled
    with its level before → after; the national change as a grey line. Needs two
    periods."""
    periods = _periods(result)
    if len(periods) != 2:
        raise ValueError("a chart of change needs two periods")
    v = view(result, table, seniority=seniority)
    ranked = sorted((r for r in v.rows if r[metric].rank is not None),
                    key=lambda r: r[metric].rank)  # fmt: skip
    if not ranked:
        raise ValueError(f"no municipality has a change of {metric}")
    national = next((r[metric] for r in v.rows if r["municipality"] == NATIONAL), None)
    fmt = _fmt(metric)
    n = len(ranked)
    fig = Figure(figsize=(8.5, 1.5 + 0.2 * n), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    changes = np.array([r[metric].change for r in ranked], dtype=float)
    ax.barh(y, changes, color=[DARK_GREEN if c >= 0 else RED for c in changes], height=0.72)
    ax.set_yticks(y, [municipality_label(r["municipality"]) for r in ranked], fontsize=7)
    ax.set_ylim(-0.7, n - 0.3)
    for yi, r in zip(y, ranked, strict=True):
        x = r[metric]
        text = f"{fmt(x.before)} → {fmt(x.after)}  ({num(x.change, 1)} %)"
        ax.annotate(text, (max(x.change, 0), yi), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=6, color=GREY)  # fmt: skip
    ax.axvline(0, color="black", linewidth=0.8)
    if national is not None and national.change is not None:
        ax.axvline(national.change, color=GREY, linestyle="--", linewidth=1.2,
                   label=f"Hele landet: {fmt(national.before)} → {fmt(national.after)} "
                         f"({num(national.change, 1)} %)")  # fmt: skip
        ax.legend(loc="lower right", fontsize=8)
    ax.xaxis.set_major_formatter(lambda val, _: f"{num(val)} %")
    ax.margins(x=0.25)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel(f"Udvikling i % fra {period_label(periods[0])} til {period_label(periods[1])}",
                  fontsize=8)  # fmt: skip
    _style(ax, title)
    return frozen(fig)


def _stacked(ax: Any, labels: Sequence[str], shares: np.ndarray, names: Sequence[str]) -> None:
    """Horizontal 100 % bars (one per label, first on top), a segment per name, with
    its share printed where there is room."""
    y = np.arange(len(labels))[::-1]
    left = np.zeros(len(labels))
    for k, name in enumerate(names):
        w = np.nan_to_num(shares[:, k])
        ax.barh(y, w, left=left, color=STACK[k % len(STACK)], label=name, height=0.7,
                edgecolor="white", linewidth=0.5)  # fmt: skip
        for yi, li, wi in zip(y, left, w, strict=True):
            if wi >= 0.06:
                dark = k in (0, 1, 3)
                ax.text(li + wi / 2, yi, pct(wi, 0), ha="center", va="center", fontsize=7,
                        color="white" if dark else "black")  # fmt: skip
        left += w
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, 1)
    value_axis(ax, True, "x")


def _shares(v: View, column: str, values: Sequence[str], k: int) -> np.ndarray:
    """Shares of period ``k`` by ``values`` of ``column``, computed from the counts so
    that the bars add to 100 %."""
    counts = np.zeros(len(values))
    for row in v.rows:
        if row[column] in values:
            c = _sides(row["count" if "count" in row else "weeks"], v.compared)[k]
            counts[values.index(row[column])] = c or 0
    total = counts.sum()
    return counts / total if total else np.full(len(values), np.nan)


def interview_mix(result: Any) -> Figure:
    """Figures 3.4–3.5: the interviews nationally by type and by form, one 100 % bar per
    period."""
    periods = _periods(result)
    fig = Figure(figsize=(10.0, 3.2 + 0.5 * len(periods)), dpi=DPI, layout="constrained")
    axes = fig.subplots(2, 1)
    drawn = False
    for ax, dimension in zip(axes, MIX_VALUES, strict=True):
        values = MIX_VALUES[dimension]
        v = view(result, "mix", municipality=NATIONAL, dimension=dimension)
        shares = np.array([_shares(v, "value", values, k) for k in range(len(periods))])
        drawn = drawn or bool(np.isfinite(shares).any())
        _stacked(ax, _legend_labels(periods), shares, [value_label(dimension, x) for x in values])
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        _style(ax, "Samtaler fordelt på samtaletype" if dimension == "type"
               else "Samtaler fordelt på samtaleform")  # fmt: skip
    if not drawn:
        raise ValueError("no interviews in benefit weeks")
    return frozen(fig)


def mix_by_municipality(result: Any, dimension: str = "type") -> Figure:
    """Figure 3.6: the interviews of the last period (after) by type per municipality,
    100 % bars sorted by the share of "Anden samtale" (by form: of the first form)."""
    periods = _periods(result)
    values = MIX_VALUES[dimension]
    v = view(result, "mix", dimension=dimension)
    k = len(periods) - 1
    munis = sorted({r["municipality"] for r in v.rows} - {NATIONAL, UNKNOWN_MUNICIPALITY})
    rows: list[tuple[str, np.ndarray]] = []
    for m in munis:
        sub = View(v.table, v.keys, v.metrics, v.periods,
                   [r for r in v.rows if r["municipality"] == m])  # fmt: skip
        s = _shares(sub, "value", values, k)
        if np.isfinite(s).all():
            rows.append((municipality_label(m), s))
    if not rows:
        raise ValueError(f"no municipality has interviews in {period_label(periods[k])}")
    sort_by = values.index("anden") if "anden" in values else 0
    rows.sort(key=lambda r: (-r[1][sort_by], r[0]))
    fig = Figure(figsize=(9.0, 1.6 + 0.19 * len(rows)), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    _stacked(ax, [r[0] for r in rows], np.array([r[1] for r in rows]),
             [value_label(dimension, x) for x in values])  # fmt: skip
    for t in ax.texts:
        t.set_fontsize(5.5)
    ax.tick_params(axis="y", labelsize=6)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    _style(ax, f"Samtaler fordelt på samtaletyper pr. kommune, {period_label(periods[k])}")
    return frozen(fig)


def activation_kinds(result: Any) -> Figure:
    """Figure 3.11: the activation weeks nationally by offer kind, one 100 % bar per
    period (all seniority)."""
    periods = _periods(result)
    v = view(result, "activation_kinds", municipality=NATIONAL, seniority="all")
    shares = np.array([_shares(v, "kind", list(KINDS), k) for k in range(len(periods))])
    if not np.isfinite(shares).any():
        raise ValueError("no activation weeks")
    fig = Figure(figsize=(10.0, 1.8 + 0.5 * len(periods)), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    _stacked(ax, _legend_labels(periods), shares, [value_label("kind", x) for x in KINDS])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    _style(ax, "Aktiveringsuger fordelt på redskabstype")
    return frozen(fig)


def entitlement(result: Any) -> Figure:
    """Figure 4.1: the share of the dagpenge recipients entitled to the 1st, 2nd and 3rd
    joint interview who had it, nationally, one bar per period (the number entitled
    under each group)."""
    periods = _periods(result)
    v = view(result, "entitlement", municipality=NATIONAL)
    rows = {r["which"]: r for r in v.rows}
    present = [w for w in WHICH if w in rows]
    if not present or not any(
        any(s for s in _sides(rows[w]["entitled"], v.compared)) for w in present
    ):
        raise ValueError("no person entitled to a joint interview (dagpenge only)")
    series = list(zip(*(_sides(rows[w]["share"], v.compared) for w in present), strict=True))
    labels = []
    for w in present:
        entitled = " / ".join(num(e) for e in _sides(rows[w]["entitled"], v.compared))
        labels.append(f"{value_label('which', w)}\n(berettigede: {entitled})")
    fig = Figure(figsize=(9.5, 4.4), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    _grouped_bars(ax, labels, series, periods, "share")
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("Andel der har fået fællessamtalen", fontsize=8)
    _style(ax, "Andel af dagpengemodtagerne der har fået de fællessamtaler, de har ret til")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return frozen(fig)


#: The charts of an audit report: file stem → (seed figure, caption).
AUDIT_CHARTS: dict[str, tuple[str, str]] = {
    "intensity": ("3.1", "Samtaleintensitet (samtaler pr. ydelsesuge) efter anciennitet, "
                         "hele landet"),
    "intensity_spread": ("3.2", "Samtaleintensitet for de 25 % med færrest og flest samtaler"),
    "intensity_municipalities": ("3.3", "Udvikling i samtaleintensitet, kommunerne efter "
                                        "udvikling"),
    "mix": ("3.4–3.5", "Samtaler fordelt på samtaletype og samtaleform, hele landet"),
    "mix_municipalities": ("3.6", "Samtaler fordelt på samtaletyper pr. kommune"),
    "touch_rate": ("3.8", "Andel aktiveringsberørte efter anciennitet, hele landet"),
    "touch_rate_municipalities": ("3.9", "Udvikling i andel aktiveringsberørte, kommunerne "
                                         "efter udvikling"),
    "week_share": ("3.10", "Andel af tiden i aktivering (aktiveringsuger) efter anciennitet, "
                           "hele landet"),
    "activation_kinds": ("3.11", "Aktiveringsuger fordelt på redskabstype, hele landet"),
    "entitlement": ("4.1", "Andel der har fået de fællessamtaler, de har ret til"),
    "joint_both": ("4.2", "Andel fællessamtaler med både a-kasse og jobcenter efter "
                          "anciennitet, hele landet"),
}  # fmt: skip


def caption(name: str) -> str:
    """``Figur 3.1: …`` (the seed's figure number)."""
    figure, text = AUDIT_CHARTS[name]
    return f"Figur {figure}: {text}"


def chart_makers(result: Any) -> dict[str, Callable[[], Figure]]:
    """For each chart of :data:`AUDIT_CHARTS`, a function that draws it for ``result``
    (and raises ``ValueError`` when it has no data)."""
    return {
        "intensity": lambda: seniority_bars(result, "intensity", "intensity",
                                            "Samtaleintensitet efter anciennitet"),
        "intensity_spread": lambda: intensity_spread(result),
        "intensity_municipalities": lambda: municipality_change(
            result, "intensity", "intensity", "Samtaleintensitet: udvikling pr. kommune"),
        "mix": lambda: interview_mix(result),
        "mix_municipalities": lambda: mix_by_municipality(result),
        "touch_rate": lambda: seniority_bars(result, "activation", "touch_rate",
                                             "Andel aktiveringsberørte efter anciennitet"),
        "touch_rate_municipalities": lambda: municipality_change(
            result, "activation", "touch_rate",
            "Andel aktiveringsberørte: udvikling pr. kommune"),
        "week_share": lambda: seniority_bars(result, "activation", "week_share",
                                             "Andel aktiveringsuger efter anciennitet"),
        "activation_kinds": lambda: activation_kinds(result),
        "entitlement": lambda: entitlement(result),
        "joint_both": lambda: seniority_bars(
            result, "joint", "share_both",
            "Andel fællessamtaler med både a-kasse og jobcenter efter anciennitet"),
    }  # fmt: skip


def audit_charts(result: Any) -> dict[str, Figure]:
    """The charts of :data:`AUDIT_CHARTS` that have data, by file stem (with one period:
    no chart of change; for a group other than dagpenge: no joint-interview chart)."""
    out: dict[str, Figure] = {}
    for name, make in chart_makers(result).items():
        try:
            out[name] = make()
        except ValueError:
            continue
    return out
