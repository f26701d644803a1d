"""Headless Chromium for rendering tests (Debian's `chromium` package; .ci/run installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    """The Chromium binary; the test is skipped without one, unless CI demands it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("DECKBUILDER_REQUIRE_CHROMIUM"):
            pytest.fail("Chromium is required here (DECKBUILDER_REQUIRE_CHROMIUM is set): apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs and requires it")
    return found


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )
