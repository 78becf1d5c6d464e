"""The ``jobindsats`` command line (Typer, progress with Rich).

Every error a user can cause (bad data, a bad month, a missing path, an output that
cannot be written) prints one clear message and exits with status 2; Ctrl-C prints one
line and exits with status 130 (128 + SIGINT, as a shell does); ``--debug`` shows the
traceback instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import InputError, RuleSetError

#: --threads of the commands that read and measure a dataset.
THREADS_HELP = "Threads for reading and measuring (default: all cores; 1: one thread throughout)."
#: --rules of every command that measures (SPEC D11).
RULES_HELP = (
    "Rule set: a built-in name (`jobindsats rules list`: v1.73, v1.73-ret-og-pligt) or a "
    "rule file (TOML/JSON, e.g. written by `jobindsats rules show NAME > my.toml`)."
)

app = typer.Typer(
    name="jobindsats",
    help=(
        "Exact, fast engine for STAR's contact-course measurement 'Jobsamtaler til alle "
        "ydelsesmodtagere i jobcentre' (rule set v1.73)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

_state = {"debug": False}
F = TypeVar("F", bound=Callable[..., Any])

#: Exit status after Ctrl-C: 128 + SIGINT, what a shell reports for a killed command.
INTERRUPTED = 130

DEMO_PERSONS = 50_000
DEMO_START = "2019-01"
DEMO_END = "2024-12"


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug


def _friendly(fn: F) -> F:
    """Turn expected errors into one line on stderr and exit status 2 (OSError covers
    the file system's refusals: :class:`~jobindsats.errors.OutputError`, permissions, a
    full disk), and Ctrl-C into one line and exit status 130."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (InputError, RuleSetError, ValueError, KeyError, OSError, ImportError) as exc:
            if _state["debug"]:
                raise
            msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            _print_error(str(msg))
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            if _state["debug"]:
                raise
            _print_error("interrupted")
            raise typer.Exit(INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def _print_error(message: str) -> None:
    """``error: <message>`` on one line of stderr: never wrapped (a log line stays one
    line, greppable) and never read as Rich markup (a value may hold brackets)."""
    from rich.text import Text

    err_console.print(Text.assemble(("error:", "bold red"), " ", message), soft_wrap=True)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on a terminal (silent when output is not a terminal)."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@app.command()
@_friendly
def synth(
    out_dir: Annotated[Path, typer.Argument(help="Directory to write <table>.parquet files to.")],
    persons: Annotated[int, typer.Option(help="Number of persons.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed: byte-identical files).")] = 1,
    start: Annotated[str, typer.Option(help="First day of the data, YYYY-MM-DD.")] = "2016-01-01",
    end: Annotated[str, typer.Option(help="Last day of the data, YYYY-MM-DD.")] = "2024-12-31",
    buckets: Annotated[
        int | None,
        typer.Option(
            help="Write each table hive-partitioned by person bucket "
            "(<table>/bucket=<person_id % K>/part-0.parquet)."
        ),
    ] = None,
) -> None:
    """Write a realistic synthetic population in the canonical dataset layout (SPEC §2)."""
    from .synth import synthesize

    t0 = time.perf_counter()
    with _progress("generating persons") as update:
        synthesize(out_dir, persons, seed, start, end, progress=update, buckets=buckets)
    console.print(
        f"wrote {persons:,} persons to {out_dir} in {time.perf_counter() - t0:.1f} s",
        highlight=False,
    )


@app.command()
@_friendly
def validate(
    data: Annotated[Path, typer.Argument(help="Dataset directory (SPEC §2 tables as Parquet).")],
) -> None:
    """Read and validate a dataset (SPEC §8) and print a per-table summary."""
    from .dataset import read_dataset

    dataset = read_dataset(data)
    _print_summary(dataset)
    problems = dataset.data_quality()
    table = Table(title="Suspicious but legal (SPEC §8)", title_justify="left")
    table.add_column("check")
    table.add_column("count", justify="right")
    for key, value in problems.items():
        table.add_row(key.replace("_", " "), f"{value:,}")
    console.print(table)
    console.print(f"[green]valid:[/] {dataset.n_persons:,} persons", highlight=False)


def _print_summary(dataset: Any) -> None:
    table = Table(title="Tables (SPEC §2)", title_justify="left")
    table.add_column("table", no_wrap=True)
    for col in ("rows", "persons"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("from", no_wrap=True)
    table.add_column("to", no_wrap=True)
    summary = dataset.summary()
    for t in summary:
        table.add_row(
            t["name"], f"{t['rows']:,}", f"{t['persons']:,}", t["min_date"] or "-",
            t["max_date"] or "-",
        )  # fmt: skip
    console.print(table)
    console.print("Columns:")
    for t in summary:
        cols = ", ".join(f"{name}:{kind}" for name, kind in t["columns"].items())
        console.print(f"  [bold]{t['name']}[/]: {cols}", highlight=False)


@app.command()
@_friendly
def measure(
    data: Annotated[Path, typer.Argument(help="Dataset directory.")],
    from_: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    to: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM.")],
    out: Annotated[Path, typer.Option("--out", help="Output directory.")],
    backend: Annotated[str, typer.Option(help="auto, cpp or numba.")] = "auto",
    threads: Annotated[int | None, typer.Option(help=THREADS_HELP)] = None,
    rules: Annotated[str, typer.Option(help=RULES_HELP)] = "v1.73",
    persons: Annotated[
        bool,
        typer.Option(
            "--persons/--no-persons",
            help="Write the per-person rows (R47); --no-persons saves their memory.",
        ),
    ] = True,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace an earlier run in --out (refused otherwise, before any work).",
        ),
    ] = False,
) -> None:
    """Compute the measurement and write cells.parquet, persons.parquet, quality.json.

    A dataset written with person buckets (<table>/bucket=<k>/, `synth --buckets`) is
    measured bucket by bucket, holding one bucket in memory at a time. The output files
    appear together once all are complete (never half-written, also on Ctrl-C)."""
    from . import measure as measure_fn
    from .atomic import check_output_directory
    from .io import bucket_ids
    from .measure import OUTPUT_FILES

    check_output_directory(out, OUTPUT_FILES, overwrite=overwrite)  # before any work
    t0 = time.perf_counter()
    label = "measuring buckets" if bucket_ids(data) else "measuring persons"
    with _progress(label) as update:
        m = measure_fn(
            data,
            from_,
            to,
            backend=backend,
            threads=threads,
            rules=rules,
            progress=update,
            persons=persons,
        )
    m.write(out, persons=persons, overwrite=overwrite)
    q = m.quality
    console.print(
        f"{q['population']:,} person-months × groups: {q['measured']:,} measured, "
        f"{q['exempt']:,} exempt, {q['excluded_age']:,} excluded by age (R2), "
        f"{q['excluded_dead_month']:,} dead months (R3) — backend {m.backend}, "
        f"{time.perf_counter() - t0:.1f} s; rule set {m.rules} (sha256 {m.rules_digest})",
        highlight=False,
    )
    files = (
        "cells.parquet, persons.parquet, quality.json, run.json, rules.toml"
        if persons
        else "cells.parquet, quality.json, run.json, rules.toml"
    )
    console.print(f"wrote {out}/{files}", highlight=False)


