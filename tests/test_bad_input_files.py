"""The bad-input corpus, part two (issue 18): broken files and directories, bad
arguments, outputs that cannot be written, and rule files with errors.

Every case raises the exact error class from the API with a message naming what is
wrong (table, file, argument, path or rule key), and the CLI exits with status 2 and
prints exactly that message on one line of stderr, without a traceback, leaving no
output behind. Datasets themselves with bad rows are in test_bad_input_corpus.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import jobindsats
from bad_input_cases import valid_tables
from jobindsats import InputError, OutputError, RuleSetError
from jobindsats.cli import app

runner = CliRunner()
MONTHS = ["--from", "2020-01", "--to", "2020-02"]


def write_valid(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, table in valid_tables().items():
        pq.write_table(table, path / f"{name}.parquet")
    return path


def cli_error(*args: str) -> str:
    """Run the CLI; it must exit 2 with one ``error: ...`` line on stderr: the message."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line = result.stderr
    assert line.startswith("error: "), line
    assert line.endswith("\n")
    assert line.count("\n") == 1, line
    return line[len("error: ") : -1]


# --- files and directories ------------------------------------------------------------------


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _csv_only(data: Path) -> None:
    (data / "benefits.parquet").unlink()
    valid_tables()["benefits"].to_pandas().to_csv(data / "benefits.csv", index=False)


def _csv_named_parquet(data: Path) -> None:
    _csv_only(data)
    (data / "benefits.csv").rename(data / "benefits.parquet")


def _stray_file_among_parts(data: Path) -> None:
    (data / "benefits").mkdir()
    (data / "benefits.parquet").rename(data / "benefits" / "part-0.parquet")
    (data / "benefits" / "README.txt").write_text("exported by hand\n")


def _file_and_directory(data: Path) -> None:
    (data / "offers").mkdir()
    shutil.copy(data / "offers.parquet", data / "offers" / "part-0.parquet")


def _no_parts(data: Path) -> None:
    (data / "benefits.parquet").unlink()
    (data / "benefits").mkdir()


def _empty_directory(data: Path) -> None:
    for p in data.iterdir():
        p.unlink()


FILE_CASES: list[tuple[str, Callable[[Path], None], str, tuple[str, ...]]] = [
    ("empty-dataset", _empty_directory, "benefits",
     ("benefits: required table missing: no benefits.parquet or benefits/ parts in",)),
    ("no-benefits", lambda d: (d / "benefits.parquet").unlink(), "benefits",
     ("benefits: required table missing",)),
    ("csv-instead-of-parquet", _csv_only, "benefits",
     ("required table missing", "(found benefits.csv: only Parquet is read)")),
    ("csv-named-parquet", _csv_named_parquet, "benefits",
     ("benefits: cannot read", "benefits.parquet", "Parquet magic bytes not found")),
    ("truncated-parquet", lambda d: _truncate(d / "interviews.parquet"), "interviews",
     ("interviews: cannot read", "interviews.parquet")),
    ("zero-byte-parquet", lambda d: (d / "mii.parquet").write_bytes(b""), "mii",
     ("mii: cannot read", "mii.parquet", "0 bytes")),
    ("stray-file-among-parts", _stray_file_among_parts, "benefits",
     ("benefits: cannot read", "README.txt")),
    ("file-and-directory", _file_and_directory, "offers",
     ("offers: both offers.parquet and offers/ exist", "keep one")),
    ("directory-without-parts", _no_parts, "benefits",
     ("benefits: required table missing: no Parquet parts in", "data/benefits")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "damage", "table", "shows"), FILE_CASES, ids=lambda x: x)
def test_broken_files(tmp_path, case, damage, table, shows) -> None:
    data = write_valid(tmp_path / "data")
    damage(data)
    with pytest.raises(InputError) as info:
        jobindsats.read_dataset(data)
    message = str(info.value)
    assert info.value.table == table
    for piece in shows:
        assert piece in message, (piece, message)
    out = tmp_path / "out"
    assert cli_error("validate", str(data)) == message
    assert cli_error("measure", str(data), *MONTHS, "--out", str(out)) == message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


