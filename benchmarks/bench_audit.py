"""Benchmark: the focus audit (SPEC R45) beside ``measure`` on the same cached population.

Each run is a fresh process (cold, like a user's run) that reads the Parquet dataset and
either audits it (``jobindsats.audit``, one group over the seed's two one-year periods) or
measures it (``jobindsats.measure`` over ``--from``..``--to``), with the configuration's
threads. The runs take turns, round by round (this machine drifts over minutes), and the
medians are reported. Target (issue 17): the audit takes no longer than the measurement.

As a script (the figures quoted in docs/audit.md)::

    python benchmarks/bench_audit.py --persons 1000000 --from 2017-01 --to 2024-12

Under pytest-benchmark (small population, same code path)::

    python -m pytest benchmarks/bench_audit.py --benchmark-only
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_measure import CHILD, population, population_arguments, run_once

AUDIT_CHILD = r"""
import json, sys, time
import jobindsats
path, before, after, backend, threads, group = sys.argv[1:7]
t_import = time.perf_counter()
dataset = jobindsats.read_dataset(path, threads=int(threads))
t_read = time.perf_counter()
r = jobindsats.audit(dataset, group, [before, after], backend=backend, threads=int(threads))
t_audit = time.perf_counter()
print(json.dumps({
    "read_s": t_read - t_import, "compute_s": t_audit - t_read,
    "read_and_compute_s": t_audit - t_import,
    "weeks": sum(x["benefit_weeks"] for x in r.intensity.to_pylist()
                 if x["municipality"] == 0 and x["seniority"] == "all"),
    "change_rows": r.change.num_rows,
}))
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser)
    parser.add_argument("--group", default="dagpenge")
    parser.add_argument("--before", default="2019-01-01:2019-12-31")
    parser.add_argument("--after", default="2021-09-01:2022-08-31")
    parser.add_argument("--backends", default="cpp")
    parser.add_argument("--threads", default="2")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median)")
    args = parser.parse_args(argv)

    path = population(args.persons, args.seed, args.cache)
    print(f"population: {args.persons:,} persons, {path}")
    print(f"audit: {args.group}, {args.before} vs {args.after}; measure: {args.start}..{args.end}")
    # warm the Numba caches once so compile time is not measured
    if "numba" in args.backends.split(","):
        run_once(path, args.before, args.after, "numba", 1, AUDIT_CHILD, (args.group,))
        run_once(path, args.start, args.start, "numba", 1)
    configs = [
        (what, backend, threads)
        for backend in args.backends.split(",")
        for threads in map(int, args.threads.split(","))
        for what in ("audit", "measure")
    ]
    runs: dict[tuple[str, str, int], list[dict]] = {c: [] for c in configs}
    for round_ in range(args.repeat):
        for what, backend, threads in configs:
            if what == "audit":
                r = run_once(path, args.before, args.after, backend, threads, AUDIT_CHILD,
                             (args.group,))  # fmt: skip
            else:
                r = run_once(path, args.start, args.end, backend, threads, CHILD)
                r["compute_s"] = r["measure_s"]
            runs[(what, backend, threads)].append(r)
            print(f"  round {round_ + 1}: {what} {backend} {threads} thread(s): "
                  f"{r['wall_s']:.1f} s", flush=True)  # fmt: skip
    print(f"{'run':8} {'backend':8} {'threads':>7} {'wall s':>8} {'read s':>7} {'compute s':>9} "
          f"{'user s':>7} {'peak RSS GiB':>12}")  # fmt: skip
    for (what, backend, threads), rs in runs.items():
        med = {k: statistics.median(r[k] for r in rs) for k in
               ("wall_s", "read_s", "compute_s", "user_s")}  # fmt: skip
        peak = max(r["peak_rss_bytes"] for r in rs) / 2**30
        print(f"{what:8} {backend:8} {threads:>7} {med['wall_s']:8.1f} {med['read_s']:7.1f} "
              f"{med['compute_s']:9.1f} {med['user_s']:7.1f} {peak:12.2f}")  # fmt: skip
    for backend in args.backends.split(","):
        for threads in map(int, args.threads.split(",")):
            audit = statistics.median(r["wall_s"] for r in runs[("audit", backend, threads)])
            measure = statistics.median(r["wall_s"] for r in runs[("measure", backend, threads)])
            print(f"{backend}, {threads} thread(s): audit / measure = {audit / measure:.2f} "
                  "(median wall)")  # fmt: skip


def test_audit_small_population(benchmark, tmp_path):  # pragma: no cover - benchmark
    """pytest-benchmark: audit 20,000 persons, dagpenge, the seed's two periods."""
    import jobindsats

    path = population(20_000, 1, tmp_path)
    dataset = jobindsats.read_dataset(path)
    r = benchmark(jobindsats.audit, dataset, "dagpenge",
                  ["2019-01-01:2019-12-31", "2021-09-01:2022-08-31"], backend="auto")  # fmt: skip
    assert r.intensity.num_rows > 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