@app.command()
@_friendly
def explain(
    data: Annotated[Path, typer.Argument(help="Dataset directory.")],
    person: Annotated[int, typer.Option("--person", help="person_id to explain.")],
    month: Annotated[str, typer.Option("--month", help="Month, YYYY-MM.")],
    rules: Annotated[str, typer.Option(help=RULES_HELP)] = "v1.73",
) -> None:
    """Explain every step for one person and month (SPEC R46)."""
    from . import explain as explain_fn

    console.print(str(explain_fn(data, person, month, rules=rules)), highlight=False)


@app.command()
@_friendly
def demo(
    persons: Annotated[int, typer.Option(help="Synthetic persons.")] = DEMO_PERSONS,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    backend: Annotated[str, typer.Option(help="auto, cpp or numba.")] = "auto",
    rules: Annotated[str, typer.Option(help=RULES_HELP)] = "v1.73",
) -> None:
    """Run the whole main job on a built-in synthetic population and print a summary."""
    from . import measure as measure_fn
    from .dataset import read_dataset
    from .synth import synthesize

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jobindsats-demo-") as tmp:
        with _progress("generating persons") as update:
            synthesize(tmp, persons=persons, seed=seed, start="2016-01-01", end="2024-12-31",
                       progress=update)  # fmt: skip
        dataset = read_dataset(tmp)
        with _progress("measuring persons") as update:
            m = measure_fn(dataset, DEMO_START, DEMO_END, backend=backend, rules=rules,
                           progress=update)  # fmt: skip
    console.print(
        f"[bold]jobindsats demo[/]: {persons:,} synthetic persons, months {DEMO_START}..{DEMO_END}, "
        f"rule set {m.rules} (sha256 {m.rules_digest[:12] if m.rules_digest else '?'}…), "
        f"backend {m.backend}, {time.perf_counter() - t0:.1f} s",
        highlight=False,
    )
    _print_national_summary(m)


