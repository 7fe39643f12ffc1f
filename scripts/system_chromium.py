"""Debian's Chromium for the scripts and tests that drive a real browser.

Playwright's own browser download is not available where these run, so
Playwright launches the system's `chromium` (or $CTC_CHROMIUM) with the
flags below: headless, no sandbox (containers), nothing that calls home.
"""

from __future__ import annotations

import os
import shutil

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The Chromium binary: $CTC_CHROMIUM, else Debian's; None when there is none."""
    return (
        os.environ.get("CTC_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
