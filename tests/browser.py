"""Headless Chromium for rendering tests (Debian's `chromium` package; .ci/run installs it)."""

from __future__ import annotations

import html
import json
import os
import re
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


def report_from_page(page: Path, script: str, profile: Path, width: int = 1000) -> dict:
    """Open ``page`` in headless Chromium, run ``script`` once it has loaded, and return what it reports.

    ``script`` is the body of a function that fills the object ``report``; the
    page is copied beside itself with the script added, so its relative links
    (media) still resolve.
    """
    probe = (f'<script>window.addEventListener("load", () => {{ const report = {{}};\n{script}\n'
             'document.body.innerHTML = "<pre id=report></pre>";'
             'document.getElementById("report").textContent = JSON.stringify(report); });</script>')
    probed = page.with_name(f"probe-{page.name}")
    probed.write_text(page.read_text().replace("</body>", probe + "</body>"))
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         f"--window-size={width},900", "--virtual-time-budget=3000", "--dump-dom", probed.as_uri()],
        check=True, capture_output=True, text=True, timeout=120)
    probed.unlink()
    found = re.search(r'<pre id="report">(.*)</pre>', result.stdout, re.DOTALL)
    assert found, f"the page did not report (a script error?): {result.stdout[:1000]}"
    return json.loads(html.unescape(found.group(1)))
