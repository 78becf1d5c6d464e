"""Benchmark: ``measure`` on a synthetic population, cpp and numba backends, 1 and 2 threads.

Each configuration runs in a fresh process (cold, like a user's run) that measures the
Parquet dataset as a user does, ``measure(path, ...)`` (which reads it and keeps only what
the kernel needs), with the configuration's threads (one thread means
one thread throughout, Parquet decoding included); the parent records wall time (Parquet
reading included), person-months per second and the child's peak resident memory, next
to the dataset's in-memory Arrow size. The configurations take turns, round by round, and
the medians over the rounds are reported, with the 1-to-2-thread speed-up.

As a script (the figures quoted in the README)::

    python benchmarks/bench_measure.py --persons 1000000 --from 2017-01 --to 2024-12

Under pytest-benchmark (small population, same code path)::

    python -m pytest benchmarks/bench_measure.py --benchmark-only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import jobindsats
import jobindsats.dataset
path, start, end, backend, threads = sys.argv[1:6]
persons = sys.argv[6:7] != ["0"]  # an optional "0": cells only (persons=False)
# measure(path), as a user runs it (it reads the dataset itself and keeps only what the
# kernel needs); the reading it does is timed by wrapping read_dataset
read, seen = jobindsats.dataset.read_dataset, {}
def timed_read(*args, **kwargs):
    t = time.perf_counter()
    dataset = read(*args, **kwargs)
    seen.update(read_s=time.perf_counter() - t, n_persons=int(dataset.n_persons),
                arrow_bytes=sum(t.nbytes for t in dataset.tables.values()))
    return dataset
jobindsats.dataset.read_dataset = timed_read
t_import = time.perf_counter()
m = jobindsats.measure(path, start, end, backend=backend, threads=int(threads),
                       persons=persons)
t_measure = time.perf_counter()
print(json.dumps({
    "read_s": seen["read_s"], "measure_s": t_measure - t_import - seen["read_s"],
    "read_and_measure_s": t_measure - t_import, "arrow_bytes": seen["arrow_bytes"],
    "person_months": seen["n_persons"] * int(m.cells["month"].unique().__len__() or 0),
    "rows": m.persons.num_rows, "cells": m.cells.num_rows,
    "conserved": m.quality["conserved"],
}))
"""


def population(persons: int, seed: int, cache: Path) -> Path:
    """A cached synthetic population (generated once per size and seed)."""
    from jobindsats.synth import synthesize

    out = cache / f"pop-{persons}-seed{seed}"
    if not (out / "benefits.parquet").exists():
        synthesize(out, persons=persons, seed=seed, start="2016-01-01", end="2024-12-31")
    return out


def run_once(
    path: Path,
    start: str,
    end: str,
    backend: str,
    threads: int,
    child: str = CHILD,
    extra: tuple[str, ...] = (),
    python: str = sys.executable,
) -> dict:
    """One cold run of ``child`` (a script printing a JSON line; its arguments are path,
    start, end, backend, threads and ``extra``) in a child process of ``python`` (default:
    this interpreter); adds wall time and that child's peak RSS."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [python, "-c", child, str(path), start, end, backend, str(threads), *extra],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
    wall = time.perf_counter() - t0
    if status != 0:
        raise RuntimeError(f"benchmark child failed with status {status}")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_s"] = wall
    result["peak_rss_bytes"] = usage.ru_maxrss * 1024
    # CPU time of the child's threads: user (our work) and system (the kernel's, mostly
    # first touches of fresh memory, which vary a lot on this virtual machine)
    result["user_s"] = usage.ru_utime
    result["sys_s"] = usage.ru_stime
    return result


def months_between(start: str, end: str) -> int:
    y0, m0 = map(int, start.split("-"))
    y1, m1 = map(int, end.split("-"))
    return (y1 - y0) * 12 + (m1 - m0) + 1


def population_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of every benchmark on a cached synthetic population: ``--persons``,
    ``--seed``, ``--cache`` (see :func:`population`) and the measured months ``--from``
    and ``--to``."""
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--from", dest="start", default="2017-01")
    parser.add_argument("--to", dest="end", default="2024-12")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "jobindsats-bench"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser)
    parser.add_argument("--backends", default="cpp,numba")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds; each runs every configuration once (median)"
    )
    args = parser.parse_args(argv)

    path = population(args.persons, args.seed, args.cache)
    n_months = months_between(args.start, args.end)
    print(
        f"population: {args.persons:,} persons, {path}; months {args.start}..{args.end} ({n_months})"
    )
    # warm the Numba cache once so compile time is not measured
    run_once(path, args.start, args.start, "numba", 1)
    header = f"{'backend':8} {'threads':>7} {'wall s':>8} {'read s':>7} {'measure s':>9} {'user s':>7} {'sys s':>6} {'Mperson-months/s':>17} {'peak RSS GiB':>12} {'Arrow GiB':>9}"
    configs = [
        (backend, threads)
        for backend in args.backends.split(",")
        for threads in map(int, args.threads.split(","))
    ]
    # Round by round, every configuration once per round: this machine's speed drifts
    # over minutes, and interleaving spreads the drift over all configurations alike.
    runs: dict[tuple[str, int], list[dict]] = {c: [] for c in configs}
    for round_ in range(args.repeat):
        for backend, threads in configs:
            r = run_once(path, args.start, args.end, backend, threads)
            runs[(backend, threads)].append(r)
            print(f"  round {round_ + 1}: {backend} {threads} thread(s): {r['wall_s']:.1f} s "
                  f"(user {r['user_s']:.1f} s, system {r['sys_s']:.1f} s)", flush=True)  # fmt: skip
    print(header)
    for (backend, threads), rs in runs.items():
        wall = statistics.median(r["wall_s"] for r in rs)
        read = statistics.median(r["read_s"] for r in rs)
        meas = statistics.median(r["measure_s"] for r in rs)
        rate = args.persons * n_months / statistics.median(r["read_and_measure_s"] for r in rs)
        user = statistics.median(r["user_s"] for r in rs)
        system = statistics.median(r["sys_s"] for r in rs)
        peak = max(r["peak_rss_bytes"] for r in rs) / 2**30
        arrow = rs[0]["arrow_bytes"] / 2**30
        assert all(r["conserved"] for r in rs)
        print(
            f"{backend:8} {threads:>7} {wall:8.1f} {read:7.1f} {meas:9.1f} {user:7.1f} {system:6.1f} {rate / 1e6:17.1f} {peak:12.2f} {arrow:9.2f}"
        )
    for backend in args.backends.split(","):
        if (backend, 1) in runs and (backend, 2) in runs:
            one = statistics.median(r["wall_s"] for r in runs[(backend, 1)])
            two = statistics.median(r["wall_s"] for r in runs[(backend, 2)])
            print(f"{backend}: 2 threads are {one / two:.2f}x as fast as 1 (median wall)")


def test_measure_small_population(benchmark, tmp_path):  # pragma: no cover - benchmark
    """pytest-benchmark: measure 20,000 persons × 24 months with the cpp backend."""
    import jobindsats

    path = population(20_000, 1, tmp_path)
    dataset = jobindsats.read_dataset(path)
    m = benchmark(jobindsats.measure, dataset, "2023-01", "2024-12", backend="auto")
    assert m.quality["conserved"]


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
