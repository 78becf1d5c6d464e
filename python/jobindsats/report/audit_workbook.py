"""The Excel workbook of a focus audit (SPEC R45, seed 004): ``audit.xlsx``.

One sheet per analysis, in the order of R45.10, with Danish labels (:mod:`.audit_labels`):

``Samtaleintensitet`` (R45.3, figures 3.1 and 3.3), ``Spredning`` (R45.3, figure 3.2),
``Samtaletyper`` (R45.4, figures 3.4–3.6), ``Aktivering`` (R45.5, figures 3.8–3.10),
``Aktiveringstyper`` (R45.5, figure 3.11), ``Fællessamtaler`` (R45.6, table 4.1 and
figure 4.2), ``Ret til fællessamtaler`` (R45.6, figure 4.1), ``Delgrupper`` (R45.7,
table 3.1)
    One row per key of the table (municipality code and name, seniority group, type …;
    national ``0`` "Hele landet" first, "Uoplyst" ``999`` last) and, for each value
    column, with two periods the block *Før* | *Efter* | *Udvikling i %* | *Rang* (R45.8:
    the rank of the municipalities by change, largest first; national and unknown are not
    ranked), with one period the period's value. The figures are the ``change`` table's
    (two periods) or the table's own (one), never recomputed.
``Udvikling``
    The whole R45.8 ``change`` table, one row per figure, labelled.
``Noter``
    Group, category, periods, rule set and its sha256, run date, backend, version, the
    result's messages and what each sheet holds.

Counts have a thousands separator, shares show as ``0.0%``, intensities with two
decimals, changes in % with one; every data sheet freezes its header rows and key columns
and has an autofilter.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .. import atomic
from ..audit_change import CHANGE_KEYS
from .audit_labels import (
    AFTER,
    ALL_SENIORITY_NOTE,
    BEFORE,
    CHANGE,
    KEY_LABELS,
    RANK,
    TABLE_LABELS,
    dimension_label,
    metric_kind,
    metric_label,
    period_label,
    seniority_label,
    value_label,
)
from .audit_view import View, ordered_periods, view
from .labels import group_label, municipality_label
from .xlsx import Column, add_formats, write_key_values, write_table

#: Sheet names, in workbook order (the R45.10 tables, then the notes).
AUDIT_SHEETS: tuple[str, ...] = (*TABLE_LABELS.values(), "Noter")

#: What each sheet holds, with the seed's figure or table (the notes sheet lists these).
SHEET_NOTES: dict[str, str] = {
    "intensity": "R45.3: ydelsesuger, samtaler og samtaleintensitet (samtaler pr. ydelsesuge)"
    " pr. kommune og anciennitet (figur 3.1, 3.3).",
    "intensity_spread": "R45.3: de 25 % med færrest og de 25 % med flest samtaler pr. uge, "
    "hele landet (figur 3.2).",
    "mix": "R45.4: samtaler fordelt på samtaletype og -form pr. kommune (figur 3.4–3.6).",
    "activation": "R45.5: aktiveringsberørte (personer med et tilbud i en ydelsesuge) og "
    "andel aktiveringsuger pr. kommune og anciennitet (figur 3.8–3.10).",
    "activation_kinds": "R45.5: aktiveringsuger fordelt på redskabstype (figur 3.11).",
    "joint": "R45.6: fællessamtaler efter deltagelse og anciennitet på samtaledagen "
    "(tabel 4.1, figur 4.2); kun dagpenge.",
    "entitlement": "R45.6: dagpengemodtagere med ret til 1., 2. og 3. fællessamtale, og "
    "hvor mange der har fået den (figur 4.1); kun dagpenge.",
    "subgroups": "R45.7: samtaleintensitet, andel aktiveringsberørte og andel "
    "aktiveringsuger efter køn, alder, herkomst og uddannelse, hele landet (tabel 3.1).",
    "change": "R45.8: hvert tal før og efter, udviklingen i % = (efter − før) / før × 100 "
    "(tom når før er 0) og kommunernes rang efter udvikling, størst først.",
}

_KEY_COLUMNS: dict[str, tuple[Column, ...]] = {
    "municipality": (Column("", "Kom.nr.", "code"), Column("", "Kommune", "text", 15)),
    "seniority": (Column("", KEY_LABELS["seniority"], "text", 13),),
    "dimension": (Column("", KEY_LABELS["dimension"], "text", 17),),
    "value": (Column("", KEY_LABELS["value"], "text", 30),),
    "kind": (Column("", KEY_LABELS["kind"], "text", 26),),
    "participation": (Column("", KEY_LABELS["participation"], "text", 22),),
    "which": (Column("", KEY_LABELS["which"], "text", 16),),
}


def write_audit_workbook(result: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``result`` (a :class:`jobindsats.audit.AuditResult`) as an ``.xlsx``
    workbook with the sheets :data:`AUDIT_SHEETS`. Returns the path written."""
    import xlsxwriter

    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"the workbook must be an .xlsx file, got {out.name!r}")

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False},
        )
        try:
            wb.set_properties(
                {
                    "title": f"Fokusrevision: {_scope(result)}",
                    "subject": f"Regelsæt {result.rules}, perioder {', '.join(result.periods)}",
                    "author": "jobindsats",
                }
            )
            formats = add_formats(wb)
            for table, sheet in TABLE_LABELS.items():
                ws = wb.add_worksheet(sheet)
                if table == "change":
                    _sheet_change(ws, formats, result)
                else:
                    _sheet_view(ws, formats, view(result, table))
            _sheet_notes(wb.add_worksheet("Noter"), formats, result)
        except BaseException:
            with contextlib.suppress(Exception):
                wb.close()
            raise
        wb.close()

    # under a temporary name, renamed into place: no half-written workbook, and an
    # earlier one stays as it was if this one fails
    return atomic.write_file(out, write)


