"""Peer baseline: the day-counted groups of the measurement in DuckDB SQL, without jobindsats.

This is how a strong analyst would compute the same cells with a vectorised SQL engine:
``peer_sql/peer_cells.sql`` reads the dataset's Parquet files with ``read_parquet`` and
builds the main-benefit timeline (R5) by painting only the payment rows that share a day
with another row, spells by gaps and islands (R6–R9, D4), counted-day durations as
differences of a counted-day index (R11–R14, D1), the 12-month window (R20), eligible
interviews per spell (R21–R24, R27) counted with as-of joins, the exempt share (R30–R32),
age (R2), whole-month-dead (R3) and municipality (R42), and aggregates to the cells of
R40 (fine intervals; every municipality and national). Of the library it uses only the
rule set (``jobindsats.rules``: code lists, dates, thresholds are not retyped) and the
enumeration names (``jobindsats.schema``).

Covered groups: ``COVERED`` (all day-counted groups but sygedagpenge); dagpenge (hours)
and sygedagpenge are left out, and so are the category breakdowns, ``all`` and the
summary intervals.

As a script, one run compares the peer with the engine side by side, each in a cold
subprocess (wall time and peak RSS), and checks the covered cells are equal. The engine
runs as ``measure(..., persons=False)``: cells only, the peer's output (its default also
builds the person-month table, R47; ``bench_measure.py`` times that)::

    python benchmarks/peer_baseline.py --persons 1000000 --from 2017-01 --to 2024-12
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

SQL_FILE = Path(__file__).resolve().parent / "peer_sql" / "peer_cells.sql"

#: The groups the peer computes exactly (group level, fine intervals).
COVERED: tuple[str, ...] = (
    "kontanthjaelp",
    "uddannelseshjaelp",
    "overgangsydelse",
    "revalidering",
    "ressourceforloeb",
    "jobafklaring",
    "ledighedsydelse",
)

#: Output columns, as in ``jobindsats.measure(...).cells``.
COLUMNS: tuple[str, ...] = (
    "month", "municipality", "group", "interval",
    "n0", "n1", "n2", "n3", "n4", "n5plus", "exempt", "interviews",
)  # fmt: skip

_SOURCE_COLUMNS: dict[str, str] = {
    "benefits": 'person_id BIGINT, benefit VARCHAR, start DATE, "end" DATE, supplementary BOOLEAN',
    "persons": "person_id BIGINT, birth_date DATE",
    "interviews": "person_id BIGINT, date DATE, kind VARCHAR, form VARCHAR, held_by VARCHAR, "
    "municipality SMALLINT",
    "exemptions": 'person_id BIGINT, code SMALLINT, start DATE, "end" DATE',
    "mii": 'person_id BIGINT, start DATE, "end" DATE',
    "offers": 'person_id BIGINT, start DATE, "end" DATE',
    "residence": 'person_id BIGINT, municipality SMALLINT, start DATE, "end" DATE',
    "visitation": 'person_id BIGINT, category VARCHAR, start DATE, "end" DATE',
    "registrations": "person_id BIGINT, date DATE",
}


def _lit(value: object) -> str:
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if value is None:
        return "NULL"
    return str(value)


def _values(rows: Sequence[Sequence[object]]) -> str:
    return ", ".join("(" + ", ".join(_lit(v) for v in row) + ")" for row in rows)


def _source(dataset_dir: Path, table: str) -> str:
    """``read_parquet`` of a table (one file, or a directory of parts, also in
    subdirectories such as ``bucket=k/``); an empty typed table when missing."""
    file = dataset_dir / f"{table}.parquet"
    part_dir = dataset_dir / table
    if file.exists():
        return f"read_parquet({_lit(str(file))})"
    if part_dir.is_dir() and any(part_dir.rglob("*.parquet")):
        return (
            f"read_parquet({_lit(str(part_dir / '**' / '*.parquet'))}, hive_partitioning = false)"
        )
    if table == "benefits":
        raise FileNotFoundError(f"{dataset_dir}: no benefits table")
    cols = ", ".join(
        f"NULL::{c.split(' ', 1)[1]} AS {c.split(' ', 1)[0]}"
        for c in _SOURCE_COLUMNS[table].split(", ")
    )
    return f"(SELECT {cols} WHERE false)"


def _month(text: str | dt.date) -> dt.date:
    if isinstance(text, dt.date):
        return text.replace(day=1)
    year, month = str(text).split("-")[:2]
    return dt.date(int(year), int(month), 1)


def _day(d: dt.date) -> str:
    """A date as its day number (days since 1970-01-01, Arrow ``date32``)."""
    return str((d - dt.date(1970, 1, 1)).days)


def _key(benefit_or_group: str) -> int:
    """The integer key of the SQL: the group index (``schema.GROUPS``) of a measured
    benefit (forrevalidering -> revalidering, R7), else 100 + the benefit code."""
    from jobindsats.rules import get_rules
    from jobindsats.schema import BENEFITS, GROUPS

    group = get_rules("v1.73").measured.get(benefit_or_group)
    if group is not None:
        return GROUPS.index(group)
    if benefit_or_group in GROUPS:
        return GROUPS.index(benefit_or_group)
    return 100 + BENEFITS.index(benefit_or_group)


def sql_parameters(
    dataset_dir: Path, start: str | dt.date, end: str | dt.date, groups: Sequence[str]
) -> dict[str, str]:
    """The values of the SQL file's placeholders, from rule set v1.73."""
    from jobindsats.rules import get_rules
    from jobindsats.schema import CATEGORIES

    r = get_rules("v1.73")
    first = _month(start)
    last_month = _month(end)
    last_day = dt.date(
        last_month.year + last_month.month // 12, last_month.month % 12 + 1, 1
    ) - dt.timedelta(days=1)
    priority = [(b, i, _key(b)) for i, b in enumerate(r.benefit_priority)]
    edges = r.day_edges
    interval_of_days = (
        "CASE "
        + " ".join(f"WHEN days >= {e} THEN {k + 1}" for k, e in reversed(list(enumerate(edges))))
        + " ELSE 0 END"
    )
    pension = (
        "CASE "
        + " ".join(f"WHEN birth_date >= {_lit(d)} THEN {m}" for d, m in reversed(r.pension_age[1:]))
        + f" ELSE {r.pension_age[0][1]} END"
    )
    trials = [
        (t.municipality, f, int(_day(t.start)), int(_day(t.end)))
        for t in r.trial_municipalities
        for f in t.forms
    ]
    reopened = " OR ".join(f"d BETWEEN {_day(a)} AND {_day(b)}" for a, b in r.reopening)
    all_codes, cat_codes = [], []
    for g in groups:
        for key, codes in r.exemption_codes[g].items():
            for code in codes:
                if key == "all":
                    all_codes.append((_key(g), code))
                else:
                    cat_codes.append((_key(g), code, key))
    if not cat_codes:  # keep the VALUES list well-formed
        cat_codes.append((-1, -1, ""))
    # the peer formulation has one COVID dead period for all groups (v1.73's)
    (covid,) = {r.covid_dead[g] for g in r.covid_dead}
    (covid,) = covid
    sources = {t: _source(dataset_dir, t) for t in _SOURCE_COLUMNS}
    return {
        **sources,
        "day_1900_01_01": _day(dt.date(1900, 1, 1)),
        "day_1900_03_01": _day(dt.date(1900, 3, 1)),
        "day_2100_02_28": _day(dt.date(2100, 2, 28)),
        "day_2100_12_31": _day(dt.date(2100, 12, 31)),
        "far_day": _day(dt.date(2999, 12, 31)),
        "priority": _values(priority),
        "groups": ", ".join(str(_key(g)) for g in groups),
        "oy_key": str(_key("overgangsydelse")),
        "oy_joins": ", ".join(str(_key(g)) for g in r.overgangsydelse_joins),
        "dead_codes": ", ".join(str(c) for c in r.dead_codes),
        "covid_start": _day(covid[0]),
        "covid_end": _day(covid[1]),
        "closed_start": _day(r.covid_interviews_never[0]),
        "closed_end": _day(r.covid_interviews_never[1]),
        "first_day": _day(first),
        "last_day": _day(last_day),
        "first_mi": str(first.year * 12 + first.month - 1),
        "last_mi": str(last_month.year * 12 + last_month.month - 1),
        "prepay_from": _day(r.prepayment_from),
        "prepay_months": str(r.prepayment_months),
        "prepay_groups": ", ".join(str(_key(g)) for g in r.prepayment_groups),
        "min_age_months": str(r.min_age_months),
        "pension_months": pension,
        "interval_of_days": interval_of_days,
        "window_days": str(r.window_days),
        "trials": _values(trials),
        "reopened": reopened,
        "form_rule_from": _day(r.form_rule_from),
        "remote_from": _day(r.remote_after_6_months_from),
        "remote_days": str(edges[r.remote_after_interval - 1]),
        "categories": "[" + ", ".join(_lit(c) for c in CATEGORIES) + "]",
        "exempt_codes": _values(all_codes),
        "exempt_category_codes": _values(cat_codes),
        "exempt_pct": str(r.exempt_threshold_pct),
        "exempt24_from": _day(r.exempt_2024_from),
        "exempt24_pct": str(r.exempt_2024_threshold_pct),
        "exempt24_below": str(r.exempt_2024_below_interval),
        "mii_days": str(r.mii_exempt_days),
    }


