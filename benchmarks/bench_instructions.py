"""Instructions the compiled kernel executes per person-month row, counted by callgrind.

Wall times on this kind of machine drift by 10 % between days and by a few percent
between runs, which hides the few-percent steps left in the kernel. An instruction count
does not drift: it is the same, to within a millionth, on every run of the same build on
the same input. So this counts, under ``valgrind --tool=callgrind``, the instructions of
the kernel alone (``_core.measure_persons`` cells only, chunk by chunk as
``bench_threads.kernel_seconds`` calls it, on 1 thread) and of the cells' finish, on a
cached synthetic population::

    cmake --preset profile -Dpybind11_DIR=$(python -m pybind11 --cmakedir)
    ninja -C build/profile _core
    python benchmarks/bench_instructions.py --core build/profile/_core*.so --persons 20000

Callgrind counts only inside the C++ functions ``jobindsats::measure_cells`` (the contract
check, the person kernel, the adds into the cells) and ``CellSink::finish``, found by
name: so the ``_core`` must have its symbols (an installed wheel's are stripped; the
``profile`` preset builds the wheel's ``-O3`` with ``-g``). The input is read once in
this process and saved beside the population; a child loads it and measures one block of
persons first (the first call's one-time set-up), then everyone, and a second child only
the block: the difference is the kernel's count. A third child counts the finish. It
prints the kernel's instructions per person and per person-month row, the finish's (a
cost per month, not per row), and where the kernel's go, function by function with what
is inlined into each. ``--branches`` adds callgrind's branch simulation: conditional
branches per row and how many its simple predictor misses (real CPUs miss fewer), in all
and by function.

The count measures work, not time: here 9 % fewer instructions left the kernel's wall
time unchanged (docs/benchmarks.md, sixth session), so a step is confirmed in wall time
too (``bench_floor.py --against``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_measure import population, population_arguments

# argv: the saved kernel input (.npz), start, end, the _core to load, and "1" to measure
# everyone after the first block of persons ("0": that block only). Prints a JSON line.
CHILD = r"""
import importlib.util, json, sys
npz, start, end, core, everyone = sys.argv[1:6]
spec = importlib.util.spec_from_file_location("jobindsats._core", core)
module = importlib.util.module_from_spec(spec)
sys.modules["jobindsats._core"] = module
spec.loader.exec_module(module)
import numpy as np
import jobindsats
from jobindsats import _core
from jobindsats.kernels.backend import chunk_persons_for
from jobindsats.kernels.constants import Q_POPULATION
from jobindsats.measure import category_slots, month_range, municipality_slots

rules = jobindsats.get_rules()
kernel_rules = rules.kernel_rules()._asdict()
with np.load(npz) as saved:
    arrays = {name: saved[name] for name in saved.files}
month_first, month_last = month_range(start, end)
chunk = chunk_persons_for("cpp", 1, month_first.shape[0])
n = arrays["person_ids"].shape[0]
slots = municipality_slots(), category_slots(rules)


def measure(p0, p1):
    cells = _core.CellSink(month_first.shape[0])
    rows = 0
    for q0 in range(p0, p1, chunk):
        _, quality = _core.measure_persons(
            arrays, kernel_rules, month_first, month_last, q0, min(p1, q0 + chunk),
            None, 1, cells, *slots, False,
        )
        rows += int(quality[Q_POPULATION])
    return cells, rows


measure(0, min(n, 256))  # the first call's one-time set-up (one block of persons)
cells, rows = measure(0, n) if everyone == "1" else (None, 0)
if cells is not None:
    cells.finish(1)
