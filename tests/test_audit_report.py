"""The focus audit's report (SPEC R45, issue 17): audit.xlsx, the charts, audit.html and
`jobindsats audit`. Workbook, charts and page are checked against a hand-made result
(tests/audit_report_data.py) whose R45.8 changes and ranks are known; the CLI end to end
on a small synthetic population."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import struct
from html.parser import HTMLParser

import openpyxl
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import jobindsats
from audit_report_data import AFTER, BEFORE, DIGEST, audit_result
from jobindsats.audit import AUDIT_TABLES
from jobindsats.cli import app
from jobindsats.report import audit_charts as ac
from jobindsats.report.audit_bundle import parse_period, write_audit_report
from jobindsats.report.audit_html import render_audit_html
from jobindsats.report.audit_labels import period_label
from jobindsats.report.audit_view import view
from jobindsats.report.audit_workbook import AUDIT_SHEETS, write_audit_workbook

runner = CliRunner()


@pytest.fixture(scope="module")
def result():
    return audit_result()


@pytest.fixture(scope="module")
def single():
    return audit_result((AFTER,))


@pytest.fixture(scope="module")
def charts(result):
    return ac.audit_charts(result)


@pytest.fixture(scope="module")
def book(result, tmp_path_factory):
    path = write_audit_workbook(result, tmp_path_factory.mktemp("xlsx") / "audit.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    wb.close()
    return sheets


def _columns(rows: list[tuple]) -> dict[tuple[str, str], int]:
    """(upper header, lower header) → column index; merged upper cells carry forward."""
    top, out = "", {}
    for i, (upper, lower) in enumerate(zip(rows[0], rows[1], strict=True)):
        top = upper if upper else (top if upper is None else "")
        out[(top, lower)] = i
    return out


# --- labels and periods ---------------------------------------------------------------------


def test_period_labels_in_the_seeds_words():
    assert period_label("2019-01-01:2019-12-31") == "2019"
    assert period_label("2021-09-01:2022-08-31") == "sept. 2021 – aug. 2022"
    assert period_label("2022-03-01:2022-03-31") == "marts 2022"
    assert period_label("2021-09-01:2022-08-15") == "01.09.2021 – 15.08.2022"


def test_parse_period_names_the_option():
    assert str(parse_period("--after", "2021-09-01:2022-08-31")[1]) == "2022-08-31"
    with pytest.raises(ValueError, match="--before: expected a period YYYY-MM-DD:YYYY-MM-DD"):
        parse_period("--before", "2019")
    with pytest.raises(ValueError, match=r"--period: the period ends \(2019-01-01\) before"):
        parse_period("--period", "2019-12-31:2019-01-01")


# --- R45.8 as the report reads it ------------------------------------------------------------


def test_view_reads_before_after_change_and_rank_from_the_change_table(result):
    v = view(result, "intensity", seniority="all")
    assert v.compared
    assert v.periods == (BEFORE, AFTER)
    rows = {r["municipality"]: r["intensity"] for r in v.rows}
    assert rows[751].before == pytest.approx(0.20)
    assert rows[751].after == pytest.approx(0.25)
    assert rows[751].change == pytest.approx(25.0)
    assert rows[751].rank == 1
    assert rows[101].change == pytest.approx(-10.0)
    assert rows[101].rank == 2
    assert rows[0].change == pytest.approx(12.0)
    assert rows[0].rank is None
    assert rows[999].rank is None
    assert [r["municipality"] for r in v.rows] == [0, 101, 751, 999]


def test_view_of_one_period_holds_the_tables_values(single):
    v = view(single, "intensity", seniority="all", municipality=751)
    assert not v.compared
    assert v.periods == (AFTER,)
    (row,) = v.rows
    assert row["intensity"].before == pytest.approx(0.25)
    assert row["intensity"].after is None
    assert row["intensity"].rank is None
    with pytest.raises(ValueError, match="no key column"):
        view(single, "intensity_spread", municipality=0)


# --- the workbook -----------------------------------------------------------------------------


def test_workbook_has_one_sheet_per_analysis_and_notes(book):
    assert tuple(book) == AUDIT_SHEETS
    assert AUDIT_SHEETS[:3] == ("Samtaleintensitet", "Spredning", "Samtaletyper")
    assert len(AUDIT_SHEETS) == len(AUDIT_TABLES) + 1


def test_intensity_sheet_has_before_after_change_and_rank(book):
    rows = book["Samtaleintensitet"]
    col = _columns(rows)
    before = col[("Samtaleintensitet", "Før (2019)")]
    after = col[("Samtaleintensitet", "Efter (sept. 2021 – aug. 2022)")]
    change = col[("Samtaleintensitet", "Udvikling i %")]
    rank = col[("Samtaleintensitet", "Rang")]
    data = {(r[0], r[2]): r for r in rows[2:]}
    aarhus = data[(751, "Alle (AI*)")]
    assert aarhus[1] == "Aarhus"
    assert aarhus[before] == pytest.approx(0.20)
    assert aarhus[after] == pytest.approx(0.25)
    assert aarhus[change] == pytest.approx(25.0)
    assert aarhus[rank] == 1
    assert data[(101, "Alle (AI*)")][rank] == 2
    national = data[(0, "Alle (AI*)")]
    assert national[1] == "Hele landet"
    assert national[rank] is None
    assert national[col[("Ydelsesuger", "Før (2019)")]] == 180
    assert rows[2][0] == 0  # national first
    assert len(rows) == 2 + 12  # 4 municipalities x 3 seniority groups


def test_sheets_use_the_seeds_danish_labels(book):
    mix = {(r[2], r[3]) for r in book["Samtaletyper"][2:]}
    assert ("Samtaletype", "Fællessamtale") in mix
    assert ("Samtaleform", "Personligt fremmøde") in mix
    joint = {r[3] for r in book["Fællessamtaler"][2:]}
    assert joint == {"Både a-kasse og jobcenter", "Kun a-kasse", "Kun jobcenter",
                     "Ingen af parterne"}  # fmt: skip
    entitlement = [r[2] for r in book["Ret til fællessamtaler"][2:5]]
    assert entitlement == ["1. fællessamtale", "2. fællessamtale", "3. fællessamtale"]
    sub = [(r[0], r[1]) for r in book["Delgrupper"][2:]]  # the seed's table 3.1 order
    assert sub == [("Køn", "Mand"), ("Køn", "Kvinde"), ("Alder", "Under 25"),
                   ("Herkomst", "Ukendt")]  # fmt: skip
    kinds = {r[3] for r in book["Aktiveringstyper"][2:]}
    assert "Vejledning og opkvalificering" in kinds
    headers = set(book["Aktivering"][0])
    assert {"Aktiveringsberørte", "Andel aktiveringsberørte", "Andel aktiveringsuger"} <= headers


def test_change_sheet_is_the_whole_change_table(book, result):
    rows = book["Udvikling"]
    assert len(rows) - 2 == result.change.num_rows
    col = {name: i for i, name in enumerate(rows[1])}
    first = rows[2]
    assert first[col["Tabel"]] == "Samtaleintensitet"
    assert first[col["Mål"]] == "Ydelsesuger"
    change = result.change.to_pylist()
    ranked = [i for i, r in enumerate(change) if r["rank"] is not None]
    for i in ranked[:5]:
        assert rows[2 + i][col["Rang"]] == change[i]["rank"]
        assert rows[2 + i][col["Udvikling i %"]] == pytest.approx(change[i]["change_pct"])


def test_notes_name_group_periods_and_rule_set(book):
    notes = {r[0]: r[1] for r in book["Noter"] if r and r[0]}
    assert notes["Ydelsesgruppe"] == "Dagpenge (dagpenge)"
    assert notes["Før"] == f"2019 ({BEFORE})"
    assert notes["Efter"] == f"sept. 2021 – aug. 2022 ({AFTER})"
    assert notes["Regelsæt"] == "v1.73"
    assert notes["Regelsættets sha256"] == DIGEST
    assert notes["Kørselsdato"][:2] == "20"
    assert "Udvikling i %" in notes


def test_one_period_workbook_has_values_and_an_empty_change_sheet(single, tmp_path):
    path = write_audit_workbook(single, tmp_path / "one.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb["Samtaleintensitet"].iter_rows(values_only=True))
    change = list(wb["Udvikling"].iter_rows(values_only=True))
    notes = {r[0]: r[1] for r in wb["Noter"].iter_rows(values_only=True) if r and r[0]}
    wb.close()
    assert rows[0][3] == "sept. 2021 – aug. 2022"
    assert rows[1] == ("Kom.nr.", "Kommune", "Anciennitet", "Ydelsesuger", "Samtaler",
                       "Samtaleintensitet")  # fmt: skip
    assert (751, "Aarhus", "Alle (AI*)", 40, 10, 0.25) in rows
    assert all(r[0] is None for r in change[2:])  # headers only
    assert notes["Periode"] == f"sept. 2021 – aug. 2022 ({AFTER})"


# --- the charts -------------------------------------------------------------------------------


def test_every_chart_is_drawn_with_two_periods(charts):
    assert set(charts) == set(ac.AUDIT_CHARTS)


def test_intensity_bars_show_the_national_values_before_and_after(charts):
    fig = charts["intensity"]
    ax = fig.axes[0]
    heights = [round(p.get_height(), 4) for p in ax.patches]
    # groups present: 0-3, 6-12, all; before bars first, then after
    assert heights == [0.2, 0.29, 0.25, 0.3, 0.2625, 0.28]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["Under 3 mdr.", "6-12 mdr.", "Alle (AI*)"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Før: 2019", "Efter: sept. 2021 – aug. 2022"]  # fmt: skip


def test_municipality_change_ranks_largest_first(result):
    fig = ac.municipality_change(result, "intensity", "intensity", "t")
    ax = fig.axes[0]
    bars = sorted(ax.patches, key=lambda p: -p.get_y())  # top to bottom
    assert [round(b.get_width(), 6) for b in bars] == [25.0, -10.0]
    ticks = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()),
                       strict=True), reverse=True)  # fmt: skip
    assert [name for _, name in ticks] == ["Aarhus", "København"]
    national = [ln for ln in ax.get_lines() if ln.get_label().startswith("Hele landet")]
    assert national[0].get_xdata()[0] == pytest.approx(12.0)


def test_one_period_draws_single_period_charts_and_no_change_charts(single):
    charts = ac.audit_charts(single)
    assert "intensity" in charts
    assert "entitlement" in charts
    assert "intensity_municipalities" not in charts
    assert "touch_rate_municipalities" not in charts
    assert len(charts["intensity"].axes[0].patches) == 3  # one bar per seniority group
    with pytest.raises(ValueError, match="two periods"):
        ac.municipality_change(single, "intensity", "intensity", "t")


def test_mix_shares_add_to_one_per_period(result):
    ax = ac.interview_mix(result).axes[0]  # by type
    per_bar: dict[float, float] = {}
    for p in ax.patches:
        per_bar[round(p.get_y(), 3)] = per_bar.get(round(p.get_y(), 3), 0) + p.get_width()
    assert len(per_bar) == 2
    assert all(v == pytest.approx(1.0) for v in per_bar.values())


# --- the page ---------------------------------------------------------------------------------


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.images: list[str] = []
        self.footer: list[str] = []
        self.in_footer = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.current = a.get("id")
            self.rows[self.current or ""] = []
        elif tag == "tr" and self.current:
            self.rows[self.current].append([])
        elif tag == "img":
            self.images.append(a.get("src", ""))
        elif tag == "footer":
            self.in_footer = True

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag == "footer":
            self.in_footer = False

    def handle_data(self, data):
        if self.current and self.rows[self.current] and data.strip():
            self.rows[self.current][-1].append(data.strip())
        if self.in_footer:
            self.footer.append(data)


def _page(text: str) -> _Tables:
    p = _Tables()
    p.feed(text)
    return p


def test_page_holds_the_key_tables_and_the_charts(result):
    charts = {name: b"\x89PNG fake" for name in ac.AUDIT_CHARTS}
    page = _page(render_audit_html(result, charts))
    for ident in ("intensity-table", "spread-table", "municipalities-table", "mix-table",
                  "activation-table", "kinds-table", "joint-table", "entitlement-table",
                  "subgroups-table"):  # fmt: skip
        assert len(page.rows[ident]) > 2, ident
    assert len(page.images) == len(ac.AUDIT_CHARTS)
    assert all(src.startswith("data:image/png;base64,") for src in page.images)
    intensity = {r[0]: r for r in page.rows["intensity-table"][2:]}
    assert intensity["Alle (AI*)"][1:] == ["180", "150", "-16,7", "45", "42", "-6,7", "0,25",
                                           "0,28", "12,0"]  # fmt: skip
    ranked = page.rows["municipalities-table"][2:]
    assert [r[0] for r in ranked] == ["Hele landet", "Aarhus", "København"]
    assert ranked[1] == ["Aarhus", "0,20", "0,25", "25,0", "1"]
    joint = {r[0]: r for r in page.rows["joint-table"][1:]}
    assert joint["Både a-kasse og jobcenter"][-1] == "8"  # after: 4 x 2 at seniority all
    assert joint["I alt"][-1] == "16"  # 8 + 1 + 6 + 1
    footer = " ".join(page.footer)
    assert f"sha256 {DIGEST}" in footer
    assert "v1.73" in footer
    assert BEFORE in footer


def test_page_of_one_period_has_one_header_row(single):
    page = _page(render_audit_html(single, {}))
    rows = page.rows["intensity-table"]
    assert rows[0] == ["Anciennitet", "Ydelsesuger", "Samtaler", "Samtaleintensitet"]
    assert ["Alle (AI*)", "150", "42", "0,28"] in rows
    assert page.images == []


# --- the CLI end to end -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def population(tmp_path_factory):
    out = tmp_path_factory.mktemp("pop")
    done = runner.invoke(app, ["synth", str(out), "--persons", "400", "--seed", "3",
                               "--start", "2017-01-01", "--end", "2022-12-31"])  # fmt: skip
    assert done.exit_code == 0, done.output
    # Load the compiled core outside CliRunner: an editable install may rebuild it on
    # first import, and the rebuild writes to the real stdout, which CliRunner replaces.
    with contextlib.suppress(ImportError):
        importlib.import_module("jobindsats._core")
    return out


def _audit(*args: str):
    return runner.invoke(app, ["audit", *args])


def test_cli_writes_tables_workbook_charts_and_page(population, tmp_path):
    out = tmp_path / "audit"
    done = _audit(str(population), "--group", "dagpenge", "--before", "2019-01-01:2019-12-31",
                  "--after", "2021-09-01:2022-08-31", "--out", str(out), "--threads", "1")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "wrote" in done.output
    expected = jobindsats.audit(population, "dagpenge",
                                [("2019-01-01", "2019-12-31"), ("2021-09-01", "2022-08-31")])  # fmt: skip
    for name in AUDIT_TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        assert table.equals(expected.tables()[name]), name
        assert table.schema.metadata == expected.tables()[name].schema.metadata
    assert pc.sum(expected.intensity["benefit_weeks"]).as_py() > 0
    wb = openpyxl.load_workbook(out / "audit.xlsx", read_only=True)
    assert tuple(wb.sheetnames) == AUDIT_SHEETS
    wb.close()
    for name in ac.AUDIT_CHARTS:
        png, svg = out / f"audit_{name}.png", out / f"audit_{name}.svg"
        head = png.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n", name
        assert min(struct.unpack(">II", head[16:24])) > 200
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    page = _page((out / "audit.html").read_text(encoding="utf-8"))
    assert len(page.images) == len(ac.AUDIT_CHARTS)
    assert page.rows["intensity-table"]


def test_cli_single_period_writes_no_change_charts(population, tmp_path):
    out = tmp_path / "one"
    done = _audit(str(population), "--group", "dagpenge", "--period", "2021-09-01:2022-08-31",
                  "--out", str(out))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert (out / "audit_intensity.png").exists()
    assert not (out / "audit_intensity_municipalities.png").exists()
    assert pq.read_table(out / "change.parquet").num_rows == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2019"], "--period: expected a period YYYY-MM-DD:YYYY-MM-DD"),
        (["--before", "2019-12-31:2019-01-01", "--after", "2021-09-01:2022-08-31"],
         "--before: the period ends (2019-01-01) before it starts (2019-12-31)"),
        (["--before", "2019-01-01:2019-12-31"], "give --before and --after"),
        (["--period", "2019-01-01:2019-12-31", "--after", "2021-09-01:2022-08-31"],
         "--period is a single period"),
        (["--period", "2019-01-01:2019-12-31", "--group", "nope"], "unknown benefit group 'nope'"),
        (["--period", "2030-01-01:2030-12-31"], "lies outside the data"),
    ],
)  # fmt: skip
def test_cli_errors_exit_2_with_one_message(population, tmp_path, args, message):
    done = _audit(str(population), "--group", "dagpenge", *args, "--out", str(tmp_path / "x"))
    assert done.exit_code == 2
    assert message in " ".join(done.output.split())
    assert "Traceback" not in done.output
    assert not (tmp_path / "x").exists()


def test_cli_help_explains_every_option():
    done = runner.invoke(app, ["audit", "--help"], terminal_width=200)
    assert done.exit_code == 0
    for option in ("--group", "--before", "--after", "--period", "--category", "--rules",
                   "--backend", "--threads", "--out"):  # fmt: skip
        assert option in done.output
    assert "jobindsats audit data --group dagpenge --before 2019-01-01:2019-12-31" in done.output


def test_write_audit_report_reports_progress(single, tmp_path):
    seen: list[tuple[int, int]] = []
    written = write_audit_report(single, tmp_path, progress=lambda d, t: seen.append((d, t)))
    total = len(AUDIT_TABLES) + len(ac.AUDIT_CHARTS) + 2  # tables, workbook, charts, page
    assert seen == [(k, total) for k in range(1, total + 1)]
    assert written[-1].name == "audit.html"
    assert sum(p.suffix == ".png" for p in written) == len(ac.audit_charts(single))


def test_a_period_without_benefit_weeks_gives_an_empty_report_that_says_so(tmp_path):
    full = audit_result((AFTER,))
    empty = dataclasses.replace(
        full,
        **{name: t.slice(0, 0) for name, t in full.tables().items()},
        messages=[f"period {AFTER}: no benefit week of dagpenge; its tables are empty"],
    )
    assert ac.audit_charts(empty) == {}
    written = write_audit_report(empty, tmp_path)
    assert not any(p.suffix == ".png" for p in written)
    wb = openpyxl.load_workbook(tmp_path / "audit.xlsx", read_only=True)
    intensity = list(wb["Samtaleintensitet"].iter_rows(values_only=True))
    notes = [r for r in wb["Noter"].iter_rows(values_only=True) if r and r[0] == "Bemærkning"]
    wb.close()
    assert all(r[0] is None for r in intensity[2:])  # headers only
    assert notes == [("Bemærkning", empty.messages[0])]
    text = (tmp_path / "audit.html").read_text(encoding="utf-8")
    assert empty.messages[0] in text
    assert _page(text).rows["intensity-table"] == [["Anciennitet", "Ydelsesuger", "Samtaler",
                                                     "Samtaleintensitet"]]  # fmt: skip
