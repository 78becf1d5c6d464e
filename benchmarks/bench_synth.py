"""Benchmarks of the synthetic population generator (:mod:`jobindsats.synth`).

pytest-benchmark::

    PYTHONPATH=python pytest benchmarks/bench_synth.py --benchmark-only

As a script (the budget: 1,000,000 persons in under 60 s wall and under 4 GiB peak RSS)::

    PYTHONPATH=python python benchmarks/bench_synth.py --persons 1000000

The script runs :func:`jobindsats.synth.synthesize` in a child process and reports its
wall time, its peak resident memory (``ru_maxrss`` of the child) and the rows and bytes
written per table.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

_PYTHON_DIR = pathlib.Path(__file__).resolve().parents[1] / "python"


# --- pytest-benchmark --------------------------------------------------------------------


def test_bench_generate_tables(benchmark):
    from jobindsats.synth import generate_tables

    tables = benchmark.pedantic(generate_tables, args=(20_000, 1), rounds=3, iterations=1)
    assert tables["benefits"].num_rows > 20_000


def test_bench_synthesize(benchmark, tmp_path):
    from jobindsats.synth import synthesize

    def run():
        return synthesize(tmp_path / "out", persons=50_000, seed=1, chunk_persons=25_000)

    out = benchmark.pedantic(run, rounds=2, iterations=1)
    assert (out / "benefits.parquet").stat().st_size > 0


# --- script ------------------------------------------------------------------------------


def _child(args: argparse.Namespace) -> None:
    from jobindsats.synth import synthesize

    synthesize(
        args.out,
        persons=args.persons,
        seed=args.seed,
        start=args.start,
        end=args.end,
        chunk_persons=args.chunk_persons,
    )


def _report(out: pathlib.Path) -> None:
    import pyarrow.parquet as pq

    total_rows = total_bytes = 0
    print(f"{'table':18s} {'rows':>12s} {'MiB':>9s}")
    for f in sorted(out.glob("*.parquet")):
        rows = pq.ParquetFile(f).metadata.num_rows
        size = f.stat().st_size
        total_rows += rows
        total_bytes += size
        print(f"{f.stem:18s} {rows:12,d} {size / 2**20:9.1f}")
    print(f"{'total':18s} {total_rows:12,d} {total_bytes / 2**20:9.1f}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--persons", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--start", default="2016-01-01")
    p.add_argument("--end", default="2024-12-31")
    p.add_argument("--chunk-persons", type=int, default=100_000)
    p.add_argument("--out", type=pathlib.Path, default=None, help="output dir (default: temp)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child(args)
        return 0

    with tempfile.TemporaryDirectory(prefix="bench_synth_") as tmp:
        out = args.out if args.out is not None else pathlib.Path(tmp) / "data"
        cmd = [sys.executable, __file__, "--child", "--out", str(out)]
        cmd += ["--persons", str(args.persons), "--seed", str(args.seed)]
        cmd += ["--start", args.start, "--end", args.end]
        cmd += ["--chunk-persons", str(args.chunk_persons)]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            x for x in (str(_PYTHON_DIR), env.get("PYTHONPATH", "")) if x
        )
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, env=env)
        wall = time.perf_counter() - t0
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
        print(
            f"synthesize(persons={args.persons:,d}, seed={args.seed}, "
            f"{args.start}..{args.end}, chunk_persons={args.chunk_persons:,d})"
        )
        print(f"wall time: {wall:.1f} s (including interpreter start-up and imports)")
        print(f"peak RSS:  {peak_kib / 2**20:.2f} GiB ({peak_kib / 1024:.0f} MiB)")
        _report(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