@pytest.mark.parametrize("where", ["missing", "a-file"])
def test_a_dataset_path_that_is_not_a_directory(tmp_path, where) -> None:
    path = tmp_path / where
    if where == "a-file":
        path.write_text("x")
    with pytest.raises(InputError, match="does not exist or is not a directory") as info:
        jobindsats.read_dataset(path)
    assert str(path) in str(info.value)
    assert cli_error("validate", str(path)) == str(info.value)


def test_stray_files_beside_the_tables_are_ignored(tmp_path) -> None:
    """Decision: files that are not a table of SPEC §2 (notes, an unknown table, Spark's
    _SUCCESS and hidden .crc files among parts) are ignored, as SPEC §2 ignores unknown
    columns; a non-Parquet file *among a table's parts* is an error (test_broken_files),
    since it may be data in another format."""
    clean = jobindsats.read_dataset(write_valid(tmp_path / "clean"))
    data = write_valid(tmp_path / "data")
    (data / "notes.txt").write_text("hello")
    (data / "interview.parquet").write_bytes(b"not even parquet")  # not a table name
    (data / "offers").mkdir()
    (data / "offers.parquet").rename(data / "offers" / "part-0.parquet")
    (data / "offers" / "_SUCCESS").write_text("")
    (data / "offers" / ".part-0.parquet.crc").write_bytes(b"\x00")
    assert jobindsats.read_dataset(data).equals(clean)


# --- arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "shows"),
    [
        ("2024-13", "2024-12", "month must look like YYYY-MM (e.g. 2024-01), got '2024-13'"),
        ("2024-00", "2024-12", "got '2024-00'"),
        ("24-01", "2024-12", "got '24-01'"),
        ("2024-1", "2024-12", "got '2024-1'"),
        ("2024-01-15", "2024-12", "got '2024-01-15'"),
        ("1899-12", "2024-12", "month 1899-12 is outside 1900-01..2100-12"),
        ("2024-05", "2024-04", "end month 2024-04 is before start month 2024-05"),
    ],
)
def test_bad_months(tmp_path, start, end, shows) -> None:
    data = write_valid(tmp_path / "data")
    with pytest.raises(ValueError, match=re.escape(shows)) as info:
        jobindsats.measure(data, start, end)
    assert type(info.value) is ValueError
    assert shows in str(info.value)
    args = ["measure", str(data), "--from", start, "--to", end, "--out", str(tmp_path / "o")]
    assert cli_error(*args) == str(info.value)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("option", "value", "keyword", "shows"),
    [
        ("--threads", "0", {"threads": 0}, "threads must be at least 1, got 0"),
        ("--threads", "-1", {"threads": -1}, "threads must be at least 1, got -1"),
        ("--backend", "x", {"backend": "x"}, "backend must be 'auto', 'cpp' or 'numba', got 'x'"),
    ],
)
def test_bad_threads_and_backend(tmp_path, option, value, keyword, shows) -> None:
    data = write_valid(tmp_path / "data")
    for source in (data, jobindsats.read_dataset(data)):
        with pytest.raises(ValueError, match=re.escape(shows)) as info:
            jobindsats.measure(source, "2020-01", "2020-02", **keyword)
        assert type(info.value) is ValueError
        assert str(info.value) == shows
    out = tmp_path / "o"
    assert cli_error("measure", str(data), *MONTHS, "--out", str(out), option, value) == shows
    assert not out.exists()


# --- outputs --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> tuple[Path, jobindsats.Measurement]:
    data = write_valid(tmp_path_factory.mktemp("measured") / "data")
    return data, jobindsats.measure(data, "2020-01", "2020-02", backend="cpp")


def _measure_cli(data: Path, out: Path, *extra: str):
    return runner.invoke(app, ["measure", str(data), *MONTHS, "--out", str(out), *extra])


def test_an_output_path_that_is_an_existing_file(tmp_path, measured) -> None:
    data, m = measured
    out = tmp_path / "taken"
    out.write_text("keep me")
    with pytest.raises(OutputError) as info:
        m.write(out)
    assert str(info.value) == f"{out} exists and is not a directory"
    assert cli_error("measure", str(data), *MONTHS, "--out", str(out)) == str(info.value)
    assert out.read_text() == "keep me"


def test_an_output_directory_inside_a_file(tmp_path, measured) -> None:
    data, m = measured
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out"
    with pytest.raises(OutputError, match=f"cannot write {out}: .*is not a directory") as info:
        m.write(out)
    assert cli_error("measure", str(data), *MONTHS, "--out", str(out)) == str(info.value)


