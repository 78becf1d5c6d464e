"""Getting a :class:`~jobindsats.Measurement` for a report: from a directory written by
``Measurement.write`` / ``jobindsats measure --out`` (``cells.parquet`` and
``quality.json``), or by measuring a dataset directory."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..measure import PERSONS_SCHEMA, Measurement, parse_month
from ..rules import get_rules
from .cells import months

UNKNOWN = "unknown"


def is_measurement_dir(path: str | os.PathLike[str]) -> bool:
    return (Path(path) / "cells.parquet").is_file()


def load_measurement(path: str | os.PathLike[str], *, rules: str = "v1.73") -> Measurement:
    """Rebuild a :class:`Measurement` from ``cells.parquet`` (and ``quality.json`` when
    present). ``persons`` is left empty (reports need only the cells; the R47 rows stay
    in ``persons.parquet``). The period, rule set and backend come from ``run.json``
    (written by :meth:`Measurement.write`); without it the period is the first..last
    month of the cells, the rule set ``rules`` and the backend ``"unknown"``."""
    d = Path(path)
    cells_path = d / "cells.parquet"
    if not cells_path.is_file():
        raise FileNotFoundError(f"{d} has no cells.parquet (write one with `jobindsats measure`)")
    cells = pq.read_table(cells_path)
    missing = {"month", "municipality", "group", "interval", "share_lt4"} - set(cells.column_names)
    if missing:
        raise ValueError(f"{cells_path} is not an R40 cell table: no column(s) {sorted(missing)}")
    cells = _plain_strings(cells)
    quality_path = d / "quality.json"
    quality: dict[str, Any] = json.loads(quality_path.read_text()) if quality_path.is_file() else {}
    run_path = d / "run.json"  # written by Measurement.write: rules, backend, start, end
    run: dict[str, Any] = json.loads(run_path.read_text()) if run_path.is_file() else {}
    run = {**{k: quality[k] for k in ("start", "end", "rules", "backend") if k in quality}, **run}
    present = months(cells)
    start = run.get("start") or (present[0] if present else None)
    end = run.get("end") or (present[-1] if present else None)
    if start is None or end is None:
        raise ValueError(f"{cells_path} has no cells and {quality_path.name} names no period")
    # the exact rule set of the run (rules.toml, written beside run.json), else by name
    rules_path = d / "rules.toml"
    rule_set = get_rules(rules_path if rules_path.is_file() else str(run.get("rules", rules)))
    return Measurement(
        cells=cells,
        persons=PERSONS_SCHEMA.empty_table(),
        quality=quality,
        start=parse_month(start),
        end=parse_month(end),
        rules=rule_set.name,
        rule_set=rule_set,
        rules_digest=rule_set.digest,
        backend=str(run.get("backend", UNKNOWN)),
        extra={"source": str(d)},
    )


def _plain_strings(cells: pa.Table) -> pa.Table:
    """``group``/``interval`` as plain strings (a Parquet writer may dictionary-encode)."""
    for name in ("group", "interval"):
        i = cells.schema.get_field_index(name)
        if cells.schema.field(name).type != pa.string():
            cells = cells.set_column(i, name, cells[name].cast(pa.string()))
    return cells


def restrict(m: Measurement, start: str | dt.date | None, end: str | dt.date | None) -> Measurement:
    """``m`` with only the months ``start..end`` (each default: ``m``'s own bound)."""
    if start is None and end is None:
        return m
    s = parse_month(start) if start is not None else m.start
    e = parse_month(end) if end is not None else m.end
    if e < s:
        raise ValueError(f"end month {e:%Y-%m} is before start month {s:%Y-%m}")
    if s < m.start or e > m.end:
        raise ValueError(
            f"the measurement covers {m.start:%Y-%m}..{m.end:%Y-%m}, not {s:%Y-%m}..{e:%Y-%m}"
        )
    cells = m.cells.filter(
        pc.and_(
            pc.greater_equal(m.cells["month"], pa.scalar(s, pa.date32())),
            pc.less_equal(m.cells["month"], pa.scalar(e, pa.date32())),
        )
    )
    return Measurement(cells=cells, persons=m.persons, quality=m.quality, start=s, end=e,
                       rules=m.rules, backend=m.backend, extra=dict(m.extra),
                       rule_set=m.rule_set, rules_digest=m.rules_digest)  # fmt: skip


def load_input(
    path: str | os.PathLike[str],
    start: str | None = None,
    end: str | None = None,
    *,
    backend: str = "auto",
    threads: int | None = None,
    rules: str = "v1.73",
    progress: Callable[[int, int], None] | None = None,
) -> Measurement:
    """A measurement directory (loaded, then restricted to ``start..end`` when given) or a
    dataset directory (measured over ``start..end``, both required)."""
    p = Path(path)
    if is_measurement_dir(p):
        return restrict(load_measurement(p, rules=rules), start, end)
    if not p.is_dir():
        raise FileNotFoundError(f"{p} is neither a dataset nor a measurement directory")
    if start is None or end is None:
        raise ValueError(
            f"{p} is a dataset directory: give the months to measure with --from and --to"
        )
    from ..measure import measure

    return measure(p, start, end, backend=backend, threads=threads, rules=rules,
                   progress=progress)  # fmt: skip
