"""Rule sets as data (SPEC D11): the built-in files, load/dump/derive/diff, digests, the
checks of a rule file, provenance in every output, and the `rules` CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import jobindsats
from builders import benefit, interview, tables
from jobindsats import rules
from jobindsats.errors import RuleSetError

RET = "v1.73-ret-og-pligt"


def test_available_builtin_rule_sets():
    assert rules.available() == ["v1.73", RET]
    for name in rules.available():
        rs = rules.builtin(name)
        assert rs.name == name
        assert re.fullmatch(r"[0-9a-f]{64}", rs.digest)
    assert rules.builtin("v1.73") is jobindsats.get_rules("v1.73")


def test_unknown_builtin_names_the_known_ones():
    with pytest.raises(RuleSetError, match=r"unknown rule set 'v2'.*v1\.73, v1\.73-ret-og-pligt"):
        rules.builtin("v2")


@pytest.mark.parametrize("name", ["v1.73", RET])
@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_dump_and_load_round_trip_with_the_same_digest(tmp_path, name, suffix):
    rs = rules.builtin(name)
    back = rules.load(rs.dump(tmp_path / f"r{suffix}"))
    assert back == rs
    assert back.digest == rs.digest
    assert back.name == name


def test_the_variant_differs_from_v1_73_only_in_covid_dead_periods():
    diff = rules.builtin("v1.73").diff(rules.builtin(RET))
    assert {key for key, _, _ in diff} == {f"covid_dead.{g}" for g in jobindsats.schema.GROUPS}
    new = dict((key, b) for key, _, b in diff)
    assert new["covid_dead.dagpenge"] == [
        ["2020-03-01", "2020-08-31"],
        ["2021-01-01", "2021-06-30"],
    ]
    assert new["covid_dead.kontanthjaelp"] == []
    # R14's closed-interview window stays
    assert (
        rules.builtin(RET).covid_interviews_never == rules.builtin("v1.73").covid_interviews_never
    )


def test_digest_covers_values_not_names():
    base = rules.builtin("v1.73")
    assert base.derive("renamed").digest == base.digest
    changed = base.derive("renamed", mii_exempt_days=6)
    assert changed.digest != base.digest
    assert changed.diff(base) == [("mii_exempt_days", 6, 5)]
    assert changed.kernel_rules().mii_days == 6


def test_derive_checks_its_changes_like_a_file():
    base = rules.builtin("v1.73")
    with pytest.raises(RuleSetError, match="window_dayz: unknown rule value"):
        base.derive("x", window_dayz=3)
    with pytest.raises(RuleSetError, match=r"exempt_threshold_pct: 150 lies outside 0\.\.100"):
        base.derive("x", exempt_threshold_pct=150)
    with pytest.raises(RuleSetError, match=r"covid_dead\.dagpenge: period ends"):
        base.derive("x", covid_dead={"dagpenge": [("2020-06-30", "2020-03-01")]})


def test_a_file_extends_a_builtin_and_lists_only_what_differs(tmp_path):
    path = tmp_path / "trial.toml"
    path.write_text(
        'name = "trial-2025"\nextends = "v1.73"\n\n'
        '[[R23.trial_municipalities]]\nmunicipalities = [751]\nforms = ["telefon"]\n'
        "start = 2025-01-01\nend = 2025-12-31\n",
        encoding="utf-8",
    )
    rs = rules.load(path)
    assert rs.name == "trial-2025"
    assert [key for key, _, _ in rs.diff(rules.builtin("v1.73"))] == ["trial_municipalities"]
    assert [t.municipality for t in rs.trial_municipalities] == [751]


_BASE = 'name = "bad"\nextends = "v1.73"\n'


@pytest.mark.parametrize(
    ("body", "key", "line", "what"),
    [
        ("[R99]\nx = 1\n", "R99", 3, "unknown key 'R99'"),
        ("[R20]\nwindow_dayz = 3\n", "R20.window_dayz", 4, "unknown key 'window_dayz'"),
        ("[R20]\nmii_exempt_days = 3\n", "R20.mii_exempt_days", 4, r"belongs in \[R32\]"),
        ('[R20]\nwindow_days = "365"\n', "window_days", 4, "expected a whole number"),
        ("[R12]\nhours_per_month_full = true\n", "hours_per_month_full", 4, "expected a number"),
        ("[R14]\ncovid_interviews_never = [2020-05-26, 2020-03-12]\n",
         "covid_interviews_never", 4, "period ends"),
        ("[R22]\nreopening = [[2020-05-27, 2021-08-31], [2021-08-01, 2022-01-31]]\n",
         "reopening", 4, "must not overlap"),
        ("[R14.covid_dead]\ndagpenge = [[2020-03-01, 2020-06-30], [2020-06-01, 2020-08-31]]\n",
         "covid_dead.dagpenge", 4, "must not overlap"),
        ("[R12]\nday_edges = [31, 62, 61]\n", "day_edges", 4, "strictly ascending"),
        ("[R2]\npension_age = [[1954-01-01, 786], [1900-01-01, 780]]\n",
         "pension_age", 4, "strictly ascending"),
        ("[[R23.trial_municipalities]]\nmunicipalities = [100]\nforms = [\"digitalt\"]\n"
         "start = 2017-07-01\nend = 2023-12-31\n",
         "trial_municipalities.municipalities", 4, "not one of the 98 Danish municipality"),
        ("[R31]\nexempt_threshold_pct = 150\n", "exempt_threshold_pct", 4, r"outside 0\.\.100"),
        ("[R41]\nfocus_threshold = 1.5\n", "focus_threshold", 4, r"outside 0\.0\.\.1\.0"),
        ('[R22]\nform_rule_from = "2023-02-30"\n', "form_rule_from", 4, "is not a date"),
        ("[R22]\nform_rule_from = 2300-01-01\n", "form_rule_from", 4, "outside 1900..2100"),
        ("[R14.covid_dead]\nfoo = []\n", "covid_dead.foo", 4, "unknown group 'foo'"),
        ("[R30.exemption_codes.dagpenge]\nall = [2, 2]\n", "exemption_codes.dagpenge.all", 4,
         "lists a code twice"),
        ("[R20\nwindow_days = 3\n", None, 3, "not valid TOML"),
    ],
)  # fmt: skip
def test_a_bad_rules_file_names_the_key_and_line(tmp_path, body, key, line, what):
    path = tmp_path / "bad.toml"
    path.write_text(_BASE + body, encoding="utf-8")
    with pytest.raises(RuleSetError, match=what) as info:
        rules.load(path)
    err = info.value
    assert err.key == key
    assert err.line == line
    assert str(path) in str(err)
    assert f"line {line}" in str(err)


def test_a_file_missing_a_value_without_extends_names_it(tmp_path):
    path = tmp_path / "short.toml"
    path.write_text('name = "short"\n[R20]\nwindow_days = 365\n', encoding="utf-8")
    with pytest.raises(RuleSetError, match=r"missing rule value 'measured' \(\[R1\]"):
        rules.load(path)


def test_get_rules_takes_a_name_a_path_or_a_rule_set(tmp_path):
    rs = rules.builtin(RET)
    path = rs.dump(tmp_path / "copy.toml")
    assert jobindsats.get_rules(RET) is rs
    assert jobindsats.get_rules(str(path)).digest == rs.digest
    assert jobindsats.get_rules(path).digest == rs.digest
    assert jobindsats.get_rules(rs) is rs


# --- no rule value in the kernels -------------------------------------------------------

_ROOT = Path(__file__).resolve().parents[1]
# Values of v1.73 that only a rule set may hold: hours units, dead codes, day numbers of
# rule dates (2020-03-01, 2020-06-30, 2023-03-22, 2024-01-01), years of rule dates.
_RULE_LITERALS = re.compile(
    r"160\.33|\b130(\.0)?\b|1923\.96|\b1560\b|\b90[12]\b|\b18322\b|\b18443\b|\b19438\b|"
    r"\b19723\b|\b20(1[7-9]|2[0-4])\b|\b225(\.0)?\b"
)


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """The lines of a C++ or Python source without its comments and docstrings."""
    out, in_doc = [], False
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line
        if path.suffix == ".py":
            quotes = text.count('"""')
            if in_doc or quotes:
                in_doc = in_doc != (quotes % 2 == 1)
                continue
            text = text.split("#", 1)[0]
        else:
            text = text.split("//", 1)[0]
        out.append((n, text))
    return out


