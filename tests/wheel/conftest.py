"""The site installed from the wheel, built and served once for the whole run (``--wheel``), and
the browser that walks it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.wheel.harness import InstalledSite, installed_site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InstalledSite]:
    with installed_site(tmp_path_factory.mktemp("wheel")) as served:
        yield served


@pytest.fixture(scope="session")
def wheel_path(site: InstalledSite) -> Path:
    (wheel,) = (site.directory.parent / "dist").glob("grassroots-*.whl")
    return wheel


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, as in tests/browser (never a downloaded one)."""
    if not CHROMIUM.exists():
        pytest.fail(f"The walks need Debian's Chromium at {CHROMIUM}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context (no cookies) for each walk."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
