"""Screenshots of the dashboards for the README, taken from a real browser.

    python scripts/screenshots.py [--out docs/screenshots]

Starts `ctc serve` on the bundled example on a free port, opens the
extension pages linked from Fava's sidebar in headless Chromium (Debian's
`chromium`, driven by Playwright) and saves the views listed in `SHOTS`.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
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


def main() -> int:
    """Serve the example, take the screenshots, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ctc.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        for path in shoot(base, args.out):
            print(path)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
