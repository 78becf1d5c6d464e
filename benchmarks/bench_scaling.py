"""Scaling curves: wall time and peak memory of ``measure`` against persons and months.

Every configuration is one cold run in a fresh process (like a user's run, Parquet
reading included); the parent records the wall time and the child's own peak resident
memory (``wait4`` rusage), as ``bench_measure.py`` does. The grid:

* **persons sweep** at the longest period (default 120 months, 2015-01..2024-12):
  10k, 100k, 1M and 3M persons;
* **months sweep** at 1M persons: 12, 48 and 120 months, all ending 2024-12;
* each point with ``backend="cpp"`` and ``"numba"``, 1 and 2 threads. Numba is capped at
  1M persons (``--numba-max-persons``): a 3M-person Numba run would take ~15 minutes per
  thread setting on this 2-core machine and says nothing the 1M point does not.

Populations are generated once with ``jobindsats synth`` (seed 1, data 2014-01-01 ..
2024-12-31, so that the 120 measured months have their 12-month look-back) into a cache
directory. From 3M persons on (``--bucket-from``) the population is written with
``--buckets 16`` and measured bucket by bucket by the streaming path,
``jobindsats.measure(path, start, end, backend=..., threads=..., persons=False)``; the
persons sweep also measures the 1M population that way (``--bucketed-also``), so the
streamed points connect to the in-memory ones. When the installed ``jobindsats.measure``
does not accept ``persons=`` yet, the bucketed configurations are skipped with a message.

Results are appended as JSON lines to ``--results`` (one line per run); configurations
already there are skipped, so an interrupted run resumes where it stopped. Then::

    python benchmarks/bench_scaling.py                 # the full grid (~30 min, quiet machine)
    python benchmarks/bench_scaling.py --quick         # a tiny grid for smoke testing (~1 min)
    python benchmarks/plot_scaling.py benchmarks/results/scaling.jsonl   # docs/img/scaling.png
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_measure import months_between, run_once

ROOT = Path(__file__).resolve().parents[1]
DATA_START, DATA_END = "2014-01-01", "2024-12-31"
LAST_MONTH = "2024-12"
BACKENDS = ("cpp", "numba")

STREAM_CHILD = r"""
import json, sys, time
import jobindsats
path, start, end, backend, threads = sys.argv[1:6]
t0 = time.perf_counter()
m = jobindsats.measure(path, start, end, backend=backend, threads=int(threads), persons=False)
t1 = time.perf_counter()
print(json.dumps({
    "read_and_measure_s": t1 - t0, "cells": m.cells.num_rows,
    "conserved": bool(m.quality["conserved"]), "population": int(m.quality["population"]),
}))
"""


@dataclass(frozen=True, order=True)
class Config:
    persons: int
    months: int
    backend: str
    threads: int
    buckets: int  # 0: one file per table, read whole; K: bucketed, streamed

    @property
    def start(self) -> str:
        y, m = map(int, LAST_MONTH.split("-"))
        first = y * 12 + m - 1 - (self.months - 1)
        return f"{first // 12:04d}-{first % 12 + 1:02d}"

    @property
    def layout(self) -> str:
        return f"buckets{self.buckets}" if self.buckets else "plain"

    def label(self) -> str:
        return (
            f"{self.persons:>9,} persons {self.months:>3} months {self.backend:5} "
            f"{self.threads}t {self.layout}"
        )


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x]


def grid(args: argparse.Namespace) -> list[Config]:
    """The configurations to measure, cheapest first (partial results are useful)."""
    months_max = max(args.months)
    points = {(p, months_max) for p in args.persons}
    points |= {(args.months_sweep_persons, m) for m in args.months}
    configs: set[Config] = set()
    for persons, months in points:
        buckets = args.buckets if persons >= args.bucket_from else 0
        for backend in args.backends:
            if backend == "numba" and persons > args.numba_max_persons:
                continue
            for threads in args.threads:
                configs.add(Config(persons, months, backend, threads, buckets))
    for persons in args.bucketed_also:
        for threads in args.threads:
            configs.add(Config(persons, months_max, "cpp", threads, args.buckets))
    return sorted(configs, key=lambda c: (c.persons * c.months, c.buckets, c.backend, c.threads))


def population(persons: int, buckets: int, seed: int, cache: Path) -> Path:
    """The cached population, generated once with ``jobindsats synth`` (written to a
    temporary name first, so an interrupted generation is never reused)."""
    name = f"scaling-{persons}-seed{seed}-{DATA_START[:4]}-{DATA_END[:4]}"
    out = cache / (f"{name}-b{buckets}" if buckets else name)
    if out.exists():
        return out
    tmp = cache / f"{out.name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [sys.executable, "-m", "jobindsats", "synth", str(tmp), "--persons", str(persons)]
    cmd += ["--seed", str(seed), "--start", DATA_START, "--end", DATA_END]
    if buckets:
        cmd += ["--buckets", str(buckets)]
    print(f"generating {out} ...", flush=True)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    tmp.rename(out)
    print(f"  {time.perf_counter() - t0:.1f} s", flush=True)
    return out


def run_streaming(path: Path, start: str, end: str, backend: str, threads: int) -> dict:
    """One cold run of the streaming path in a child process (wall time, peak RSS)."""
    return run_once(path, start, end, backend, threads, child=STREAM_CHILD)


def streaming_supported() -> bool:
    import jobindsats

    return "persons" in inspect.signature(jobindsats.measure).parameters


def _key(record: dict) -> tuple:
    return tuple(record.get(k) for k in ("persons", "months", "backend", "threads", "buckets"))


def load(results: Path, seed: int) -> tuple[dict[tuple, int], set[tuple]]:
    """Successful runs per configuration, and configurations that failed."""
    done: dict[tuple, int] = {}
    failed: set[tuple] = set()
    if results.exists():
        for line in results.read_text().splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("seed") != seed:
                continue
            if "error" in r:
                failed.add(_key(r))
            else:
                done[_key(r)] = done.get(_key(r), 0) + 1
    return done, failed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawTextHelpFormatter
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="tiny grid: 10k, 100k persons; 12, 48 months (smoke test)",
    )
    p.add_argument("--persons", type=_ints, default=None, help="persons sweep (default 10k..3M)")
    p.add_argument("--months", type=_ints, default=None, help="months sweep (default 12,48,120)")
    p.add_argument("--months-sweep-persons", type=int, default=None, help="default 1000000")
    p.add_argument("--backends", type=lambda s: s.split(","), default=list(BACKENDS))
    p.add_argument("--threads", type=_ints, default=[1, 2])
    p.add_argument("--numba-max-persons", type=int, default=1_000_000)
    p.add_argument("--buckets", type=int, default=16, help="buckets of the large populations")
    p.add_argument(
        "--bucket-from",
        type=int,
        default=3_000_000,
        help="populations this large are bucketed and streamed",
    )
    p.add_argument(
        "--bucketed-also",
        type=_ints,
        default=None,
        help="also stream these persons bucketed (cpp; default 1000000)",
    )
    p.add_argument("--repeat", type=int, default=1, help="runs per configuration")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "jobindsats-bench")
    p.add_argument(
        "--results",
        type=Path,
        default=None,
        help="JSON lines (default benchmarks/results/scaling.jsonl; "
        "--quick: <cache>/scaling-quick.jsonl)",
    )
    p.add_argument("--retry-errors", action="store_true", help="rerun configurations that failed")
    p.add_argument("--list", action="store_true", help="print the grid and exit")
    args = p.parse_args(argv)
    if args.quick:
        defaults = {
            "persons": [10_000, 100_000],
            "months": [12, 48],
            "months_sweep_persons": 100_000,
            "bucketed_also": [100_000],
        }
        if args.results is None:
            args.results = args.cache / "scaling-quick.jsonl"
    else:
        defaults = {
            "persons": [10_000, 100_000, 1_000_000, 3_000_000],
            "months": [12, 48, 120],
            "months_sweep_persons": 1_000_000,
            "bucketed_also": [1_000_000],
        }
        if args.results is None:
            args.results = ROOT / "benchmarks" / "results" / "scaling.jsonl"
    for k, v in defaults.items():
        if getattr(args, k) is None:
            setattr(args, k, v)

    configs = grid(args)
    if args.list:
        for c in configs:
            print(c.label())
        return 0
    skipped_numba = [p for p in args.persons if p > args.numba_max_persons]
    if "numba" in args.backends and skipped_numba:
        print(
            f"numba capped at {args.numba_max_persons:,} persons (not run: "
            f"{', '.join(f'{p:,}' for p in skipped_numba)})"
        )
    if any(c.buckets for c in configs) and not streaming_supported():
        print(
            "skipping the bucketed configurations: jobindsats.measure does not accept "
            "persons= yet (no streaming path)"
        )
        configs = [c for c in configs if not c.buckets]

    done, failed = load(args.results, args.seed)
    todo = [
        c
        for c in configs
        if done.get(_key(asdict(c)), 0) < args.repeat
        and (args.retry_errors or _key(asdict(c)) not in failed)
    ]
    print(f"{len(configs)} configurations, {len(configs) - len(todo)} already in {args.results}")
    if not todo:
        return 0
    args.cache.mkdir(parents=True, exist_ok=True)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    import jobindsats

    meta = {
        "seed": args.seed,
        "version": jobindsats.__version__,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }
    if any(c.backend == "numba" for c in todo):
        # warm the Numba cache on the smallest population so compile time is not measured
        small = min(todo, key=lambda c: c.persons)
        path = population(small.persons, 0, args.seed, args.cache)
        run_once(path, LAST_MONTH, LAST_MONTH, "numba", 1)

    print(f"{'configuration':48} {'wall s':>8} {'peak RSS GiB':>12} {'M pm/s':>7}")
    for c in todo:
        path = population(c.persons, c.buckets, args.seed, args.cache)
        for run in range(done.get(_key(asdict(c)), 0), args.repeat):
            record = {
                **asdict(c),
                "start": c.start,
                "end": LAST_MONTH,
                "layout": c.layout,
                "run": run,
                "date": dt.datetime.now().isoformat(timespec="seconds"),
                **meta,
            }
            try:
                if c.buckets:
                    result = run_streaming(path, c.start, LAST_MONTH, c.backend, c.threads)
                else:
                    result = run_once(path, c.start, LAST_MONTH, c.backend, c.threads)
            except (RuntimeError, ValueError) as exc:  # a crashed or killed child
                record["error"] = str(exc)
                print(f"{c.label():48} failed: {exc}", flush=True)
            else:
                assert months_between(c.start, LAST_MONTH) == c.months
                record.update(result)
                rate = c.persons * c.months / result["wall_s"] / 1e6
                print(
                    f"{c.label():48} {result['wall_s']:8.1f} "
                    f"{result['peak_rss_bytes'] / 2**30:12.2f} {rate:7.2f}",
                    flush=True,
                )
            with args.results.open("a") as f:
                f.write(json.dumps(record) + "\n")
            if "error" in record:
                break
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