def statements(params: dict[str, str]) -> list[str]:
    """The SQL file's statements with the placeholders filled in."""
    text = SQL_FILE.read_text()
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip().format(**params) for s in body.split(";\n") if s.strip()]


def _statement_name(stmt: str) -> str:
    """``cal`` for ``CREATE TEMP TABLE cal AS ...``; ``macros`` and ``drop`` for the rest."""
    words = stmt.split()
    if words[:3] == ["CREATE", "TEMP", "TABLE"]:
        return words[3]
    return "drop" if words[0] == "DROP" else "macros"


def peer_cells(
    dataset_dir: str | os.PathLike[str],
    start: str | dt.date = "2019-01",
    end: str | dt.date = "2024-12",
    groups: Sequence[str] = COVERED,
    *,
    threads: int | None = None,
    timings: dict[str, float] | None = None,
) -> pa.Table:
    """The R40 cells of ``groups`` (a subset of ``COVERED``) for every month from ``start``
    to ``end``: one row per month × municipality (0 = national) × group × fine interval
    with any person, columns ``COLUMNS``, sorted by them."""
    import duckdb

    from jobindsats.schema import FINE_INTERVALS

    unknown = set(groups) - set(COVERED)
    if unknown:
        raise ValueError(f"the peer does not cover {sorted(unknown)}; covered: {COVERED}")
    params = sql_parameters(Path(dataset_dir), start, end, tuple(groups))
    con = duckdb.connect()
    try:
        if threads is not None:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        for stmt in statements(params):
            t0 = time.perf_counter()
            con.execute(stmt)
            if timings is not None:
                name = _statement_name(stmt)
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
        labels = _values([(i, label) for i, label in enumerate(FINE_INTERVALS)])
        names = _values([(_key(g), g) for g in groups])
        table = con.sql(
            f"""
            SELECT m.month, c.municipality::SMALLINT AS municipality, g.name AS "group",
                   l.label AS interval, c.n0, c.n1, c.n2, c.n3, c.n4, c.n5plus, c.exempt,
                   c.interviews::BIGINT AS interviews
            FROM cells c
            JOIN mon m USING (mi)
            JOIN (VALUES {names}) g(grp, name) USING (grp)
            JOIN (VALUES {labels}) l(iv, label) USING (iv)
            ORDER BY m.month, municipality, "group", c.iv
            """
        ).to_arrow_table()
    finally:
        con.close()
    return _canonical(table)