def _unwritable(tmp_path: Path) -> Path:
    """A directory in which this process cannot create anything: a read-only directory,
    or for root (who may write anywhere) a directory of sysfs."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        return locked / "out"
    if not (sys.platform.startswith("linux") and Path("/sys/kernel").is_dir()):
        pytest.skip("no directory is read-only for root here")
    return Path("/sys/kernel/jobindsats-out")


def test_an_unwritable_output_directory(tmp_path, measured) -> None:
    data, m = measured
    out = _unwritable(tmp_path)
    with pytest.raises(OutputError, match=f"cannot write {out}: ") as info:
        m.write(out)
    message = cli_error("measure", str(data), *MONTHS, "--out", str(out))
    assert message == str(info.value)
    assert not out.exists()


def test_an_output_directory_holding_an_earlier_run_is_refused_unless_overwrite(
    tmp_path, measured
) -> None:
    """Decision: an unattended pipeline must never mix two runs nor lose one by accident,
    so a directory holding any output of an earlier run is refused before any work
    (naming it and the files) unless --overwrite / overwrite=True; then the new run
    replaces it whole: files it does not write (persons.parquet after --no-persons) are
    removed, and other files in the directory are left alone."""
    data, m = measured
    out = tmp_path / "out"
    assert _measure_cli(data, out).exit_code == 0
    (out / "notes.txt").write_text("mine")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    files = "cells.parquet, persons.parquet, quality.json, rules.toml, run.json"
    expected = (
        f"{out} holds an earlier run ({files}); choose another directory, or pass "
        "--overwrite (overwrite=True) to replace it"
    )
    with pytest.raises(OutputError) as info:
        m.write(out)
    assert str(info.value) == expected
    assert cli_error("measure", str(data), *MONTHS, "--out", str(out), "--no-persons") == expected
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched
    result = _measure_cli(data, out, "--no-persons", "--overwrite")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "cells.parquet", "notes.txt", "quality.json", "rules.toml", "run.json",
    ]  # fmt: skip
    assert (out / "notes.txt").read_text() == "mine"
    m.write(out, overwrite=True)
    assert pq.read_table(out / "persons.parquet").equals(m.persons)


# --- rule files ------------------------------------------------------------------------------

RULE_CASES = [
    ("unknown-builtin", None, "rule set: unknown rule set 'v9'", None),
    ("missing-file", "absent.toml", "rule set: cannot read", None),
    ("bad-value", '[R31]\nexempt_threshold_pct = 150\n', "outside 0..100", "exempt_threshold_pct"),
    ("unknown-key", "[R20]\nwindow_dayz = 3\n", "unknown key 'window_dayz'", "R20.window_dayz"),
    ("not-toml", "[R20\nwindow_days = 3\n", "not valid TOML", None),
    ("json-list", "[1, 2]", "a rule file holds an object of keys, not a JSON list", None),
]  # fmt: skip


@pytest.mark.parametrize(("case", "body", "shows", "key"), RULE_CASES, ids=lambda x: x)
def test_rule_files_with_errors(tmp_path, measured, case, body, shows, key) -> None:
    data, _ = measured
    if case == "unknown-builtin":
        rules = "v9"
    elif case == "missing-file":
        rules = str(tmp_path / body)
    else:
        path = tmp_path / ("bad.json" if case == "json-list" else "bad.toml")
        text = body if case == "json-list" else 'name = "bad"\nextends = "v1.73"\n' + body
        path.write_text(text, encoding="utf-8")
        rules = str(path)
    with pytest.raises(RuleSetError) as info:
        jobindsats.rules.get_rules(rules)
    assert shows in str(info.value)
    assert info.value.key == key
    if rules != "v9":
        assert rules in str(info.value)  # the file is named
    out = tmp_path / "out"
    message = cli_error("measure", str(data), *MONTHS, "--out", str(out), "--rules", rules)
    assert message == str(info.value)
    assert not out.exists()


def test_run_json_is_written_last_and_names_the_run(tmp_path, measured) -> None:
    _, m = measured
    out = m.write(tmp_path / "o")
    assert json.loads((out / "run.json").read_text())["rules"] == "v1.73"