def _scope(result: Any) -> str:
    slot = result.group + (f"/{result.category}" if result.category else "")
    return group_label(slot)


def period_headers(periods: Sequence[str]) -> tuple[str, ...]:
    """The value headers of a compared figure (``Før (2019)``, ``Efter (…)``), or the one
    period's label."""
    if len(periods) == 2:
        return (f"{BEFORE} ({period_label(periods[0])})", f"{AFTER} ({period_label(periods[1])})")
    return tuple(period_label(p) for p in periods)


def key_cells(keys: Sequence[str], row: dict[str, Any]) -> list[Any]:
    """The key columns of one row as Excel values: the municipality as code and name,
    every other key by its Danish label."""
    cells: list[Any] = []
    for k in keys:
        v = row.get(k)
        if k == "municipality":
            cells += [v, None if v is None else municipality_label(v)]
        elif k == "seniority":
            cells.append(None if v is None else seniority_label(v))
        elif k == "dimension":
            cells.append(None if v is None else dimension_label(v))
        elif k == "value":
            cells.append(None if v is None else value_label(row.get("dimension") or "", v))
        else:
            cells.append(None if v is None else value_label(k, v))
    return cells


def _sheet_view(ws: Any, formats: dict[str, Any], v: View) -> None:
    keys = [c for k in v.keys for c in _KEY_COLUMNS[k]]
    ranked = "municipality" in v.keys
    columns = list(keys)
    headers = period_headers(v.periods)
    for m in v.metrics:
        kind = metric_kind(m)
        if v.compared:
            columns += [Column(metric_label(m), headers[0], kind),
                        Column(metric_label(m), headers[1], kind),
                        Column(metric_label(m), CHANGE, "change")]  # fmt: skip
            if ranked:
                columns.append(Column(metric_label(m), RANK, "int", 6))
        else:
            columns.append(Column(headers[0] if headers else "", metric_label(m), kind))

    def rows() -> Iterable[list[Any]]:
        for row in v.rows:
            cells = key_cells(v.keys, row)
            for m in v.metrics:
                x = row[m]
                cells.append(x.before)
                if v.compared:
                    cells += [x.after, x.change] + ([x.rank] if ranked else [])
            yield cells

    write_table(ws, formats, columns, rows(), len(keys))


def _sheet_change(ws: Any, formats: dict[str, Any], result: Any) -> None:
    periods = ordered_periods(result)
    headers = period_headers(periods) if len(periods) == 2 else (BEFORE, AFTER)
    columns = [
        Column("", KEY_LABELS["table"], "text", 20),
        *(c for k in CHANGE_KEYS for c in _KEY_COLUMNS[k]),
        Column("", KEY_LABELS["metric"], "text", 26),
        Column("", headers[0], "general", 14),
        Column("", headers[1], "general", 14),
        Column("", CHANGE, "change"),
        Column("", RANK, "int", 6),
    ]
    d = result.change.to_pydict()

    def rows() -> Iterable[list[Any]]:
        for i in range(result.change.num_rows):
            row = {k: d[k][i] for k in CHANGE_KEYS}
            yield [
                TABLE_LABELS.get(d["table"][i], d["table"][i]),
                *key_cells(CHANGE_KEYS, row),
                metric_label(d["metric"][i]),
                d["before"][i],
                d["after"][i],
                d["change_pct"][i],
                d["rank"][i],
            ]

    write_table(ws, formats, columns, rows(), 1)


def _sheet_notes(ws: Any, formats: dict[str, Any], result: Any) -> None:
    from .. import __version__

    periods = ordered_periods(result)
    if len(periods) == 2:
        period_rows = [
            (BEFORE, f"{period_label(periods[0])} ({periods[0]})", None),
            (AFTER, f"{period_label(periods[1])} ({periods[1]})", None),
        ]
    else:
        period_rows = [("Periode", f"{period_label(p)} ({p})", None) for p in periods]
    rows: list[tuple[str, Any, str | None]] = [
        (f"Fokusrevision: {_scope(result)}", None, "title"),
        ("", None, None),
        ("Ydelsesgruppe", f"{group_label(result.group)} ({result.group})", None),
        ("Kategori", result.category or "alle", None),
        *period_rows,
        ("Regelsæt", result.rules, None),
        ("Regelsættets sha256", getattr(result, "rules_digest", None) or "ukendt", None),
        ("Kørselsdato", dt.datetime.now().strftime("%Y-%m-%d %H:%M"), None),
        ("Backend", getattr(result, "backend", None) or "ukendt", None),
        ("jobindsats", __version__, None),
        *(("Bemærkning", message, None) for message in getattr(result, "messages", [])),
        ("", None, None),
        ("Ark", None, "bold"),
        *((TABLE_LABELS[t], note, None) for t, note in SHEET_NOTES.items()),
        ("", None, None),
        ("Anciennitet", ALL_SENIORITY_NOTE, None),
        (CHANGE, "(efter − før) / før × 100; tom når før er 0 (R45.8).", None),
        (RANK, "Kommunerne efter udvikling, størst først; lige udvikling efter kommunenummer. "
         "Hele landet (0) og Uoplyst (999) rangeres ikke (R45.8).", None),
        ("Tom celle", "Ingen i nævneren (forholdstal) eller ikke relevant.", None),
    ]  # fmt: skip
    write_key_values(ws, formats, rows)
