"""``audit.html``: the focus audit (SPEC R45) on one self-contained page — inline CSS,
charts as PNG data URIs, no script and no external URL — built from the pieces of
:mod:`.html_parts`.

Sections follow the seed's chapters 3–4: interview intensity (table ``intensity-table``,
the spread ``spread-table``, the municipalities ranked by change
``municipalities-table``), interview mix (``mix-table``), activation
(``activation-table``, ``kinds-table``), joint interviews (``joint-table`` as the seed's
table 4.1, ``entitlement-table``), subgroups (``subgroups-table`` as table 3.1), each with
its charts; a footer (``id="run-facts"``) names the rule set, its digest and the run.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import atomic
from ..audit_schema import PARTICIPATION
from ..municipalities import NATIONAL
from .audit_charts import BAR_SENIORITY, audit_charts, caption
from .audit_labels import (
    AFTER,
    ALL_SENIORITY_NOTE,
    BEFORE,
    CHANGE,
    RANK,
    metric_kind,
    metric_label,
    period_label,
    seniority_label,
    value_label,
)
from .audit_view import View, ordered_periods, view
from .audit_workbook import key_cells
from .html_parts import Cell, document, esc, figures, num_cell, pct_cell, png_bytes, table
from .labels import group_label, num

_CSS = """
td.up { color: #1e6b3a; }
td.down { color: #b03a2e; }
footer { margin-top: 2.5em; padding-top: 0.6em; border-top: 1px solid #ccc; font-size: 0.85em; }
"""

#: Which charts go into which section.
_SECTION_CHARTS: dict[str, tuple[str, ...]] = {
    "intensity": ("intensity", "intensity_spread", "intensity_municipalities"),
    "mix": ("mix", "mix_municipalities"),
    "activation": ("touch_rate", "touch_rate_municipalities", "week_share", "activation_kinds"),
    "joint": ("entitlement", "joint_both"),
}


def write_audit_html(
    result: Any, path: str | os.PathLike[str], *, charts: dict[str, bytes] | None = None
) -> Path:
    """Write ``result`` as one HTML page. ``charts`` maps a chart's file stem (a key of
    :data:`jobindsats.report.audit_charts.AUDIT_CHARTS`) to PNG bytes; by default every
    chart of :func:`~jobindsats.report.audit_charts.audit_charts` is drawn."""
    if charts is None:
        charts = {name: png_bytes(fig) for name, fig in audit_charts(result).items()}
    return atomic.write_text(Path(path), render_audit_html(result, charts))


def _value(metric: str, x: float | None) -> Cell:
    kind = metric_kind(metric)
    if kind == "share":
        return pct_cell(x)
    return num_cell(x, 2 if kind == "mean" else 0)


def _change(x: float | None) -> Cell:
    if x is None:
        return ("-", "num")
    return (num(x, 1), "num up" if x > 0 else "num down" if x < 0 else "num")


def _key_header(keys: Sequence[str]) -> list[str]:
    names = {"municipality": "Kommune", "seniority": "Anciennitet", "dimension": "Opdeling",
             "value": "Gruppe", "kind": "Redskabstype", "participation": "Deltagelse",
             "which": "Fællessamtale"}  # fmt: skip
    return [names[k] for k in keys]


def _key_texts(keys: Sequence[str], row: dict[str, Any]) -> list[Cell]:
    cells = key_cells(keys, row)
    if "municipality" in keys:  # code and name → the name alone
        i = list(keys).index("municipality")
        cells = cells[:i] + cells[i + 1 :]
    return [("" if c is None else str(c), "") for c in cells]


def view_table(
    v: View,
    metrics: Sequence[str],
    *,
    caption_text: str,
    table_id: str,
    keys: Sequence[str] | None = None,
    rank: bool = False,
) -> str:
    """Rows of ``v`` with, per metric, *Før* | *Efter* | *Udvikling i %* (and *Rang*)
    with two periods, or the value with one."""
    keys = list(v.keys if keys is None else keys)
    # the periods are named in the page's header
    sub = [BEFORE, AFTER, CHANGE] + ([RANK] if rank else []) if v.compared else []
    if v.compared:
        header = [
            [*(("", 1) for _ in keys), *((metric_label(m), len(sub)) for m in metrics)],
            [*((k, 1) for k in _key_header(keys)), *((s, 1) for _ in metrics for s in sub)],
        ]
    else:  # one period (named in the page's header): one header row
        header = [[*((k, 1) for k in _key_header(keys)), *((metric_label(m), 1) for m in metrics)]]
    rows = []
    for row in v.rows:
        cells = _key_texts(keys, row)
        for m in metrics:
            x = row[m]
            cells.append(_value(m, x.before))
            if v.compared:
                cells += [_value(m, x.after), _change(x.change)]
                if rank:
                    cells.append(num_cell(x.rank))
        rows.append(cells)
    return table(header, rows, caption=caption_text, table_id=table_id)


def _ranked(v: View, metric: str) -> View:
    """The municipality rows of ``v`` by rank (R45.8), national first."""
    national = [r for r in v.rows if r["municipality"] == NATIONAL]
    ranked = sorted((r for r in v.rows if r[metric].rank is not None),
                    key=lambda r: r[metric].rank)  # fmt: skip
    return View(v.table, v.keys, v.metrics, v.periods, national + ranked)


def _joint_table(result: Any) -> str:
    """The seed's table 4.1 for the last period: joint interviews by participation (rows)
    and seniority on the interview day (columns), with totals."""
    periods = ordered_periods(result)
    if not periods:
        return ""
    last = periods[-1]
    t = view(result, "joint", municipality=NATIONAL)
    k = 1 if t.compared else 0
    counts: dict[tuple[str, str], float] = {}
    for row in t.rows:
        x = row["count"]
        counts[(row["participation"], row["seniority"])] = (x.after if k else x.before) or 0
    columns = [s for s in BAR_SENIORITY]
    header = [[("Deltagelse", 1), *((seniority_label(s), 1) for s in columns)]]
    rows = []
    for p in PARTICIPATION:
        rows.append([(value_label("participation", p), ""),
                     *(num_cell(counts.get((p, s), 0)) for s in columns)])  # fmt: skip
    rows.append([("I alt", ""), *(num_cell(sum(counts.get((p, s), 0) for p in PARTICIPATION))
                                  for s in columns)])  # fmt: skip
    return table(
        header,
        rows,
        caption=f"Tabel 4.1: Fællessamtaler efter deltagelse og anciennitet, hele landet, "
        f"{period_label(last)}",
        table_id="joint-table",
    )


def _figures(names: Sequence[str], charts: dict[str, bytes]) -> str:
    return figures({caption(n): charts[n] for n in names if n in charts})


def render_audit_html(result: Any, charts: dict[str, bytes]) -> str:
    """The page as a string (``charts`` as for :func:`write_audit_html`)."""
    from .. import __version__

    periods = ordered_periods(result)
    scope = group_label(result.group + (f"/{result.category}" if result.category else ""))
    if len(periods) == 2:
        span = f"{BEFORE}: {period_label(periods[0])} · {AFTER}: {period_label(periods[1])}"
    else:
        span = " · ".join(period_label(p) for p in periods)
    run = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    national = {"municipality": NATIONAL}
    intensity = view(result, "intensity", **national)
    activation = view(result, "activation", **national)
    body = [
        f"<h1>Fokusrevision: {esc(scope)}</h1>",
        f'<p class="meta">{esc(span)} · {esc(ALL_SENIORITY_NOTE)}</p>',
        *(f'<p class="meta">{esc(m)}</p>' for m in getattr(result, "messages", [])),
        "<h2>Samtaleintensitet</h2>",
        view_table(intensity, ["benefit_weeks", "interviews", "intensity"],
                   caption_text="Samtaleintensitet efter anciennitet, hele landet (R45.3)",
                   table_id="intensity-table", keys=["seniority"]),
        view_table(view(result, "intensity_spread"), ["n_persons", "fewest_mean", "most_mean"],
                   caption_text="De 25 % med færrest og flest samtaler (R45.3)",
                   table_id="spread-table"),
        _figures(_SECTION_CHARTS["intensity"][:2], charts),
        view_table(_ranked(view(result, "intensity", seniority="all"), "intensity")
                   if len(periods) == 2 else view(result, "intensity", seniority="all"),
                   ["intensity"], rank=True, keys=["municipality"],
                   caption_text="Samtaleintensitet pr. kommune, alle anciennitetsintervaller"
                   + (" — efter udvikling (R45.8)" if len(periods) == 2 else ""),
                   table_id="municipalities-table"),
        _figures(_SECTION_CHARTS["intensity"][2:], charts),
        "<h2>Samtaletyper og -former</h2>",
        view_table(view(result, "mix", **national), ["count", "share"],
                   caption_text="Samtaler efter type og form, hele landet (R45.4)",
                   table_id="mix-table", keys=["dimension", "value"]),
        _figures(_SECTION_CHARTS["mix"], charts),
        "<h2>Aktivering</h2>",
        view_table(activation, ["persons", "touched", "touch_rate", "week_share"],
                   caption_text="Aktiveringsberørte og andel aktiveringsuger efter "
                   "anciennitet, hele landet (R45.5)",
                   table_id="activation-table", keys=["seniority"]),
        view_table(view(result, "activation_kinds", seniority="all", **national),
                   ["weeks", "share"], keys=["kind"],
                   caption_text="Aktiveringsuger efter redskabstype, hele landet (R45.5)",
                   table_id="kinds-table"),
        _figures(_SECTION_CHARTS["activation"], charts),
        "<h2>Fællessamtaler</h2>",
        _joint_table(result),
        view_table(view(result, "entitlement", **national), ["entitled", "had", "share"],
                   keys=["which"],
                   caption_text="Ret til og fået 1., 2. og 3. fællessamtale, hele landet "
                   "(R45.6)",
                   table_id="entitlement-table"),
        _figures(_SECTION_CHARTS["joint"], charts),
        "<h2>Delgrupper</h2>",
        view_table(view(result, "subgroups"), ["intensity", "touch_rate", "week_share"],
                   caption_text="Tabel 3.1: Samtaleintensitet, andel aktiveringsberørte og "
                   "andel aktiveringsuger for delgrupper, hele landet (R45.7)",
                   table_id="subgroups-table"),
        _footer(result, periods, run, __version__),
    ]  # fmt: skip
    return document(f"Fokusrevision — {scope}", body, _CSS)


def _footer(result: Any, periods: Sequence[str], run: str, version: str) -> str:
    digest = getattr(result, "rules_digest", None) or "ukendt"
    facts = [
        f"Regelsæt {result.rules} (sha256 {digest})",
        f"ydelsesgruppe {result.group}" + (f"/{result.category}" if result.category else ""),
        "perioder " + ", ".join(periods),
        f"backend {getattr(result, 'backend', 'ukendt')}",
        f"kørt {run}",
        f"jobindsats {version}",
    ]
    return f'<footer id="run-facts" class="meta">{esc(" · ".join(facts))}</footer>'