def _canonical(table: pa.Table) -> pa.Table:
    """Plain types (date32, int16, string, int64) in ``COLUMNS`` order."""
    types = {"month": pa.date32(), "municipality": pa.int16()}
    types.update({"group": pa.string(), "interval": pa.string()})
    fields = [pa.field(c, types.get(c, pa.int64())) for c in COLUMNS]
    return table.select(list(COLUMNS)).cast(pa.schema(fields))


def engine_cells(cells: pa.Table, groups: Sequence[str] = COVERED) -> pa.Table:
    """The engine's cells restricted to what the peer covers, in the peer's layout and
    order: ``groups``, fine intervals, cells with any person."""
    import pyarrow.compute as pc

    from jobindsats.schema import FINE_INTERVALS

    t = _canonical(cells.select(list(COLUMNS)))
    keep = pc.and_(
        pc.is_in(t["group"], pa.array(list(groups))),
        pc.is_in(t["interval"], pa.array(list(FINE_INTERVALS))),
    )
    occupied = pc.greater(
        pc.add(
            pc.add(pc.add(t["n0"], t["n1"]), pc.add(t["n2"], t["n3"])),
            pc.add(pc.add(t["n4"], t["n5plus"]), t["exempt"]),
        ),
        0,
    )
    t = t.filter(pc.and_(keep, occupied))
    order = {label: i for i, label in enumerate(FINE_INTERVALS)}
    rank = pa.array([order[x] for x in t["interval"].to_pylist()], pa.int8())
    t = t.append_column("_iv", rank)
    t = t.sort_by([("month", "ascending"), ("municipality", "ascending"),
                   ("group", "ascending"), ("_iv", "ascending")])  # fmt: skip
    return t.drop_columns(["_iv"])


# --- side by side ------------------------------------------------------------------------

