"""Screenshots of the dashboards for the README, taken from a real browser.

    python scripts/screenshots.py [--out docs/screenshots]

Starts `ctc serve` on the bundled example on a free port, opens the
extension pages linked from Fava's sidebar in headless Chromium (Debian's
`chromium`, driven by Playwright) and saves the views listed in `SHOTS`.
The import page is shot on a private copy of the example served
`--editable`, with a held-out export chosen and its preview shown (nothing
is imported).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from system_chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 20.0) -> None:
    """Wait until `url` answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  (our own http://127.0.0.1 server)
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


SHOTS = (
    ("CtcDashboard", None, "oversikt.png"),
    ("CtcDashboard", "#cumulative", "ackumulerat.png"),
    ("CtcDashboard", "#transfer-KF-2024-09-26-p190", "vaxling-2024.png"),
    ("CtcDashboard", "#budget", "budgetavvikelse.png"),
    ("CtcReports", None, "rapporter.png"),
)
"""(extension page, section to scroll to or None for the top, file name)."""
IMPORT_SHOT = "las-in.png"
PREVIEWED = ROOT / "tests" / "fixtures" / "exports" / "raindance_utfall_2019.xlsx"
"""The export whose preview the import page's screenshot shows (not imported)."""


def shoot(base: str, out: Path) -> list[Path]:
    """One PNG per shot: a page's top, or one panel scrolled into view."""
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="sv-SE")
        page.goto(base + "/")
        page.wait_for_load_state("networkidle")
        links = page.eval_on_selector_all("aside a[href*='/extension/']", "a => a.map(x => x.href)")
        pages = {link.rstrip("/").rsplit("/", 1)[-1]: link for link in links}
        for name, selector, filename in SHOTS:
            page.goto(pages[name])
            page.wait_for_load_state("networkidle")
            if selector:
                page.evaluate("s => document.querySelector(s).scrollIntoView()", selector)
                page.wait_for_timeout(300)
            path = out / filename
            page.screenshot(path=str(path))
            written.append(path)
        browser.close()
    return written


def shoot_import(base: str, out: Path) -> Path:
    """The import page with an export chosen and its preview shown."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="sv-SE")
        page.goto(base + "/")
        page.wait_for_load_state("networkidle")
        page.click("aside a[href*='/extension/CtcImport/']")
        page.wait_for_selector("#ctc-import-form")
        page.set_input_files("#ctc-files", str(PREVIEWED))
        page.wait_for_selector("#ctc-preview [data-ready='true']")
        page.evaluate("document.querySelector('#ctc-import-form').scrollIntoView()")
        page.wait_for_timeout(300)
        path = out / IMPORT_SHOT
        page.screenshot(path=str(path))
        browser.close()
    return path


class Served:
    """`ctc serve` in a process of its own on a free port, until the block ends."""

    def __init__(self, *args: str) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.command = [sys.executable, "-m", "ctc.cli", "serve", *args, "--port", str(port)]

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(self.base + "/")
        return self.base

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def main() -> int:
    """Serve the example, take the screenshots, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with Served() as base:
        for path in shoot(base, args.out):
            print(path)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "ledger"
        shutil.copytree(ROOT / "ledger", copy, ignore=shutil.ignore_patterns("documents", ".ctc-*"))
        with Served(str(copy / "main.beancount"), "--editable") as base:
            print(shoot_import(base, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