def test_no_rule_value_is_written_in_the_kernels_or_the_binding():
    sources = [
        *sorted((_ROOT / "cpp").glob("*.[ch]pp")),
        *sorted((_ROOT / "src").glob("*.[ch]pp")),
        *sorted(Path(jobindsats.__file__).parent.joinpath("kernels").glob("*.py")),
    ]
    if not (_ROOT / "cpp").is_dir():
        pytest.skip("the C++ sources are not beside the tests")
    assert len(sources) > 30
    hits = [
        f"{p.name}:{n}: {text.strip()}"
        for p in sources
        for n, text in _code_lines(p)
        if _RULE_LITERALS.search(text)
    ]
    assert hits == []


# --- provenance in every output, and the CLI --------------------------------------------


@pytest.fixture
def small_dataset(tmp_path):
    raw = tables(
        benefits=[benefit("kontanthjaelp", "2020-01-01", "2020-12-31")],
        interviews=[interview("2020-06-10")],
    )
    path = tmp_path / "data"
    path.mkdir()
    for name, table in raw.items():
        pq.write_table(table, path / f"{name}.parquet")
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobindsats", *args], capture_output=True, text=True, check=False
    )


def test_measure_cli_records_the_rule_set_everywhere(small_dataset, tmp_path):
    out = tmp_path / "out"
    r = _cli("measure", str(small_dataset), "--from", "2020-07", "--to", "2020-07",
             "--out", str(out), "--rules", RET)  # fmt: skip
    assert r.returncode == 0, r.stderr
    digest = rules.builtin(RET).digest
    run = json.loads((out / "run.json").read_text())
    assert (run["rules"], run["rules_digest"]) == (RET, digest)
    assert rules.load(out / "rules.toml").digest == digest
    for name in ("cells", "persons"):
        meta = pq.read_schema(out / f"{name}.parquet").metadata
        assert meta[b"jobindsats.rules"] == RET.encode()
        assert meta[b"jobindsats.rules_digest"] == digest.encode()
    # the variant does not freeze kontanthjælp: 182 counted days on 2020-07-31 (D1)
    persons = pq.read_table(out / "persons.parquet").to_pylist()
    assert [p["duration_days"] for p in persons] == [212]
    # a report of that directory carries the rule set on, exactly (rules.toml)
    from jobindsats.report import load_measurement

    m = load_measurement(out)
    assert (m.rules, m.rules_digest) == (RET, digest)


