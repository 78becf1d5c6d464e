"""Thread scaling of the compiled kernel: 1 vs 2 threads on the same loaded dataset.

Times ``_core.measure_persons`` (the input contract check, the person kernel, R40
aggregation into the cells, row capacity and compaction: everything the ``threads``
argument parallelises) chunk by chunk as ``jobindsats.measure`` calls it, and the cells'
finish (summaries, occupied cells), alternating 1 and 2 threads, and prints the medians
and their ratio: first cells only (``rows=False``, as ``measure(..., persons=False)``),
then with the person rows handed back (as ``measure(...)``). Reading and validating the Parquet dataset (pyarrow's own
thread pool) and turning person rows into Arrow are not in it; ``bench_measure.py``
reports those end to end.

    python benchmarks/bench_threads.py --persons 1000000 --from 2017-01 --to 2024-12
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench_measure import population, population_arguments


def kernel_seconds(dataset, start: str, end: str, threads: int, rows: bool) -> float:
    return kernel_seconds_of(dataset.kernel_arrays(), start, end, threads, rows)


def kernel_seconds_of(
    arrays: dict, start: str, end: str, threads: int, rows: bool, finish: bool = True
) -> float:
    """Seconds of the kernel on the kernel input ``arrays`` (``Dataset.kernel_arrays``),
    chunk by chunk as ``measure`` calls it; with the cells' finish unless ``finish`` is
    false (a cost per month, not per person)."""
    import jobindsats
    from jobindsats import _core
    from jobindsats.kernels.backend import chunk_persons_for
    from jobindsats.measure import category_slots, month_range, municipality_slots

    rules = jobindsats.get_rules()
    kernel_rules = rules.kernel_rules()._asdict()
    month_first, month_last = month_range(start, end)
    # the chunks measure() cuts for this many threads (the same calls, the same sizes)
    chunk = chunk_persons_for("cpp", threads, month_first.shape[0])
    n = arrays["person_ids"].shape[0]
    t0 = time.perf_counter()
    cells = _core.CellSink(month_first.shape[0])
    for p0 in range(0, n, chunk):
        chunk_rows, _ = _core.measure_persons(
            arrays, kernel_rules, month_first, month_last, p0, min(n, p0 + chunk),
            None, threads, cells, municipality_slots(), category_slots(rules), rows,
        )  # fmt: skip
        del chunk_rows
    if finish:
        cells.finish(threads)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import jobindsats

    dataset = jobindsats.read_dataset(population(args.persons, args.seed, args.cache))
    for rows, what in ((False, "cells only"), (True, "with the person rows")):
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.repeat):
            for threads in (1, 2):
                times[threads].append(kernel_seconds(dataset, args.start, args.end, threads, rows))
                print(f"{what}, threads={threads}: {times[threads][-1]:.2f} s", flush=True)
        one, two = statistics.median(times[1]), statistics.median(times[2])
        print(f"kernel {what}, median of {args.repeat}: 1 thread {one:.2f} s, 2 threads "
              f"{two:.2f} s, speed-up {one / two:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