print(json.dumps({"persons": n, "rows": rows}))
"""

KERNEL = "jobindsats::measure_cells*"
FINISH = "jobindsats::CellSink::finish*"
COLLECTED = re.compile(r"^==\d+== Collected : ([\d ]+)$", re.MULTILINE)


def kernel_input(path: Path, cache: Path) -> Path:
    """The kernel's input arrays of the dataset at ``path``, saved once as .npz (named by
    the dataset's place and its files' sizes and times, so a changed dataset is read
    again)."""
    files = sorted(f for f in path.resolve().rglob("*") if f.is_file())
    stamp = [str(path.resolve())] + [
        f"{f} {f.stat().st_size} {f.stat().st_mtime_ns}" for f in files
    ]
    key = hashlib.sha1("\n".join(stamp).encode()).hexdigest()[:12]
    out = cache / f"{path.name}-{key}-kernel-arrays.npz"
    if not out.exists():
        import numpy as np

        import jobindsats

        arrays = jobindsats.read_dataset(path).kernel_arrays()
        partial = out.with_suffix(".partial.npz")
        np.savez(partial, **arrays)
        partial.replace(out)
    return out


def count(valgrind: str, toggle: str, npz: Path, start: str, end: str, core: str,
          everyone: bool, out: Path, branches: bool = False) -> tuple[list[int], dict]:  # fmt: skip
    """The events callgrind collects inside functions ``toggle`` in a child (instructions;
    with ``branches``, then conditional branches and their simulated mispredictions), and
    the child's JSON line."""
    proc = subprocess.run(
        [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", f"--toggle-collect={toggle}",
         *(["--branch-sim=yes"] if branches else []),
         sys.executable, "-c", CHILD, str(npz), start, end, core, "1" if everyone else "0"],
        capture_output=True, text=True,
    )  # fmt: skip
    found = COLLECTED.search(proc.stderr)
    if proc.returncode != 0 or found is None:
        sys.exit(f"the callgrind run failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    events = [int(x) for x in found.group(1).split()]
    return events, json.loads(proc.stdout.strip().splitlines()[-1])


def by_function(annotate: str, out: Path) -> dict[str, list[int]]:
    """The functions' exclusive events in callgrind file ``out`` (instructions; with
    ``--branches`` then the branch counts), each with the lines inlined into it from every
    file (callgrind_annotate names a function once per source file its lines come from)."""
    text = subprocess.run(
        [annotate, "--inclusive=no", "--threshold=100", str(out)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    event = r"(?:[\d,]+ \(\s*[\d.]+%\)|\.)"  # a count and its share, or "." for none
    counts: dict[str, list[int]] = {}
    for line in text.splitlines():
        m = re.match(rf"^\s*((?:{event}\s+)+)[^:\s]*:(.*?)(?: \[(/[^][]*)\])?$", line)
        if m and m.group(1).strip()[0].isdigit():
            values = [
                0 if x == "." else int(x.replace(",", ""))
                for x in re.findall(r"[\d,]+(?= \()|(?<!\S)\.(?!\S)", m.group(1))
            ]  # fmt: skip
            name = m.group(2).replace("(anonymous namespace)", "{anonymous}")
            name = re.sub(r"\(.*", "", name).replace("[abi:cxx11]", "").strip()
            total = counts.setdefault(name, [0] * len(values))
            for k, v in enumerate(values):
                total[k] += v
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser)
    parser.set_defaults(persons=20_000)
    parser.add_argument("--data", type=Path, help="a dataset directory (default: synthetic)")
    parser.add_argument("--core", required=True, help="a _core built with symbols (see above)")
    parser.add_argument("--top", type=int, default=20, help="functions shown")
    parser.add_argument(
        "--branches",
        action="store_true",
        help="also simulate branch prediction (callgrind --branch-sim=yes; slower)",
    )
    args = parser.parse_args(argv)
    valgrind, annotate = shutil.which("valgrind"), shutil.which("callgrind_annotate")
    if valgrind is None or annotate is None:
        sys.exit("valgrind (callgrind) is needed to count instructions: apt install valgrind")
    core = Path(args.core).resolve()
    if not core.is_file():
        sys.exit(f"--core {args.core}: no such file")
    stripped = (
        f"--core {args.core} has no symbols (stripped, as installed wheels are): build one "
        "with `cmake --preset profile -Dpybind11_DIR=$(python -m pybind11 --cmakedir) && "
        "ninja -C build/profile _core`"
    )
    nm = shutil.which("nm")  # (binutils; without it, an empty count says the same below)
    if (
        nm
        and "jobindsats::measure_cells"
        not in subprocess.run([nm, "-C", str(core)], capture_output=True, text=True).stdout
    ):
        sys.exit(stripped)
    args.cache.mkdir(parents=True, exist_ok=True)
    path = args.data or population(args.persons, args.seed, args.cache)
    npz = kernel_input(path, args.cache)
    run = (npz, args.start, args.end, str(core))
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        everyone, seen = count(valgrind, KERNEL, *run, True, tmp_path / "kernel", args.branches)
        first, _ = count(valgrind, KERNEL, *run, False, tmp_path / "first", args.branches)
        (finish, *_), _ = count(valgrind, FINISH, *run, True, tmp_path / "finish")
        if everyone[0] == 0:  # callgrind found no function of that name
            sys.exit(stripped)
        kernel = [a - b for a, b in zip(everyone, first, strict=True)]
        persons, rows = seen["persons"], max(seen["rows"], 1)
        print(f"{path}: {persons:,} persons, {rows:,} person-month rows, {args.start}..{args.end}")
        print(f"kernel, 1 thread (contract check, person kernel, cell adds): {kernel[0]:,}")
        print(
            f"  instructions: {kernel[0] / persons:,.0f} per person, {kernel[0] / rows:,.0f} per row"
        )
        if args.branches:
            print(
                f"  conditional branches: {kernel[1] / rows:,.0f} per row, of them mispredicted "
                f"by callgrind's simple predictor {kernel[2] / rows:,.1f} per row"
            )
        print(f"the cells' finish (a cost per month, not per row): {finish:,}")
        warm_up = by_function(annotate, tmp_path / "first")
        counts: list[tuple[list[int], str]] = []
        for name, values in by_function(annotate, tmp_path / "kernel").items():
            before = warm_up.get(name, [0] * len(values))
            counts.append(([a - b for a, b in zip(values, before, strict=True)], name))
        heading = "instructions, mispredicted (simulated)" if args.branches else "instructions"
        print(f"the kernel's by function (with what is inlined into it), {heading} per row:")
        for values, name in sorted(counts, key=lambda c: -c[0][0])[: args.top]:
            missed = f"  {values[2] / rows:6.2f}" if args.branches else ""
            print(f"  {values[0] / rows:8.1f}{missed}  {name}")


if __name__ == "__main__":
    main()
