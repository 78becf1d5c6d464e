"""Everything of a focus audit at once, into one directory (``jobindsats audit --out``):
one Parquet file per R45.10 table, ``audit.xlsx``, the charts as PNG and SVG
(``audit_<chart>.png``/``.svg``) and ``audit.html``."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import atomic
from .audit_charts import chart_makers
from .audit_html import write_audit_html
from .audit_workbook import write_audit_workbook
from .chart_style import save

Progress = Callable[[int, int], None]


def write_audit_report(
    result: Any, out_dir: str | os.PathLike[str], *, progress: Progress | None = None
) -> list[Path]:
    """Write ``result`` (an :class:`jobindsats.audit.AuditResult`) into ``out_dir``:
    ``<table>.parquet`` for every R45.10 table (schema metadata keeps the rule set and its
    digest), ``audit.xlsx``, ``audit_<chart>.png`` and ``.svg`` for every chart with data,
    and ``audit.html``. ``progress(done, total)`` is called after each file or chart. Returns the
    paths written, in that order."""

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = result.tables()
    makers = chart_makers(result)
    total = len(tables) + len(makers) + 2
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    written: list[Path] = []
    for name, table in tables.items():
        written.append(atomic.write_file(out / f"{name}.parquet", _parquet_writer(table)))
        step()
    written.append(write_audit_workbook(result, out / "audit.xlsx"))
    step()
    pngs: dict[str, bytes] = {}
    for name, make in makers.items():
        try:
            fig = make()
        except ValueError:  # no data for this chart (one period, not dagpenge, ...)
            step()
            continue
        png = save(fig, out / f"audit_{name}.png")
        written += [png, save(fig, out / f"audit_{name}.svg")]
        pngs[name] = png.read_bytes()
        step()
    written.append(write_audit_html(result, out / "audit.html", charts=pngs))
    step()
    return written


def parse_period(option: str, text: str) -> tuple[dt.date, dt.date]:
    """A period option's ``YYYY-MM-DD:YYYY-MM-DD`` as two dates; a ``ValueError`` naming
    ``option`` for a malformed period or one that ends before it starts."""
    first, sep, last = text.partition(":")
    try:
        if not sep:
            raise ValueError
        start, end = dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip())
    except ValueError:
        raise ValueError(
            f"{option}: expected a period YYYY-MM-DD:YYYY-MM-DD (first and last day), got {text!r}"
        ) from None
    if end < start:
        raise ValueError(f"{option}: the period ends ({end}) before it starts ({start})")
    return start, end


def _parquet_writer(table: Any) -> Callable[[Path], None]:
    """A writer of ``table`` as Parquet to a given (temporary) path, for atomic.write_file."""
    import pyarrow.parquet as pq

    def write(tmp: Path) -> None:
        pq.write_table(table, tmp)

    return write
