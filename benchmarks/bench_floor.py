"""Benchmark: the floor under the peer ratio, the time it takes merely to decode the input.

The peer comparison (``peer_baseline.py``) times whole cold processes, Parquet reading
included, on both sides. However fast the engine's kernel, an engine run cannot take less
than decoding the dataset's Parquet files. This script times, in cold child processes
that take turns round by round (this machine drifts over minutes):

- ``decode``: ``pyarrow.parquet.ParquetFile(...).read()`` of every table of the dataset,
  every column, on pyarrow's threads, and nothing else (each table is dropped once read);
- ``engine``: ``jobindsats.read_dataset`` (decoding, validation, the kernel's columns)
  and ``measure(..., persons=False)``, the engine side of the peer comparison (the
  child of ``bench_measure.py``, which also reports its reading time).

It prints the medians, and with ``--peer-seconds S`` the time a ratio of ``--ratio``
(default 30) against a peer taking S seconds would allow::

    python benchmarks/bench_floor.py --persons 1000000 --from 2017-01 --to 2024-12 --repeat 5 --peer-seconds 52.9
"""

from __future__ import annotations

import argparse
import os
import statistics

from bench_measure import CHILD, population, population_arguments, run_once

# argv = path, start, end, backend, threads (as bench_measure's child); one JSON line.
DECODE = r"""
import glob, json, os, sys, time
t0 = time.perf_counter()
import pyarrow as pa, pyarrow.parquet as pq
path, start, end, backend, threads = sys.argv[1:6]
pa.set_cpu_count(int(threads))
t1 = time.perf_counter()
n_rows = n_bytes = 0
files = sorted(glob.glob(os.path.join(path, "*.parquet")))
if not files:
    raise SystemExit(f"no <table>.parquet files in {path}")
for f in files:
    # ParquetFile.read, not read_table: the latter loads pyarrow.dataset and pandas
    table = pq.ParquetFile(f).read(use_threads=int(threads) > 1)
    n_rows += table.num_rows
    n_bytes += table.nbytes
    del table
t2 = time.perf_counter()
print(json.dumps({"read_s": t2 - t1, "rows": n_rows, "arrow_bytes": n_bytes}))
"""

#: step -> (child script, its extra arguments)
STEPS = {"decode": (DECODE, ()), "engine": (CHILD, ("0",))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5, help="rounds (medians are printed)")
    parser.add_argument("--steps", default=",".join(STEPS), help="of " + ",".join(STEPS))
    parser.add_argument("--peer-seconds", type=float, default=None,
                        help="the peer's median wall time, from peer_baseline.py")  # fmt: skip
    parser.add_argument("--ratio", type=float, default=30.0)
    args = parser.parse_args(argv)
    steps = args.steps.split(",")
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps {unknown}; choose from {list(STEPS)}")

    path = population(args.persons, args.seed, args.cache)
    print(f"population: {args.persons:,} persons, {path}; {args.threads} thread(s)")
    runs: dict[str, list[dict]] = {s: [] for s in steps}
    for round_ in range(args.repeat):
        for step in steps:
            child, extra = STEPS[step]
            r = run_once(path, args.start, args.end, "cpp", args.threads, child, extra)
            runs[step].append(r)
            print(f"  round {round_ + 1}: {step}: {r['wall_s']:.2f} s (user {r['user_s']:.1f} s, "
                  f"system {r['sys_s']:.1f} s)", flush=True)  # fmt: skip
    # read: decoding alone (decode), reading and validating into the kernel's columns
    # (engine); measure: the rest of the engine's run
    print(f"{'step':8} {'wall s':>7} {'read s':>7} {'measure s':>9} {'user s':>7} {'sys s':>6} "
          f"{'peak RSS GiB':>12}")  # fmt: skip
    walls = {}
    for step, rs in runs.items():
        walls[step] = statistics.median(r["wall_s"] for r in rs)
        read = statistics.median(r["read_s"] for r in rs)
        meas = statistics.median(r.get("measure_s", 0.0) for r in rs)
        user = statistics.median(r["user_s"] for r in rs)
        system = statistics.median(r["sys_s"] for r in rs)
        peak = max(r["peak_rss_bytes"] for r in rs) / 2**30
        print(f"{step:8} {walls[step]:7.2f} {read:7.2f} {meas:9.2f} {user:7.2f} {system:6.2f} "
              f"{peak:12.2f}")  # fmt: skip
    if args.peer_seconds is not None:
        budget = args.peer_seconds / args.ratio
        print(f"{args.ratio:g}x against a peer of {args.peer_seconds:g} s allows {budget:.2f} s "
              "for the whole engine process")  # fmt: skip
        for step, wall in walls.items():
            print(f"  {step}: {wall:.2f} s, {wall / budget:.1f}x that budget; "
                  f"peer / {step} = {args.peer_seconds / wall:.1f}x")  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
