"""The HTML summary (jobindsats.report.html): its tables, that it is self-contained, and
that a real browser (headless Chromium) renders the national table."""

from __future__ import annotations

import datetime as dt
import struct
from html.parser import HTMLParser

import pytest

from browser import chromium, run_chromium
from jobindsats.report import compute_derived, write_html, write_report
from jobindsats.report.cells import select
from jobindsats.report.labels import num, pct
from report_data import report_measurement

LAST = dt.date(2024, 12, 1)


@pytest.fixture(scope="module")
def measurement():
    return report_measurement(5)


@pytest.fixture(scope="module")
def report_html(measurement, tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report.xlsx"
    written = write_report(measurement, out)
    assert written[-1] == out.with_suffix(".html")
    return written[-1]


_VOID = frozenset({"meta", "img", "br", "hr", "link", "input", "col", "source", "wbr"})


class _Page(HTMLParser):
    """Collects the text of each element with an id, every table row of those, and
    the attributes that can load something."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, list[str]] = {}
        self.rows: dict[str, list[list[str]]] = {}
        self.open: list[str] = []
        self.depth: list[int] = []
        self.links: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self._level = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "action", "data", "poster") and value is not None:
                self.links.append((tag, name, value))
        if tag in _VOID:
            return
        self._level += 1
        ident = dict(attrs).get("id")
        if ident:
            self.open.append(ident)
            self.depth.append(self._level)
            self.text[ident] = []
            self.rows[ident] = []
        if tag == "tr":
            for i in self.open:
                self.rows[i].append([])

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if self.depth and self.depth[-1] == self._level:
            self.open.pop()
            self.depth.pop()
        self._level -= 1

    def handle_data(self, data):
        for i in self.open:
            self.text[i].append(data)
            if self.rows[i] and data.strip():
                self.rows[i][-1].append(data.strip())


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_national_table_holds_the_last_month_by_group(report_html, measurement):
    page = _parse(report_html.read_text(encoding="utf-8"))
    assert "national-table" in page.text
    text = " ".join(page.text["national-table"])
    assert "Hele landet" in text
    assert "2024-12" in text
    rows = {r[0]: r for r in page.rows["national-table"] if r}
    assert "Alle ydelser" in rows
    assert "Kontanthjælp, jobparat" in rows
    cell = {
        r["interval"]: r
        for r in select(measurement.cells, month=LAST, municipality=0, group="all").to_pylist()
    }
    row = rows["Alle ydelser"]
    # columns per interval: persons, n0..n5plus, lt4, share, exempt (10); under 12 first
    assert row[1] == num(cell["under12"]["persons"])
    assert row[1 + 8] == pct(cell["under12"]["share_lt4"])
    assert row[1 + 10] == num(cell["12+"]["persons"])
    assert row[1 + 10 + 8] == pct(cell["12+"]["share_lt4"])


def test_derived_tables_and_quality_are_in_the_page(report_html, measurement):
    page = _parse(report_html.read_text(encoding="utf-8"))
    for ident in ("focus-table", "samtaletal-table", "passivity-table", "quality-table"):
        assert page.rows[ident], ident
    focus = {r[0]: r for r in page.rows["focus-table"] if r}
    assert "Alle ydelser" in focus
    quality = {r[0]: r[1] for r in page.rows["quality-table"] if len(r) == 2}
    assert quality["population"] == num(measurement.quality["population"])
    assert quality["conserved"] == "ja"
    samtaletal = [r[0] for r in page.rows["samtaletal-table"][1:]]
    assert "Dagpenge" in samtaletal


def test_page_is_self_contained(report_html):
    text = report_html.read_text(encoding="utf-8")
    page = _parse(text)
    assert page.links, "the charts are images"
    for tag, name, value in page.links:
        assert value.startswith("data:image/png;base64,"), (tag, name, value[:60])
    assert page.tags.count("img") == 3
    assert "http://" not in text
    assert "https://" not in text
    assert "<script" not in text
    assert "<link" not in text


def test_write_html_alone_computes_its_tables_and_charts(measurement, tmp_path):
    derived = compute_derived(measurement, "2024-06")
    path = write_html(measurement, tmp_path / "x.html", derived=derived, charts={})
    page = _parse(path.read_text(encoding="utf-8"))
    assert "2024-06" in " ".join(page.text["national-table"])
    assert page.tags.count("img") == 0
    path = write_html(measurement, tmp_path / "y.html", month="2024-06")
    assert _parse(path.read_text(encoding="utf-8")).tags.count("img") == 3


@pytest.mark.browser
def test_chromium_renders_the_national_table(report_html, tmp_path):
    exe = chromium()
    dom = run_chromium(exe, tmp_path, "--dump-dom", report_html.as_uri()).stdout
    page = _parse(dom)
    assert "national-table" in page.text, dom[:500]
    assert "Hele landet" in " ".join(page.text["national-table"])
    assert "Alle ydelser" in {r[0] for r in page.rows["national-table"] if r}
    shot = tmp_path / "shot.png"
    run_chromium(
        exe, tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", report_html.as_uri()
    )
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1280, 1600)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
