"""Plot the results of ``bench_scaling.py`` as one PNG (four panels).

    python benchmarks/plot_scaling.py benchmarks/results/scaling.jsonl   # -> docs/img/scaling.png

Top: wall time against persons (at the longest period measured) and against months (at
the persons of the months sweep); bottom: peak resident memory for the same points. One
line per backend × threads (× layout: streamed bucketed populations are drawn apart).
Wall time is the median of the runs of a configuration, peak memory the maximum.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

ROOT = Path(__file__).resolve().parents[1]
COLORS = {"cpp": "tab:blue", "numba": "tab:orange"}
STYLES = {1: "--", 2: "-"}


def load(path: Path) -> dict[tuple, dict]:
    """Median wall time and maximum peak RSS per configuration (failed runs dropped)."""
    runs: dict[tuple, list[dict]] = defaultdict(list)
    for line in path.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            if "error" not in r:
                key = (r["persons"], r["months"], r["backend"], r["threads"], r["buckets"])
                runs[key].append(r)
    return {
        key: {
            "wall_s": statistics.median(r["wall_s"] for r in rs),
            "peak_gib": max(r["peak_rss_bytes"] for r in rs) / 2**30,
            "runs": len(rs),
            "cpus": rs[0].get("cpus"),
        }
        for key, rs in runs.items()
    }


def _persons_label(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:g}M"
    return f"{n / 1000:g}k" if n >= 1000 else str(n)


def _series_label(backend: str, threads: int, buckets: int) -> str:
    label = f"{backend}, {threads} thread{'s' if threads > 1 else ''}"
    return label + (f", streamed ({buckets} buckets)" if buckets else "")


def _draw(ax, points: dict[tuple, list[tuple[float, float]]], xs: list[int]) -> None:
    for (backend, threads, buckets), pts in sorted(points.items(), key=_series_order):
        pts.sort()
        ax.plot(
            [x for x, _ in pts],
            [y for _, y in pts],
            color=COLORS.get(backend, "gray"),
            linestyle=STYLES.get(threads, ":"),
            marker="s" if buckets else "o",
            markerfacecolor="white" if buckets else COLORS.get(backend, "gray"),
            label=_series_label(backend, threads, buckets),
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(FixedLocator(xs))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}"))
    ax.yaxis.set_minor_formatter(_minor_labeller(ax))
    ax.grid(True, which="both", alpha=0.3)


def _series_order(item: tuple) -> tuple:
    backend, threads, buckets = item[0]
    return (buckets > 0, backend, threads)


def _minor_labeller(ax) -> FuncFormatter:
    """Label the minor ticks 2·10^k and 5·10^k (also 3·10^k on an axis spanning little more
    than a decade, all of them on a narrower one), so that a log axis stays readable."""

    def label(y: float, _: object) -> str:
        if y <= 0:
            return ""
        lo, hi = ax.get_ylim()
        decades = math.log10(hi / lo)
        if decades < 0.6:  # a narrow axis: label every minor tick
            return f"{y:g}"
        wanted = (2.0, 3.0, 5.0) if decades < 1.3 else (2.0, 5.0)
        mantissa = y / 10 ** math.floor(math.log10(y))
        return f"{y:g}" if round(mantissa, 6) in wanted else ""

    return FuncFormatter(label)


def plot(results: dict[tuple, dict], out: Path) -> None:
    if not results:
        raise SystemExit("no successful runs to plot")
    months_p = max(k[1] for k in results)  # the persons sweep runs at the longest period
    by_persons: dict[int, set[int]] = defaultdict(set)
    for persons, months, _, _, buckets in results:
        if not buckets:
            by_persons[persons].add(months)
    # the months sweep: the persons value measured at the most periods (ties: the largest)
    persons_m = max(by_persons or {0: set()}, key=lambda p: (len(by_persons[p]), p))

    fig, axes = plt.subplots(2, 2, figsize=(11, 8), dpi=90)
    panels = [
        (axes[0][0], "wall_s", "persons", months_p),
        (axes[0][1], "wall_s", "months", persons_m),
        (axes[1][0], "peak_gib", "persons", months_p),
        (axes[1][1], "peak_gib", "months", persons_m),
    ]
    for ax, metric, sweep, fixed in panels:
        points: dict[tuple, list[tuple[float, float]]] = defaultdict(list)
        for (persons, months, backend, threads, buckets), v in results.items():
            if sweep == "persons" and months == fixed:
                points[(backend, threads, buckets)].append((persons, v[metric]))
            elif sweep == "months" and persons == fixed:
                points[(backend, threads, buckets)].append((months, v[metric]))
        xs = sorted({x for pts in points.values() for x, _ in pts})
        _draw(ax, points, xs)
        if sweep == "persons":
            ax.set_xticklabels([_persons_label(x) for x in xs])
            ax.set_xlabel(f"persons (measuring {fixed} months)")
        else:
            ax.set_xticklabels([str(x) for x in xs])
            ax.set_xlabel(f"months measured ({_persons_label(fixed)} persons)")
        ax.set_ylabel("wall time, s" if metric == "wall_s" else "peak resident memory, GiB")
        numba_max = max((k[0] for k in results if k[2] == "numba"), default=None)
        all_max = max(k[0] for k in results)
        if sweep == "persons" and numba_max is not None and numba_max < all_max:
            ax.text(
                0.02,
                0.97,
                f"numba measured up to {_persons_label(numba_max)} persons",
                transform=ax.transAxes,
                va="top",
                fontsize=8,
                color="0.3",
            )
    handles, labels = axes[0][0].get_legend_handles_labels()
    for ax in axes.flat[1:]:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=9, frameon=False)
    cpus = next(iter(results.values()))["cpus"]
    runs = max(v["runs"] for v in results.values())
    fig.suptitle(
        "jobindsats.measure: cold runs, Parquet reading included"
        + (f" ({cpus}-core machine" if cpus else " (")
        + (f", median of {runs} runs)" if runs > 1 else ")"),
        fontsize=12,
    )
    fig.tight_layout(rect=(0, 0.07, 1, 0.96))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "results", type=Path, nargs="?", default=ROOT / "benchmarks" / "results" / "scaling.jsonl"
    )
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "scaling.png")
    args = p.parse_args(argv)
    plot(load(args.results), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