_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
which, bench_dir, path, start, end, out = sys.argv[1:7]
sys.path.insert(0, bench_dir)
import pyarrow.parquet as pq
if which == "peer":
    from peer_baseline import peer_cells
    timings = {}
    t1 = time.perf_counter()
    cells = peer_cells(path, start, end, timings=timings)
    t2 = time.perf_counter()
    extra = {"steps": timings}
else:
    import jobindsats
    t1 = time.perf_counter()
    m = jobindsats.measure(path, start, end, persons=False)  # cells, like the peer
    t2 = time.perf_counter()
    cells = m.cells
    extra = {"backend": m.backend, "rows": m.quality["population"]}
pq.write_table(cells, out)
print(json.dumps({"compute_s": t2 - t1, "import_s": t1 - t0, **extra}))
"""


def run_cold(which: str, path: Path, start: str, end: str, out: Path) -> dict:
    """One cold run (``peer`` or ``engine``) in a child process: wall time (whole process,
    Parquet reading included) and the child's own peak RSS (``wait4``)."""
    t0 = time.perf_counter()
    bench_dir = str(Path(__file__).resolve().parent)
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, which, bench_dir, str(path), start, end, str(out)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise RuntimeError(f"{which} child failed with status {status}")
    result = json.loads(text.strip().splitlines()[-1])
    result["wall_s"] = wall
    result["peak_rss_bytes"] = usage.ru_maxrss * 1024
    return result


def compare(peer: pa.Table, engine: pa.Table) -> str | None:
    """None when equal, else a description of the first difference."""
    if peer.equals(engine):
        return None
    keys = ("month", "municipality", "group", "interval")
    a = {tuple(r[k] for k in keys): r for r in peer.to_pylist()}
    b = {tuple(r[k] for k in keys): r for r in engine.to_pylist()}
    only_peer = sorted(set(a) - set(b), key=repr)
    only_engine = sorted(set(b) - set(a), key=repr)
    diff = sorted((k for k in set(a) & set(b) if a[k] != b[k]), key=repr)
    lines = [
        f"{peer.num_rows} peer cells, {engine.num_rows} engine cells; "
        f"{len(only_peer)} only in the peer, {len(only_engine)} only in the engine, "
        f"{len(diff)} differ"
    ]
    for k in only_peer[:3]:
        lines.append(f"  peer only:   {a[k]}")
    for k in only_engine[:3]:
        lines.append(f"  engine only: {b[k]}")
    for k in diff[:5]:
        lines.append(f"  peer:   {a[k]}\n  engine: {b[k]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import pyarrow.parquet as pq

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_measure import population, population_arguments

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser)
    parser.add_argument("--data", type=Path, help="an existing dataset directory instead")
    parser.add_argument("--repeat", type=int, default=1, help="cold runs of each (median)")
    args = parser.parse_args(argv)

    path = args.data if args.data is not None else population(args.persons, args.seed, args.cache)
    print(f"dataset {path}; months {args.start}..{args.end}; covered groups: {', '.join(COVERED)}")
    runs: dict[str, list[dict]] = {"engine": [], "peer": []}
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.repeat):
            for which in ("engine", "peer"):
                out = Path(tmp) / f"{which}.parquet"
                r = run_cold(which, path, args.start, args.end, out)
                runs[which].append(r)
                print(
                    f"run {k + 1}: {which:7} wall {r['wall_s']:7.1f} s  "
                    f"(compute {r['compute_s']:7.1f} s)  "
                    f"peak RSS {r['peak_rss_bytes'] / 2**30:5.2f} GiB"
                )
            peer = _canonical(pq.read_table(Path(tmp) / "peer.parquet"))
            engine = engine_cells(pq.read_table(Path(tmp) / "engine.parquet"))
            problems.append(compare(peer, engine))
    steps = runs["peer"][-1]["steps"]
    print("peer steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))
    wall = {w: statistics.median(r["wall_s"] for r in rs) for w, rs in runs.items()}
    rss = {w: max(r["peak_rss_bytes"] for r in rs) for w, rs in runs.items()}
    for w in ("engine", "peer"):
        print(f"{w:7} median wall {wall[w]:7.1f} s, peak RSS {rss[w] / 2**30:5.2f} GiB")
    print(
        f"peer / engine: wall {wall['peer'] / wall['engine']:.1f}x, "
        f"peak RSS {rss['peer'] / rss['engine']:.2f}x"
    )
    if all(p is None for p in problems):
        print(f"equal: {peer.num_rows:,} cells of the covered groups agree exactly in every run")
        return 0
    for k, problem in enumerate(problems):
        if problem is not None:
            print(f"run {k + 1} NOT EQUAL:\n{problem}")
    return 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
