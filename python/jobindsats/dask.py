"""Scale-out on a Dask cluster: one task per person bucket (``pip install jobindsats[dask]``).

Each task reads one person bucket (or takes one partition of each table), runs the
kernel on it and returns a :class:`~jobindsats.measure.PartialMeasurement`: the
non-empty cells as counts, the additive quality counts and the R47 rows. The client adds
the counts (every R40 count is a sum over persons), recomputes ``persons``, ``lt4`` and
``share_lt4`` from them, and concatenates the person rows in person order. The result
equals :func:`jobindsats.measure` on the whole dataset exactly.

On a real cluster (every worker needs ``jobindsats`` installed and the dataset on a
path it can read, e.g. a shared file system)::

    dask scheduler                                   # on one machine
    dask worker tcp://scheduler:8786 --nthreads 1    # on each worker machine

    from distributed import Client
    import jobindsats.dask
    client = Client("tcp://scheduler:8786")
    m = jobindsats.dask.measure("/shared/data", "2015-01", "2024-12", client=client,
                                persons=False)

:func:`audit` does the same for the focus audit (SPEC R45, ``docs/audit.md``): each task
returns its dense counts, and the client builds the tables.

See ``docs/scale.md``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

from .audit import AuditResult, AuditRun, PartialAudit
from .measure import Measurement, MeasureRun, PartialMeasurement
from .rules import RuleSet


def _require_dask() -> Any:
    try:
        import dask
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError("jobindsats.dask needs Dask: pip install 'jobindsats[dask]'") from exc
    return dask


def _run(start: Any, end: Any, backend: str, threads: int, rules: Any) -> MeasureRun:
    return MeasureRun(start, end, backend=backend, threads=threads, rules=rules)


def measure_bucket(
    path: str,
    bucket: int,
    start: Any,
    end: Any,
    backend: str = "auto",
    threads: int = 1,
    rules: Any = "v1.73",
    persons: bool = True,
) -> PartialMeasurement:
    """One task: read person bucket ``bucket`` of the bucketed dataset ``path`` and
    measure it."""
    from .dataset import read_bucket

    run = _run(start, end, backend, threads, rules)
    return run.measure_owned([read_bucket(path, bucket, threads=threads)], persons)


def measure_partition(
    tables: Mapping[str, Any],
    start: Any,
    end: Any,
    backend: str = "auto",
    threads: int = 1,
    rules: Any = "v1.73",
    persons: bool = True,
) -> PartialMeasurement:
    """One task: measure one partition of each table (pandas DataFrames)."""
    from .dataset import Dataset

    run = _run(start, end, backend, threads, rules)
    return run.measure_owned([Dataset.from_tables(**tables)], persons)


def measure(
    path_or_ddf: str | os.PathLike[str] | Mapping[str, Any],
    start: str | dt.date = "2019-01",
    end: str | dt.date = "2024-12",
    *,
    client: Any = None,
    backend: str = "auto",
    threads: int = 1,
    rules: str | RuleSet = "v1.73",
    persons: bool = True,
) -> Measurement:
    """:func:`jobindsats.measure` on a Dask cluster, one task per person bucket.

    ``path_or_ddf`` is a bucketed dataset directory (``<table>/bucket=<k>/``, as
    ``jobindsats synth --buckets`` writes it) or a mapping ``{table: dask DataFrame}``
    whose tables are partitioned alike by person (partition ``i`` of every table holds
    the same persons; e.g. each read from a bucketed directory with one partition per
    bucket). ``client`` is a ``distributed.Client``; without one, Dask's current
    scheduler is used (the active client, if any). ``threads`` is each task's threads,
    for reading its bucket and for the kernel; the default 1 keeps a task on its own
    thread (the workers run tasks side by side). A person found in two buckets or
    partitions is an error.
    """
    dask = _require_dask()
    run = _run(start, end, backend, threads, rules)  # checks the arguments on the client
    if isinstance(path_or_ddf, Mapping):
        tasks = _partition_tasks(dask, path_or_ddf, start, end, backend, threads, rules,
                                 persons)  # fmt: skip
    else:
        path = os.fspath(path_or_ddf)
        buckets = _buckets_of(path)
        task = dask.delayed(measure_bucket, pure=True)
        tasks = [task(path, k, start, end, backend, threads, rules, persons) for k in buckets]
    return run.finish(_compute(dask, tasks, client))


def _partition_tasks(
    dask: Any,
    tables: Mapping[str, Any],
    start: Any,
    end: Any,
    backend: str,
    threads: int,
    rules: Any,
    persons: bool,
) -> list[Any]:
    parts, n = _partitions(tables)
    task = dask.delayed(measure_partition, pure=True)
    return [
        task(
            {name: parts[name][i] for name in tables}, start, end, backend, threads, rules, persons
        )
        for i in range(n)
    ]


# --- the focus audit (SPEC R45) ------------------------------------------------------------


def _audit_run(group: str, periods: Any, category: Any, backend: str, threads: int,
               rules: Any) -> AuditRun:  # fmt: skip
    return AuditRun(group, periods, category=category, rules=rules, backend=backend,
                    threads=threads)  # fmt: skip


def audit_bucket(
    path: str,
    bucket: int,
    group: str,
    periods: Any,
    category: str | None = None,
    backend: str = "auto",
    threads: int = 1,
    rules: Any = "v1.73",
) -> PartialAudit:
    """One task: read person bucket ``bucket`` of the bucketed dataset ``path`` and audit
    it (its dense counts, per-person intensities and subgroup counts)."""
    from .dataset import read_bucket

    dataset = read_bucket(path, bucket, threads=threads)
    return _audit_run(group, periods, category, backend, threads, rules).audit_dataset(dataset)


def audit_partition(
    tables: Mapping[str, Any],
    group: str,
    periods: Any,
    category: str | None = None,
    backend: str = "auto",
    threads: int = 1,
    rules: Any = "v1.73",
) -> PartialAudit:
    """One task: audit one partition of each table (pandas DataFrames)."""
    from .dataset import Dataset

    dataset = Dataset.from_tables(**tables)
    return _audit_run(group, periods, category, backend, threads, rules).audit_dataset(dataset)


def audit(
    path_or_ddf: str | os.PathLike[str] | Mapping[str, Any],
    group: str,
    periods: Any,
    *,
    category: str | None = None,
    client: Any = None,
    backend: str = "auto",
    threads: int = 1,
    rules: str | RuleSet = "v1.73",
) -> AuditResult:
    """:func:`jobindsats.audit` on a Dask cluster, one task per person bucket (or per
    partition of a mapping ``{table: dask DataFrame}`` partitioned alike by person, as
    for :func:`measure`). Each task returns its additive counts; the client adds them and
    builds the tables, so the result equals ``jobindsats.audit`` on the whole dataset."""
    dask = _require_dask()
    run = _audit_run(group, periods, category, backend, threads, rules)  # checks arguments
    if isinstance(path_or_ddf, Mapping):
        parts, n = _partitions(path_or_ddf)
        task = dask.delayed(audit_partition, pure=True)
        tasks = [
            task({name: parts[name][i] for name in path_or_ddf}, group, periods, category,
                 backend, threads, rules)
            for i in range(n)
        ]  # fmt: skip
    else:
        path = os.fspath(path_or_ddf)
        buckets = _buckets_of(path)
        task = dask.delayed(audit_bucket, pure=True)
        tasks = [task(path, k, group, periods, category, backend, threads, rules)
                 for k in buckets]  # fmt: skip
    return run.finish(_compute(dask, tasks, client))


def _buckets_of(path: str) -> list[int]:
    """The person buckets of a bucketed dataset directory (an error if it has none)."""
    from .io import bucket_ids

    buckets = bucket_ids(path)
    if not buckets:
        raise ValueError(
            f"{path} is not a bucketed dataset (no benefits/bucket=<k>/ directories); "
            "write it with `jobindsats synth --buckets K` or partition it by person"
        )
    return buckets


def _compute(dask: Any, tasks: list[Any], client: Any) -> list[Any]:
    """The tasks' results, on ``client`` when given, else on Dask's default scheduler."""
    if client is not None:
        return list(client.gather(client.compute(tasks)))
    return list(dask.compute(*tasks))


def _partitions(tables: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """The delayed partitions of each Dask DataFrame of ``tables`` and their number: every
    table must be there with ``benefits`` and have as many person partitions as it."""
    if "benefits" not in tables:
        raise ValueError("the mapping of Dask DataFrames needs a 'benefits' table")
    counts = {name: ddf.npartitions for name, ddf in tables.items()}
    if len(set(counts.values())) != 1:
        raise ValueError(
            "every table must have the same number of person partitions, got "
            + ", ".join(f"{k}: {v}" for k, v in counts.items())
        )
    return {name: ddf.to_delayed() for name, ddf in tables.items()}, counts["benefits"]
