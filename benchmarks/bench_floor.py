"""Benchmark: the engine against the floor, the cost of merely reading its input (issue 16).

The **floor** is, for every table of the dataset, one call::

    pq.ParquetFile(path, read_dictionary=<its string columns>).read(columns=<the columns the engine reads>)

on pyarrow's threads and nothing more: string columns decoded as dictionaries (as the
engine reads them), only the canonical columns the engine reads, every table held until
the end (the engine too holds its whole input). The child imports pyarrow only.

Against it, in fresh child processes that take turns round by round (this machine is
shared and drifts over minutes; medians over ``--repeat`` rounds):

- ``cells``: ``measure(path, ..., persons=False)`` (bench_measure's child: the reading it does is timed apart);
- ``persons``: the same with the R47 person rows;
- ``read``: ``read_dataset`` alone (with ``--steps``; not a target, a diagnosis);
- ``floor-jemalloc``: the floor on the memory pool ``read_dataset`` decodes with (with
  ``--steps``; pyarrow's default pool, mimalloc, may cost the floor seconds of system
  time on this machine class, see docs/reading.md);
- ``kernel``: the compiled kernel alone, input read once and in memory
  (``bench_threads.kernel_seconds``: as ``measure`` calls it, cells only, the finish
  included), on 1 thread and on ``--threads`` (with ``--steps``);
- ``peer``: the DuckDB peer (``benchmarks/peer_sql``, ``peer_baseline.peer_cells``): the
  day-counted groups' cells in SQL from the same Parquet files (with ``--steps``).

Each step runs on the population as written (sorted by person, as ``jobindsats synth``
and most register extracts write it) and on a **shuffled** copy, every file's rows in a
random order, written once beside the population (``<population>-shuffled``). The
targets of issue 16 are printed with the ratios of median wall times: cells ≤ 2.5×
floor, persons ≤ 3.5× floor, peak RSS ≤ 1.5× the floor process's peak, shuffled ≤ 1.5×
sorted; beside them the same ratios of CPU time (user + system), which a machine shared
with other work disturbs less than wall time::

    python benchmarks/bench_floor.py --data /work/pop1m --threads 2 --repeat 5

This machine drifts by 10 % and more between sittings, so a change is best judged
against the code before it in the same sitting: ``--against PYTHON`` runs the engine's
steps (cells, persons, read, kernel) also with another interpreter that has the other
version installed (a second virtual environment), the two taking turns in every round
(ABBA), and prints each step's medians side by side::

    python benchmarks/bench_floor.py --data DATA --steps cells,persons,kernel --inputs sorted --repeat 4 --against ../before/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from bench_measure import CHILD, population, population_arguments, run_once

# argv = path, start, end, backend, threads, then a JSON {file: [columns, dictionary
# columns]} (the parent works the columns out, so this child imports pyarrow alone).
FLOOR = r"""
import json, os, sys, time
t0 = time.perf_counter()
import pyarrow as pa, pyarrow.parquet as pq
path, start, end, backend, threads = sys.argv[1:6]
plan = json.loads(sys.argv[6])
pa.set_cpu_count(int(threads))
t1 = time.perf_counter()
tables = []  # held to the end, as the engine holds its input
for name, (columns, dictionary) in plan.items():
    f = pq.ParquetFile(os.path.join(path, name), read_dictionary=dictionary)
    tables.append(f.read(columns=columns, use_threads=int(threads) > 1))
t2 = time.perf_counter()
print(json.dumps({"read_s": t2 - t1, "rows": sum(t.num_rows for t in tables),
                  "arrow_bytes": sum(t.nbytes for t in tables)}))