def _print_national_summary(m: Any) -> None:
    import pyarrow.compute as pc

    cells = m.cells
    last = cells["month"].to_pylist()[-1] if cells.num_rows else dt.date(2024, 12, 1)
    last = max(cells["month"].to_pylist()) if cells.num_rows else last
    national = cells.filter(pc.equal(cells["municipality"], 0))
    latest = national.filter(pc.equal(national["month"], last))
    table = Table(
        title=f"National, {last:%Y-%m}: share with fewer than 4 interviews (M4)",
        title_justify="left",
    )
    table.add_column("group", no_wrap=True)
    for col in ("persons <12m", "M4 <12m", "persons 12+", "M4 12+", "exempt"):
        table.add_column(col, justify="right")
    rows = {(r["group"], r["interval"]): r for r in latest.to_pylist()}
    groups = [*sorted({g for g, _ in rows if "/" not in g and g != "all"}), "all"]
    for g in groups:
        u = rows.get((g, "under12"), {})
        o = rows.get((g, "12+"), {})
        table.add_row(
            g,
            f"{u.get('persons', 0):,}",
            _pct(u.get("share_lt4")),
            f"{o.get('persons', 0):,}",
            _pct(o.get("share_lt4")),
            f"{u.get('exempt', 0) + o.get('exempt', 0):,}",
        )
    console.print(table)
    _print_focus_view(m, last)
    q = m.quality
    console.print(
        f"conservation (SPEC §8): {q['measured']:,} measured + {q['exempt']:,} exempt + "
        f"{q['excluded_age']:,} age + {q['excluded_dead_month']:,} dead month = "
        f"{q['population']:,} {'✓' if q['conserved'] else '✗'}",
        highlight=False,
    )


def _print_focus_view(m: Any, last: dt.date) -> None:
    """R41 nationally: the 12-month means of M4 (12+) and of the share without activation,
    against the 20 % line."""
    from .derived import focus_targets

    rows = [
        r
        for r in focus_targets(m, last).to_pylist()
        if r["municipality"] == 0 and "/" not in r["group"]
    ]
    table = Table(
        title=f"Focus targets (R41), {last:%Y-%m}: 12-month means for 12+ (line 20 %)",
        title_justify="left",
    )
    table.add_column("group", no_wrap=True)
    for col in ("months", "mean M4", "under 20 %", "mean no activation", "under 20 %"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(
            r["group"],
            str(r["share_lt4_months"]),
            _pct(r["share_lt4_mean"]),
            _yes_no(r["share_lt4_below"]),
            _pct(r["no_activation_mean"]),
            _yes_no(r["no_activation_below"]),
        )
    console.print(table)


def _yes_no(flag: bool | None) -> str:
    return "-" if flag is None else ("yes" if flag else "no")


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


_DATA_OR_MEASUREMENT = (
    "Dataset directory (measured over --from..--to), or a measurement directory "
    "(cells.parquet, quality.json) written by `jobindsats measure --out`."
)


def _load_for_report(
    data: Path, from_: str | None, to: str | None, backend: str, threads: int | None, rules: str
) -> Any:
    from .report import load_input

    with _progress("measuring persons") as update:
        return load_input(data, from_, to, backend=backend, threads=threads, rules=rules,
                          progress=update)  # fmt: skip


@app.command()
@_friendly
def report(
    data: Annotated[Path, typer.Argument(help=_DATA_OR_MEASUREMENT)],
    out: Annotated[
        Path,
        typer.Option("--out", help="Workbook to write (.xlsx); charts and HTML go next to it."),
    ],
    from_: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    month: Annotated[
        str | None,
        typer.Option(help="Report month (focus targets, charts, HTML), YYYY-MM; default last."),
    ] = None,
    all_months: Annotated[
        bool,
        typer.Option(
            "--all-months",
            help="Every month in the municipal sheets (default: the 12 up to the report month).",
        ),
    ] = False,
    backend: Annotated[str, typer.Option(help="auto, cpp or numba.")] = "auto",
    threads: Annotated[int | None, typer.Option(help=THREADS_HELP)] = None,
    rules: Annotated[str, typer.Option(help=RULES_HELP)] = "v1.73",
) -> None:
    """Write the Excel workbook, the charts (PNG and SVG) and an HTML summary."""
    from .report import write_report
    from .report.workbook import MUNICIPAL_MONTHS

    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"--out must name an .xlsx workbook, got {out.name!r}")
    t0 = time.perf_counter()
    m = _load_for_report(data, from_, to, backend, threads, rules)
    written = write_report(
        m, out, month=month, municipal_months=None if all_months else MUNICIPAL_MONTHS
    )
    console.print(
        f"report for {m.start:%Y-%m}..{m.end:%Y-%m} (rules {m.rules}, backend {m.backend}) "
        f"in {time.perf_counter() - t0:.1f} s:",
        highlight=False,
    )
    for path in written:
        console.print(f"  wrote {path}", highlight=False, soft_wrap=True)