def test_cli_takes_a_rules_file_and_refuses_a_bad_one(small_dataset, tmp_path):
    mine = rules.builtin("v1.73").derive("mine", window_days=300).dump(tmp_path / "mine.toml")
    out = tmp_path / "out"
    r = _cli("measure", str(small_dataset), "--from", "2020-07", "--to", "2020-07",
             "--out", str(out), "--rules", str(mine))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "run.json").read_text())["rules"] == "mine"
    bad = tmp_path / "bad.toml"
    bad.write_text(_BASE + "[R31]\nexempt_threshold_pct = 150\n", encoding="utf-8")
    r = _cli("measure", str(small_dataset), "--from", "2020-07", "--to", "2020-07",
             "--out", str(tmp_path / "out2"), "--rules", str(bad))  # fmt: skip
    assert r.returncode == 2
    assert "line 4" in r.stderr
    assert "exempt_threshold_pct" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out2").exists()  # nothing runs


def test_explain_names_the_rule_set_and_its_digest(small_dataset):
    r = _cli("explain", str(small_dataset), "--person", "1", "--month", "2020-07",
             "--rules", RET)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert f"rule set {RET}, sha256 {rules.builtin(RET).digest}" in r.stdout.replace("\n", "")
    assert "dead periods of the group (R13, R14): none" in r.stdout


def test_rules_cli_list_show_diff(tmp_path):
    r = _cli("rules", "list")
    assert r.returncode == 0
    assert [line.split("\t")[0] for line in r.stdout.splitlines()] == ["v1.73", RET]
    r = _cli("rules", "show", RET)
    assert r.returncode == 0
    path = tmp_path / "shown.toml"
    path.write_text(r.stdout, encoding="utf-8")
    assert rules.load(path).digest == rules.builtin(RET).digest
    r = _cli("rules", "show", "v1.73", "--format", "json")
    assert json.loads(r.stdout)["window_days"] == 365
    r = _cli("rules", "diff", "v1.73", RET)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].endswith("9 difference(s)")
    assert lines[1].startswith("covid_dead.dagpenge\t")
    r = _cli("rules", "show", "nope")
    assert r.returncode == 2
    assert "unknown rule set 'nope'" in r.stderr


def test_workbook_and_html_report_name_the_rule_set_and_digest(small_dataset, tmp_path):
    import openpyxl

    from jobindsats.report import write_report

    m = jobindsats.measure(small_dataset, "2020-07", "2020-07", rules=RET)
    write_report(m, tmp_path / "report.xlsx")
    digest = rules.builtin(RET).digest
    notes = openpyxl.load_workbook(tmp_path / "report.xlsx")["Noter"]
    values = {row[0]: row[1] for row in notes.iter_rows(values_only=True) if row[0]}
    assert values["Regelsæt"] == RET
    assert values["Regelsættets sha256"] == digest
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"Regelsæt {RET}, sha256 {digest}" in html
