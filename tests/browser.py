"""Headless Chromium for the browser tests (marker ``browser``) of the two HTML reports.

Without chromium the tests skip, unless ``JOBINDSATS_REQUIRE_BROWSER=1`` (CI) makes that a
failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    """The chromium executable (skip, or fail under JOBINDSATS_REQUIRE_BROWSER=1)."""
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("JOBINDSATS_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed, and JOBINDSATS_REQUIRE_BROWSER=1")
        pytest.skip("chromium is not installed (set JOBINDSATS_REQUIRE_BROWSER=1 to fail)")
    return exe


def run_chromium(exe: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless chromium with a profile of its own under ``tmp_path``."""
    cmd = [exe, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'profile'}", *args]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
