"""``jobindsats.audit``: the register analyses of the 2023 focus audit (SPEC R45, seed 004).

The per-person work (benefit weeks, their seniority and municipality, the interviews,
offer days and joint interviews attributed to them) runs in the kernel
(``cpp/audit.cpp`` or its Numba twin ``kernels/audit.py``), which adds per-bucket counts
into a small dense array and hands back one compact per-person column for the R45.3
spread quartiles and the R45.7 subgroups. This module turns those counts into the
R45.10 tables: ratios, quartiles, national rows, summaries and the R45.8 change.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from . import audit_tables as tables_from
from .arrow_numpy import empty_table_of, numpy_of, scalar_of
from .audit_change import change_table
from .audit_periods import day_of, iso_day, parse_periods, period_label
from .audit_schema import (
    AGE_BANDS,
    AUDIT_SCHEMAS,
    AUDIT_TABLES,
    INTERVIEW_TYPES,
    PARTICIPATION,
    SENIORITY,
    SUBGROUP_DIMENSIONS,
    WHICH,
)
from .kernels import audit_layout as kernel
from .measure import (
    _choose_backend,
    _DisjointPersons,
    municipality_slots,
    provenance_metadata,
)
from .normalise import single_array
from .rules import RuleSet, get_rules
from .schema import CATEGORIES, GROUPS

__all__ = [
    "AGE_BANDS",
    "AUDIT_SCHEMAS",
    "AUDIT_TABLES",
    "INTERVIEW_TYPES",
    "PARTICIPATION",
    "SENIORITY",
    "SUBGROUP_DIMENSIONS",
    "WHICH",
    "AuditResult",
    "AuditRun",
    "PartialAudit",
    "audit",
    "period_label",
]

Progress = Callable[[int, int], None]

#: Persons per kernel call: bounds the per-person output (periods x 9 x 3 int32 each).
CHUNK_PERSONS = 65536


@dataclass
class AuditResult:
    """The result of :func:`audit`: the R45.10 tables as Arrow tables.

    ``periods`` are the ``"YYYY-MM-DD:YYYY-MM-DD"`` labels in the order given;
    ``messages`` says what is noteworthy but not an error (e.g. a period without any
    benefit week of the group, whose tables are then empty).
    """

    intensity: pa.Table
    intensity_spread: pa.Table
    mix: pa.Table
    activation: pa.Table
    activation_kinds: pa.Table
    joint: pa.Table
    entitlement: pa.Table
    subgroups: pa.Table
    change: pa.Table
    periods: list[str]
    group: str
    category: str | None
    rules: str
    backend: str = "cpp"
    messages: list[str] = field(default_factory=list)
    #: the content digest of the rule set named ``rules`` (SPEC D11; every table's schema
    #: metadata carries both)
    rules_digest: str | None = None

    def __repr__(self) -> str:
        rows = ", ".join(f"{name}={t.num_rows}" for name, t in self.tables().items())
        what = self.group + (f"/{self.category}" if self.category else "")
        return f"AuditResult({what}, periods={self.periods}, rules={self.rules}, rows: {rows})"

    def tables(self) -> dict[str, pa.Table]:
        """Every R45.10 table by name, in output order."""
        return {name: getattr(self, name) for name in AUDIT_TABLES}

    def to_pandas(self) -> dict[str, Any]:
        """Every table as a pandas DataFrame, by name."""
        return {name: t.to_pandas() for name, t in self.tables().items()}

    def to_polars(self) -> dict[str, Any]:
        """Every table as a polars DataFrame, by name."""
        import polars as pl

        return {name: pl.from_arrow(t) for name, t in self.tables().items()}


@dataclass
class PartialAudit:
    """The additive result of auditing a disjoint set of persons (a dataset, a person
    bucket, a Dask task): the kernel's dense counts, the per-person intensities of the
    R45.3 spread (period, seniority slot, weeks, interviews), the R45.7 subgroup counts,
    and, per period, how many benefit rows overlap it (with the data's date range), for
    the check that a period lies inside the data."""

    cells: np.ndarray  # int64[periods, 100, 9, measures]
    spread: dict[str, np.ndarray]
    subgroups: pa.Table
    overlapping_rows: np.ndarray  # int64[periods]
    first_day: int | None
    last_day: int | None
    person_ids: np.ndarray


class AuditRun:
    """One audit's settings; audits datasets or buckets into partial results and combines
    them into an :class:`AuditResult` (used by :func:`audit` and :mod:`jobindsats.dask`)."""

    def __init__(
        self,
        group: str,
        periods: Any,
        *,
        category: str | None = None,
        rules: str | RuleSet = "v1.73",
        backend: str = "auto",
        threads: int | None = None,
    ) -> None:
        self.rules = get_rules(rules)
        if group not in GROUPS:
            raise ValueError(
                f"group: unknown benefit group {group!r}; one of {', '.join(GROUPS)} "
                "(revalidering includes forrevalidering, R45.9)"
            )
        if category is not None:
            if category not in CATEGORIES:
                raise ValueError(
                    f"category: unknown category {category!r}; one of {', '.join(CATEGORIES)}"
                )
            if group not in self.rules.category_groups:
                raise ValueError(
                    f"category: {group} has no category breakdown; categories apply to "
                    f"{', '.join(self.rules.category_groups)}"
                )
        self.group = group
        self.category = category
        self.periods = parse_periods(periods)
        self.labels = [period_label(a, b) for a, b in self.periods]
        self.period_start = np.array([day_of(a) for a, _ in self.periods], np.int32)
        self.period_end = np.array([day_of(b) for _, b in self.periods], np.int32)
        self.backend = _choose_backend(backend)
        self.threads = threads if threads is not None else (os.cpu_count() or 1)
        if self.threads < 1:
            raise ValueError(f"threads: must be at least 1, got {threads}")

    # --- one disjoint set of persons ------------------------------------------------------

    def audit_dataset(self, dataset: Any, *, progress: Progress | None = None) -> PartialAudit:
        """Audit every person of ``dataset`` (a :class:`jobindsats.Dataset`)."""
        arrays = dataset.kernel_arrays()
        cells = np.zeros(
            (len(self.periods), kernel.N_MUNI_SLOTS, kernel.N_SENIORITY_SLOTS,
             kernel.N_AUDIT_MEASURES), np.int64,
        )  # fmt: skip
        spread: dict[str, list[np.ndarray]] = {"period": [], "slot": [], "weeks": [],
                                               "interviews": []}  # fmt: skip
        rows: dict[str, list[np.ndarray]] = {"person": [], "period": [], "values": []}

        def on_persons(p0: int, out: np.ndarray) -> None:
            pi, k, s = np.nonzero(out[..., kernel.PV_WEEKS])
            spread["period"].append(k.astype(np.int8))
            spread["slot"].append(s.astype(np.int8))
            spread["weeks"].append(out[pi, k, s, kernel.PV_WEEKS])
            spread["interviews"].append(out[pi, k, s, kernel.PV_INTERVIEWS])
            everyone = s == kernel.SLOT_ALL
            rows["person"].append(pi[everyone] + p0)
            rows["period"].append(k[everyone])
            rows["values"].append(out[pi[everyone], k[everyone], kernel.SLOT_ALL])

        self._run_kernel(arrays, cells, on_persons, progress)
        joined = {c: np.concatenate(v) for c, v in spread.items()}
        person = np.concatenate(rows["person"]).astype(np.int64)
        values = np.concatenate(rows["values"]).reshape(-1, kernel.N_PERSON_VALUES)
        subgroups = tables_from.subgroup_counts(
            person,
            np.concatenate(rows["period"]).astype(np.int64),
            values,
            _attributes(dataset),
            arrays["birth_date"],
            [int(x) for x in self.period_end],
        )
        start, end = arrays["ben_start"], arrays["ben_end"]
        overlapping = np.array(
            [np.count_nonzero((start <= b) & (end >= a))
             for a, b in zip(self.period_start, self.period_end, strict=True)], np.int64,
        )  # fmt: skip
        first = int(start.min()) if len(start) else None
        last = int(end.max()) if len(end) else None
        return PartialAudit(cells, joined, subgroups, overlapping, first, last, dataset.person_ids)

    def _run_kernel(
        self,
        arrays: dict[str, np.ndarray],
        cells: np.ndarray,
        on_persons: Callable[[int, np.ndarray], None],
        progress: Progress | None,
    ) -> None:
        from .kernels.backend import (
            _NUMBA_LAUNCH,
            BLOCK_PERSONS,
            _prepare,
            check_arrays,
            chunk_persons_for,
        )

        check_arrays(arrays)
        n_persons = arrays["person_ids"].shape[0]
        group = GROUPS.index(self.group)
        category = -1 if self.category is None else CATEGORIES.index(self.category)
        muni_slot = municipality_slots()
        state = _prepare(self.backend, arrays, self.rules.kernel_rules(), self.threads)
        # chunks of about the measurement's work per chunk (a week of one period costs
        # about what a month does there), so that Ctrl-C, honoured between chunks, is
        # quick; at most CHUNK_PERSONS (read at call time: tests shrink it)
        months = int(np.sum(self.period_end - self.period_start + 1)) // 30 + 1
        chunk = min(CHUNK_PERSONS, chunk_persons_for(self.backend, self.threads, months))
        for p0 in range(0, n_persons, chunk):
            p1 = min(p0 + chunk, n_persons)
            if self.backend == "numba":
                data, rules = state
                block_start = np.append(
                    np.arange(p0, p1, BLOCK_PERSONS, dtype=np.int64), np.int64(p1)
                )
                parts = max(1, min(self.threads, len(block_start) - 1))
                part_cells = np.zeros((parts, *cells.shape), np.int64)
                out = np.zeros(
                    (p1 - p0, len(self.periods), kernel.N_SENIORITY_SLOTS,
                     kernel.N_PERSON_VALUES), np.int32,
                )  # fmt: skip
                from .kernels.audit import audit_blocks  # (loads Numba: only here)

                with _NUMBA_LAUNCH:  # one Numba parallel launch at a time (backend.py)
                    audit_blocks(
                        data, rules, group, category, self.period_start, self.period_end,
                        muni_slot, p0, block_start, parts, part_cells, out,
                    )  # fmt: skip
                cells += part_cells.sum(axis=0)
            else:
                core, raw, rules_dict = state
                out = core.audit_persons(
                    raw, rules_dict, group, category, self.period_start, self.period_end,
                    muni_slot, p0, p1, cells, self.threads,
                )  # fmt: skip
            on_persons(p0, out)
            if progress is not None:
                progress(p1, n_persons)

    def audit_buckets(
        self, path: str | os.PathLike[str], buckets: list[int], *,
        progress: Progress | None = None,
    ) -> list[PartialAudit]:  # fmt: skip
        """Audit the person buckets of a bucketed dataset one at a time: only one bucket's
        tables are in memory at once."""
        from .dataset import read_bucket

        parts = []
        for i, k in enumerate(buckets):
            parts.append(self.audit_dataset(read_bucket(path, k, threads=self.threads)))
            if progress is not None:
                progress(i + 1, len(buckets))
        return parts

    # --- combining ------------------------------------------------------------------------

    def finish(self, parts: list[PartialAudit]) -> AuditResult:
        """Add the partial results (disjoint persons) into one :class:`AuditResult`."""
        seen = _DisjointPersons()
        for i, part in enumerate(parts):
            seen.add(part.person_ids, f"part {i}")
        self._check_inside_data(parts)
        cells = np.sum([p.cells for p in parts], axis=0)
        spread = {c: np.concatenate([p.spread[c] for p in parts]) for c in parts[0].spread}
        counts = tables_from.sum_subgroups(pa.concat_tables([p.subgroups for p in parts]))
        labels = self.labels
        result: dict[str, pa.Table] = {
            "intensity": tables_from.intensity(cells, labels),
            "intensity_spread": tables_from.spread(
                spread["period"], spread["slot"], spread["weeks"], spread["interviews"], labels
            ),
            "mix": tables_from.mix(cells, labels),
            "activation": tables_from.activation(cells, labels),
            "activation_kinds": tables_from.activation_kinds(cells, labels),
            "joint": tables_from.joint(cells, labels),
            "entitlement": tables_from.entitlement(cells, labels),
            "subgroups": tables_from.subgroups(counts, labels),
        }
        messages = []
        for i, label in enumerate(labels):
            if cells[i, 0, kernel.SLOT_ALL, kernel.AM_WEEKS] == 0:
                what = self.group + (f"/{self.category}" if self.category else "")
                messages.append(f"period {label}: no benefit week of {what}; its tables are empty")
        if len(labels) == 2:
            before, after = sorted(range(2), key=lambda i: (self.periods[i][0], i))
            result["change"] = change_table(result, labels[before], labels[after])
        else:
            result["change"] = empty_table_of(AUDIT_SCHEMAS["change"])
        stamp = provenance_metadata(self.rules)
        return AuditResult(
            **{name: t.replace_schema_metadata(stamp) for name, t in result.items()},
            periods=list(labels),
            group=self.group,
            category=self.category,
            rules=self.rules.name,
            backend=self.backend,
            messages=messages,
            rules_digest=self.rules.digest,
        )

    def _check_inside_data(self, parts: list[PartialAudit]) -> None:
        """A period that no benefit row overlaps lies outside the data: an error naming it
        and the data's date range."""
        firsts = [p.first_day for p in parts if p.first_day is not None]
        lasts = [p.last_day for p in parts if p.last_day is not None]
        overlapping = np.sum([p.overlapping_rows for p in parts], axis=0)
        for label, n in zip(self.labels, overlapping, strict=True):
            if n:
                continue
            if not firsts:
                raise ValueError(
                    f"periods: period {label} lies outside the data: it has no benefit rows"
                )
            raise ValueError(
                f"periods: period {label} lies outside the data: no benefit row overlaps it "
                f"(benefits run from {iso_day(min(firsts))} to {iso_day(max(lasts))})"
            )


def _attributes(dataset: Any) -> dict[str, tables_from.Attribute]:
    """The R45.7 attributes ``sex``, ``origin``, ``education`` of every person of the
    dataset as codes (-1 where null or without a persons row) and their labels."""
    persons = dataset.tables["persons"]
    index = np.searchsorted(dataset.person_ids, numpy_of(single_array(persons.column("person_id"))))
    out = {}
    for name in ("sex", "origin", "education"):
        codes = np.full(dataset.n_persons, -1, np.int32)
        labels: list[str] = []
        if name in persons.column_names and persons.num_rows:
            encoded = persons.column(name).combine_chunks().dictionary_encode()
            indices = encoded.indices
            codes[index] = numpy_of(indices.fill_null(scalar_of(-1, indices.type)))
            labels = encoded.dictionary.to_pylist()
        out[name] = (codes, labels)
    return out


def audit(
    data: Any,
    group: str,
    periods: Any,
    *,
    category: str | None = None,
    rules: str | RuleSet = "v1.73",
    backend: str = "auto",
    threads: int | None = None,
    progress: Progress | None = None,
) -> AuditResult:
    """The focus audit (SPEC R45, seed 004) of benefit group ``group`` over one or two
    periods.

    ``data`` is a dataset directory (see :func:`jobindsats.read_dataset`) or a
    :class:`jobindsats.Dataset`; a directory written with person buckets is audited bucket
    by bucket (memory bounded by the largest bucket), with the same result. ``periods`` is
    one period or two, each a ``(start, end)`` pair of dates (or ISO strings) or a string
    ``"YYYY-MM-DD:YYYY-MM-DD"``; with two, the ``change`` table compares them (R45.8, the
    earlier-starting one is *before*). ``category`` restricts the benefit weeks to days
    with that assessment category (R45.9). ``backend`` and ``threads`` are as for
    :func:`jobindsats.measure`; the result does not depend on them.

    Raises ``ValueError`` naming the argument for an unknown group or category, more than
    two periods, a period ending before it starts, and a period that no benefit row
    overlaps (outside the data). A period without any benefit week of the group gives
    empty tables and a note in :attr:`AuditResult.messages`.
    """
    from .dataset import Dataset
    from .io import bucket_ids

    run = AuditRun(group, periods, category=category, rules=rules, backend=backend,
                   threads=threads)  # fmt: skip
    if isinstance(data, Dataset):
        return run.finish([run.audit_dataset(data, progress=progress)])
    buckets = bucket_ids(data)
    if not buckets:
        from .dataset import read_dataset

        dataset = read_dataset(data, threads=threads)
        return run.finish([run.audit_dataset(dataset, progress=progress)])
    return run.finish(run.audit_buckets(data, buckets, progress=progress))