"""

#: The floor on jemalloc, the pool ``read_dataset`` decodes with (``io.reading_memory_pool``):
#: pyarrow's default, mimalloc, here hands freed batch memory back and faults it in
#: again as zeroed huge pages, which can cost the floor seconds of system time.
FLOOR_JEMALLOC = FLOOR.replace(
    "pa.set_cpu_count(int(threads))",
    "pa.set_cpu_count(int(threads)); pa.set_memory_pool(pa.jemalloc_memory_pool())",
)

READ = r"""
import json, sys, time
import jobindsats
path, start, end, backend, threads = sys.argv[1:6]
t0 = time.perf_counter()
dataset = jobindsats.read_dataset(path, threads=int(threads))
print(json.dumps({"read_s": time.perf_counter() - t0}))
"""

BENCHMARKS = str(Path(__file__).resolve().parent)

#: The compiled kernel alone (bench_threads.kernel_seconds: as measure() calls it, cells
#: only, the finish included), input read once and in memory: on 1 thread, then on the
#: run's threads.
KERNEL = r"""
import json, sys, time
import jobindsats
path, start, end, backend, threads = sys.argv[1:6]
sys.path.insert(0, sys.argv[6])
from bench_threads import kernel_seconds
t0 = time.perf_counter()
dataset = jobindsats.read_dataset(path, threads=int(threads))
t1 = time.perf_counter()
one = kernel_seconds(dataset, start, end, 1, False)
many = kernel_seconds(dataset, start, end, int(threads), False)
print(json.dumps({"read_s": t1 - t0, "kernel_1_s": one, "kernel_s": many}))
"""

#: The DuckDB peer (benchmarks/peer_sql, peer_baseline.peer_cells): the day-counted
#: groups' cells in SQL, reading the same Parquet files, on DuckDB's own threads.
PEER = r"""
import json, sys, time
path, start, end, backend, threads = sys.argv[1:6]
sys.path.insert(0, sys.argv[6])
from peer_baseline import peer_cells
t0 = time.perf_counter()
cells = peer_cells(path, start, end, threads=int(threads))
print(json.dumps({"read_s": 0.0, "cells": cells.num_rows, "peer_s": time.perf_counter() - t0}))
"""

#: step -> (child script, whether it takes the floor's plan, extra arguments)
STEPS = {
    "floor": (FLOOR, True, ()),
    "floor-jemalloc": (FLOOR_JEMALLOC, True, ()),
    "cells": (CHILD, False, ("0",)),
    "persons": (CHILD, False, ("1",)),
    "read": (READ, False, ()),
    "kernel": (KERNEL, False, (BENCHMARKS,)),
    "peer": (PEER, False, (BENCHMARKS,)),
}
#: The steps that run the engine (``--against`` runs them with both interpreters).
ENGINE_STEPS = ("cells", "persons", "read", "kernel")
#: issue 16's targets: (step, against, at most this ratio)
TARGETS = (("cells", "floor", 2.5), ("persons", "floor", 3.5))
RSS_TARGET = 1.5
SHUFFLED_TARGET = 1.5


def floor_plan(path: Path) -> dict[str, list[list[str]]]:
    """Per ``<table>.parquet`` of the dataset: the canonical columns present in the file
    (those the engine reads) and which of them are strings (read as dictionaries)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from jobindsats.schema import TABLES

    plan = {}
    for name, spec in TABLES.items():
        file = path / f"{name}.parquet"
        if not file.exists():
            continue
        schema = pq.read_schema(file)
        columns = [c.name for c in spec.columns if c.name in schema.names]
        strings = [
            c
            for c in columns
            if pa.types.is_string(schema.field(c).type)
            or pa.types.is_large_string(schema.field(c).type)
        ]
        plan[file.name] = [columns, strings]
    return plan