@app.command()
@_friendly
def plot(
    kind: Annotated[str, typer.Argument(help="municipalities, series or distribution.")],
    data: Annotated[Path, typer.Argument(help=_DATA_OR_MEASUREMENT)],
    out: Annotated[Path, typer.Option("--out", help="Chart to write, .png or .svg.")],
    month: Annotated[
        str | None,
        typer.Option(help="Month, YYYY-MM (municipalities, distribution); default last."),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            help="Group slot, e.g. dagpenge or kontanthjaelp/jobparat (default all; "
            "series: every measured group)."
        ),
    ] = None,
    interval: Annotated[
        str, typer.Option(help="Duration interval (municipalities, series).")
    ] = "12+",
    measure: Annotated[
        str, typer.Option(help="Measure: share_lt4, persons, lt4, exempt, n0…n5plus, interviews.")
    ] = "share_lt4",
    municipality: Annotated[
        int, typer.Option(help="Municipality code (distribution); 0 = national.")
    ] = 0,
    from_: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    backend: Annotated[str, typer.Option(help="auto, cpp or numba.")] = "auto",
    threads: Annotated[int | None, typer.Option(help=THREADS_HELP)] = None,
    rules: Annotated[str, typer.Option(help=RULES_HELP)] = "v1.73",
) -> None:
    """Draw one chart: municipality bars, the national series or the interview mix."""
    from .report import charts

    if kind not in charts.KINDS:
        raise ValueError(f"unknown chart {kind!r}; choose from {', '.join(charts.KINDS)}")
    if out.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"--out must name a .png or .svg file, got {out.name!r}")
    m = _load_for_report(data, from_, to, backend, threads, rules)
    if kind == "municipalities":
        fig = charts.municipality_bars(
            m, month, group=group or "all", interval=interval, measure=measure
        )
    elif kind == "series":
        fig = charts.national_series(
            m, groups=None if group is None else [group], interval=interval, measure=measure
        )
    else:
        fig = charts.interview_distribution(
            m, month, group=group or "all", municipality=municipality
        )
    charts.save(fig, out)
    console.print(f"wrote {out}", highlight=False, soft_wrap=True)


