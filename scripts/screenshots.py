"""Photograph the site's main pages for the README: docs/screenshots/*.png.

Loads the demo data into a temporary folder, serves it on a free port, and drives Debian's
Chromium (``/usr/bin/chromium``; Playwright never downloads a browser) through the pages at a
desktop width, and through the dashboard and sign-up at a phone's width. /me/ is seen as a demo
supporter who asked for a login link (the console email, in the server's output, carries it).

Example:
    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/
    .venv/bin/python scripts/screenshots.py --out /tmp/shots
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
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
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MAX_HEIGHT = 2000  # long pages (every CLP) are cut here
DEMO_SUPPORTER = "supporter0001@demo.example.org"
DEMO_ORGANISER = "organiser@example.org"
FORECAST = "/organise/elections/nec-demo/clp/forecast/"
# (file name, path, viewport); /me/ is taken after logging in.
PAGES = [
    ("dashboard", "/", DESKTOP),
    ("dashboard-phone", "/", PHONE),
    ("join", "/join/", DESKTOP),
    ("join-phone", "/join/", PHONE),
    ("clps", "/clps/", DESKTOP),
    ("committee", "/committee/", DESKTOP),
    ("events", "/events/", DESKTOP),
    ("ballot-result", "/ballots/demo-slate/result/", DESKTOP),
]
LINK = re.compile(r"http://\S+/login/link/\?sesame=\S+")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}) before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url} within {timeout:.0f}s")


def _snap(page: Page, path: Path, *, start: str | None = None) -> None:
    """The page from its top (or from the element ``start``), at most MAX_HEIGHT tall."""
    top = 0.0
    if start is not None:
        box = page.locator(start).bounding_box()
        top = max(0.0, box["y"] - 24) if box else 0.0
    full = page.evaluate("document.documentElement.scrollHeight")
    height = min(full - top, MAX_HEIGHT)
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP["width"]
    clip = {"x": 0, "y": top, "width": width, "height": height}
    page.screenshot(path=path, full_page=True, clip=clip)
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def _login_link(log: Path, timeout: float = 10, *, after: int = 0) -> str:
    """The newest login link in the server's output, once more than ``after`` have appeared."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = LINK.findall(log.read_text(encoding="utf-8", errors="replace"))
        if len(found) > after:
            return str(found[-1])
        time.sleep(0.2)
    raise SystemExit(f"no login link appeared in the server's output ({log})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: sudo apt-get install -y chromium")
    grassroots = str(Path(sys.executable).parent / "grassroots")

    with tempfile.TemporaryDirectory(prefix="grassroots-shots-") as tmp:
        env = {**os.environ, "GRASSROOTS_DATA_DIR": tmp, "GRASSROOTS_DEV": "1"}
        env.pop("DATABASE_URL", None)
        subprocess.run(  # noqa: S603 (our own command)
            [grassroots, "demo"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        port = _free_port()
        log = Path(tmp) / "serve.log"
        with log.open("wb") as log_file:
            server = subprocess.Popen(  # noqa: S603 (our own command)
                [grassroots, "serve", "--port", str(port)],
                env={**env, "PYTHONUNBUFFERED": "1"},
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        site = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(f"{site}/", server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, path, viewport in PAGES:
                    page = browser.new_page(viewport=viewport)
                    page.goto(site + path, wait_until="networkidle")
                    _snap(page, out / f"{name}.png")
                    page.close()
                # My data, as a demo supporter logged in by an emailed link.
                page = browser.new_page(viewport=DESKTOP)
                page.goto(f"{site}/login/")
                page.get_by_label("Email", exact=True).fill(DEMO_SUPPORTER)
                page.get_by_role("button", name="Email me a link").click()
                page.goto(_login_link(log))
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url(f"{site}/me/")
                _snap(page, out / "me.png")
                page.close()
                # A forecast of the demo election, as the demo organiser.
                page = browser.new_context(viewport=DESKTOP).new_page()
                page.goto(f"{site}/login/")
                page.get_by_label("Email", exact=True).fill(DEMO_ORGANISER)
                page.get_by_role("button", name="Email me a link").click()
                page.goto(_login_link(log, after=1))
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url(f"{site}/me/")
                page.goto(f"{site}{FORECAST}", wait_until="networkidle")
                page.get_by_label("Also compare slate sizes for").select_option(
                    "Grassroots Alliance"
                )
                page.get_by_role("button", name="Run the forecast").click()
                page.wait_for_selector("#sizes, #error, .errorlist", timeout=120_000)
                _snap(page, out / "forecast.png", start="#seats-heading")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