def shuffled_copy(path: Path, seed: int = 16) -> Path:
    """``<path>-shuffled``: every ``<table>.parquet`` of ``path`` with its rows in a
    random order (the same zstd compression), written once and reused."""
    import numpy as np
    import pyarrow.parquet as pq

    out = path.with_name(path.name + "-shuffled")
    done = out / ".complete"
    if done.exists():
        return out
    out.mkdir(exist_ok=True)
    rng = np.random.default_rng(seed)
    for file in sorted(path.glob("*.parquet")):
        table = pq.read_table(file)
        table = table.take(rng.permutation(table.num_rows))
        pq.write_table(table, out / file.name, compression="zstd")
        del table
    done.touch()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser)
    parser.add_argument("--data", type=Path, default=None,
                        help="an existing dataset directory (else the cached population)")  # fmt: skip
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5, help="rounds (medians are printed)")
    parser.add_argument("--steps", default="floor,cells,persons", help="of " + ",".join(STEPS))
    parser.add_argument("--inputs", default="sorted,shuffled", help="of sorted,shuffled")
    parser.add_argument("--against", default=None, metavar="PYTHON",
                        help="also run the engine's steps with this interpreter (another "
                             "installed version), taking turns; print both")  # fmt: skip
    args = parser.parse_args(argv)
    steps = args.steps.split(",")
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps {unknown}; choose from {list(STEPS)}")

    path = args.data or population(args.persons, args.seed, args.cache)
    paths = {"sorted": path}
    if "shuffled" in args.inputs.split(","):
        paths["shuffled"] = shuffled_copy(path)
    if "sorted" not in args.inputs.split(","):
        del paths["sorted"]
    plans = {name: json.dumps(floor_plan(p)) for name, p in paths.items()}
    print(f"population: {path}; months {args.start}..{args.end}; {args.threads} thread(s); "
          f"{args.repeat} rounds; load before: {os.getloadavg()[0]:.2f}")  # fmt: skip
    runs: dict[tuple[str, str], list[dict]] = {(i, s): [] for i in paths for s in steps}
    other: dict[tuple[str, str], list[dict]] = {  # (--against's runs)
        key: [] for key in runs if args.against and key[1] in ENGINE_STEPS
    }
    loads = []
    for round_ in range(args.repeat):
        for (inp, step), rs in runs.items():
            child, takes_plan, extra = STEPS[step]
            extra = (plans[inp],) if takes_plan else extra
            # (with --against: this version first in even rounds, the other in odd ones)
            pythons = [(sys.executable, rs, "")]
            if (inp, step) in other:
                pythons.append((args.against, other[(inp, step)], " (against)"))
                pythons = pythons[:: 1 if round_ % 2 == 0 else -1]
            for python, into, which in pythons:
                r = run_once(paths[inp], args.start, args.end, "cpp", args.threads, child,
                             extra, python)  # fmt: skip
                into.append(r)
                loads.append(os.getloadavg()[0])
                print(f"  round {round_ + 1}: {inp:8} {step:8} {r['wall_s']:6.2f} s "
                      f"(user {r['user_s']:.1f} s, system {r['sys_s']:.1f} s, "
                      f"peak {r['peak_rss_bytes'] / 2**30:.2f} GiB){which}", flush=True)  # fmt: skip
    print(f"load average (1 min) during the runs: median {statistics.median(loads):.2f}, "
          f"max {max(loads):.2f} (2 cores)")  # fmt: skip
    print(f"{'input':8} {'step':8} {'wall s':>7} {'read s':>7} {'user s':>7} {'sys s':>6} "
          f"{'peak RSS GiB':>12}")  # fmt: skip
    wall: dict[tuple[str, str], float] = {}
    cpu: dict[tuple[str, str], float] = {}
    rss: dict[tuple[str, str], float] = {}
    for key, rs in runs.items():
        wall[key] = statistics.median(r["wall_s"] for r in rs)
        cpu[key] = statistics.median(r["user_s"] + r["sys_s"] for r in rs)
        rss[key] = statistics.median(r["peak_rss_bytes"] for r in rs) / 2**30
        read = statistics.median(r["read_s"] for r in rs)
        user = statistics.median(r["user_s"] for r in rs)
        system = statistics.median(r["sys_s"] for r in rs)
        print(f"{key[0]:8} {key[1]:8} {wall[key]:7.2f} {read:7.2f} {user:7.2f} {system:6.2f} "
              f"{rss[key]:12.2f}")  # fmt: skip
    print("ratios (medians) against the targets of issue 16:")
    for inp in paths:
        kernel = runs.get((inp, "kernel"), [])
        if kernel:
            one = statistics.median(r["kernel_1_s"] for r in kernel)
            many = statistics.median(r["kernel_s"] for r in kernel)
            print(f"  {inp:8} kernel alone (cells only, input in memory): 1 thread {one:.2f} s, "
                  f"{args.threads} threads {many:.2f} s ({one / many:.2f}x; target <= 1.0 s: "
                  f"{'met' if many <= 1.0 else 'NOT met'})")  # fmt: skip
        if (inp, "peer") in wall and (inp, "cells") in wall:
            print(f"  {inp:8} DuckDB peer / cells wall: "
                  f"{wall[(inp, 'peer')] / wall[(inp, 'cells')]:5.2f}x")  # fmt: skip
        for step, against, target in TARGETS:
            if (inp, step) in wall and (inp, against) in wall:
                ratio = wall[(inp, step)] / wall[(inp, against)]
                by_cpu = cpu[(inp, step)] / cpu[(inp, against)]
                print(f"  {inp:8} {step} / {against} wall: {ratio:5.2f}x "
                      f"(target <= {target}x: {'met' if ratio <= target else 'NOT met'}); "
                      f"CPU time (user + system): {by_cpu:5.2f}x")  # fmt: skip
        for step in ("cells", "persons"):
            if (inp, step) in rss and (inp, "floor") in rss:
                ratio = rss[(inp, step)] / rss[(inp, "floor")]
                print(f"  {inp:8} {step} / floor peak RSS: {ratio:5.2f}x "
                      f"(target <= {RSS_TARGET}x: {'met' if ratio <= RSS_TARGET else 'NOT met'})")  # fmt: skip
    if other:
        print(f"this version against {args.against} (medians, same rounds):")
        for key, theirs in other.items():
            ours = runs[key]
            field = "kernel_s" if key[1] == "kernel" else "wall_s"
            a = statistics.median(r[field] for r in theirs)
            b = statistics.median(r[field] for r in ours)
            print(f"  {key[0]:8} {key[1]:8} {a:6.2f} s -> {b:6.2f} s ({b / a:5.2f}x); peak "
                  f"{statistics.median(r['peak_rss_bytes'] for r in theirs) / 2**30:.2f} -> "
                  f"{rss[key]:.2f} GiB")  # fmt: skip
    if len(paths) == 2:
        for step in steps:
            ratio = wall[("shuffled", step)] / wall[("sorted", step)]
            by_cpu = cpu[("shuffled", step)] / cpu[("sorted", step)]
            target = f" (target <= {SHUFFLED_TARGET}x: " + (
                "met)" if ratio <= SHUFFLED_TARGET else "NOT met)"
            )
            print(f"  shuffled / sorted {step}: {ratio:5.2f}x"
                  f"{target if step in ('cells', 'persons') else ''}; CPU time {by_cpu:5.2f}x")  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