@app.command()
@_friendly
def audit(
    data: Annotated[
        Path,
        typer.Argument(
            help="Dataset directory (SPEC §2 tables as Parquet; person buckets are read one "
            "at a time)."
        ),
    ],
    group: Annotated[
        str,
        typer.Option(
            help="Benefit group to audit (R45), e.g. dagpenge, kontanthjaelp, sygedagpenge; "
            "joint interviews and entitlement are computed for dagpenge only."
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Output directory: <table>.parquet for each R45.10 table, audit.xlsx, "
            "audit_<chart>.png/.svg and audit.html.",
        ),
    ],
    before: Annotated[
        str | None,
        typer.Option(
            help="The period before, YYYY-MM-DD:YYYY-MM-DD (first and last day, inclusive), "
            "e.g. 2019-01-01:2019-12-31. Give it with --after."
        ),
    ] = None,
    after: Annotated[
        str | None,
        typer.Option(
            help="The period after, e.g. 2021-09-01:2022-08-31. With --before, every figure "
            "is reported for both and as a change in % with municipality ranks (R45.8)."
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            help="A single period instead of --before/--after, YYYY-MM-DD:YYYY-MM-DD: "
            "figures for that period alone, no change table or change charts."
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            help="Only benefit weeks with this assessment category (R45.9), e.g. "
            "aktivitetsparat with --group kontanthjaelp."
        ),
    ] = None,
    rules: Annotated[str, typer.Option(help=RULES_HELP)] = "v1.73",
    backend: Annotated[str, typer.Option(help="auto, cpp or numba (same results).")] = "auto",
    threads: Annotated[int | None, typer.Option(help=THREADS_HELP)] = None,
) -> None:
    """The focus audit of seed 004 (SPEC R45): interview intensity, interview mix,
    activation and joint interviews per jobcentre and nationally, before and after a
    reform, written as Parquet tables, an Excel workbook, charts and one HTML page.

    Before and after (the 2023 audit of the simplification reform):
    jobindsats audit data --group dagpenge --before 2019-01-01:2019-12-31
    --after 2021-09-01:2022-08-31 --out audit-dagpenge

    One period, one category:
    jobindsats audit data --group kontanthjaelp --category aktivitetsparat
    --period 2022-01-01:2022-12-31 --out audit-kh"""
    from . import audit as audit_fn
    from .io import bucket_ids
    from .report.audit_bundle import parse_period, write_audit_report

    if period is not None:
        if before is not None or after is not None:
            raise ValueError("--period is a single period: give it without --before/--after")
        periods = [parse_period("--period", period)]
    elif before is not None and after is not None:
        periods = [parse_period("--before", before), parse_period("--after", after)]
    else:
        raise ValueError("give --before and --after (two periods), or --period (one)")
    t0 = time.perf_counter()
    label = "auditing buckets" if bucket_ids(data) else "auditing persons"
    with _progress(label) as update:
        result = audit_fn(data, group, periods, category=category, rules=rules,
                          backend=backend, threads=threads, progress=update)  # fmt: skip
    with _progress("writing tables, workbook, charts, html") as update:
        written = write_audit_report(result, out, progress=update)
    for message in result.messages:
        err_console.print(f"[yellow]note:[/] {message}", highlight=False)
    console.print(
        f"audit of {group}{'/' + category if category else ''} over "
        f"{', '.join(result.periods)} (rules {result.rules}, backend {result.backend}) in "
        f"{time.perf_counter() - t0:.1f} s: wrote {len(written)} files to {out}",
        highlight=False,
        soft_wrap=True,
    )


rules_app = typer.Typer(
    help="Rule sets as data (SPEC D11): list the built-in ones, show one, compare two.",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
@_friendly
def rules_list() -> None:
    """The built-in rule sets: name, sha256 of their values, description."""
    from .rules import available, builtin

    for name in available():
        rs = builtin(name)
        typer.echo(f"{name}\t{rs.digest[:12]}\t{rs.description}")


@rules_app.command("show")
@_friendly
def rules_show(
    rule_set: Annotated[str, typer.Argument(help="A built-in name or a rule file.")],
    format: Annotated[str, typer.Option("--format", help="toml or json.")] = "toml",
) -> None:
    """Print a whole rule set (every value under its rule id), e.g. to start a file of
    your own: `jobindsats rules show v1.73 > mine.toml`, edit, then `--rules mine.toml`."""
    from .rules import get_rules

    if format not in ("toml", "json"):
        raise ValueError(f"--format must be toml or json, not {format!r}")
    rs = get_rules(rule_set)
    text = rs.to_toml() if format == "toml" else rs.to_json()
    if format == "toml":
        text = f"# sha256 of the values: {rs.digest}\n" + text
    typer.echo(text, nl=False)


@rules_app.command("diff")
@_friendly
def rules_diff(
    a: Annotated[str, typer.Argument(help="A built-in name or a rule file.")],
    b: Annotated[str, typer.Argument(help="A built-in name or a rule file.")],
) -> None:
    """Every value that differs between two rule sets: key, value in A, value in B."""
    import json

    from .rules import get_rules

    ra, rb = get_rules(a), get_rules(b)
    rows = ra.diff(rb)
    typer.echo(
        f"{ra.name} ({ra.digest[:12]}) -> {rb.name} ({rb.digest[:12]}): {len(rows)} difference(s)"
    )
    for key, old, new in rows:
        typer.echo(f"{key}\t{json.dumps(old)}\t{json.dumps(new)}")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
