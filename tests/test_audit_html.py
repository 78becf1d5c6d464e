"""audit.html in a real browser (headless Chromium), as tests/test_report_html.py does for
the measurement's page: the DOM it builds holds the audit's tables and loaded images, and a
screenshot is a rendered page, not a blank one."""

from __future__ import annotations

import struct
from html.parser import HTMLParser

import pytest

from audit_report_data import audit_result
from browser import chromium, run_chromium
from jobindsats.report.audit_charts import AUDIT_CHARTS
from jobindsats.report.audit_html import write_audit_html


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return write_audit_html(audit_result(), tmp_path_factory.mktemp("audit") / "audit.html")


class _Dom(HTMLParser):
    """The rows of every table with an id, and the images."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[list[str]]] = {}
        self.table: str | None = None
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self.table = a["id"]
            self.rows[self.table] = []
        elif tag == "tr" and self.table:
            self.rows[self.table].append([])
        elif tag == "img":
            self.images.append(a)

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.table and self.rows[self.table] and data.strip():
            self.rows[self.table][-1].append(data.strip())


@pytest.mark.browser
def test_chromium_renders_the_audit_tables_and_charts(page, tmp_path):
    exe = chromium()
    dom = _Dom()
    dom.feed(run_chromium(exe, tmp_path, "--dump-dom", page.as_uri()).stdout)
    for ident in ("intensity-table", "municipalities-table", "mix-table", "activation-table",
                  "joint-table", "entitlement-table", "subgroups-table"):  # fmt: skip
        assert len(dom.rows.get(ident, [])) > 2, ident
    ranked = [r[0] for r in dom.rows["municipalities-table"][2:]]
    assert ranked == ["Hele landet", "Aarhus", "København"]  # R45.8: largest change first
    assert len(dom.images) == len(AUDIT_CHARTS)
    assert all(str(img["src"]).startswith("data:image/png;base64,") for img in dom.images)
    shot = tmp_path / "shot.png"
    run_chromium(exe, tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri())
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1280, 1600)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
