"""How much of the kernel's time a warm CPU saves: each person measured R times in a row.

The compiled kernel (``_core.measure_persons``, cells only, 1 thread) on the same
persons arranged two ways, with the same work and the same instructions:

- *tiled*: all persons, then all persons again, R times over (each person met cold, as in
  a real run);
- *replayed*: each person R times in a row, so its later copies find the branch
  predictor trained on the very same branches (each copy's rows are a fresh copy at a new
  address, in both arrangements, so the data cache is not warmer; the cells the rows add
  into are).

The per-person time of the two is the share of the kernel's time spent on what a CPU
learns from having just seen a person, mostly, it seems, mispredicted branches. What
remains when replayed is closer to the work itself::

    python benchmarks/bench_replay.py --persons 20000 --times 8

(docs/benchmarks.md, sixth session: 3.78 µs tiled against 2.50 µs replayed per person.)
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

from bench_instructions import kernel_input
from bench_measure import population, population_arguments
from bench_threads import kernel_seconds_of


def arranged(arrays: dict[str, np.ndarray], order: np.ndarray) -> dict[str, np.ndarray]:
    """The kernel input of persons ``order`` (indices, repeats allowed), as new persons."""
    out = {
        "person_ids": np.arange(order.shape[0], dtype=arrays["person_ids"].dtype),
        "birth_date": arrays["birth_date"][order],
    }
    for off in [name for name in arrays if name.endswith("_off")]:
        table = off.removesuffix("_off")
        first, lengths = arrays[off][:-1][order], np.diff(arrays[off])[order]
        out[off] = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        # each new person's rows: its old first row plus 0..length-1
        rows = np.repeat(first - out[off][:-1], lengths) + np.arange(out[off][-1])
        for name in arrays:
            if name.startswith(table + "_") and name != off:
                out[name] = np.ascontiguousarray(arrays[name][rows])
    return out


def per_person(arrays: dict[str, np.ndarray], start: str, end: str, repeat: int) -> float:
    """Median seconds per person of the kernel on ``arrays``, cells only, 1 thread, without
    the cells' finish (a cost per month, not per person)."""
    n = arrays["person_ids"].shape[0]
    runs = [kernel_seconds_of(arrays, start, end, 1, False, finish=False) for _ in range(repeat)]
    return statistics.median(runs) / n


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser)
    parser.set_defaults(persons=20_000)
    parser.add_argument("--times", type=int, default=8, help="R: copies of each person")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each arrangement")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    path = population(args.persons, args.seed, args.cache)
    with np.load(kernel_input(path, args.cache)) as saved:
        arrays = {name: saved[name] for name in saved.files}
    n = arrays["person_ids"].shape[0]
    tiled = arranged(arrays, np.tile(np.arange(n), args.times))
    replayed = arranged(arrays, np.repeat(np.arange(n), args.times))
    print(f"{path}: {n:,} persons, each {args.times} times, {args.start}..{args.end}")
    cold, warm = [], []
    for _ in range(3):  # taking turns
        cold.append(per_person(tiled, args.start, args.end, args.repeat))
        warm.append(per_person(replayed, args.start, args.end, args.repeat))
    c, w = statistics.median(cold), statistics.median(warm)
    print(f"tiled (each person met cold):     {c * 1e6:6.2f} µs per person")
    print(f"replayed (each person met warm):  {w * 1e6:6.2f} µs per person ({w / c:.2f}×)")


if __name__ == "__main__":
    main()
