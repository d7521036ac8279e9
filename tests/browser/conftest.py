"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against the live server.

The browser is the system's ``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run``
installs it): Playwright never downloads one here. The flags keep Chromium off the network
except for the site under test, whose other connections this project's machines refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, Page, sync_playwright

from grassroots.web.constituencies.services import constituency_load
from grassroots.web.people.roles import GROUP_ROLES

CHROMIUM = Path("/usr/bin/chromium")
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
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
            "Install it with: sudo apt-get update && sudo apt-get install -y chromium "
            "(never `playwright install`). To leave them out: "
            "make test PYTEST_ARGS='-m \"not browser\"'",
            pytrace=False,
        )
    # Playwright's sync API keeps its event loop running in this thread, so Django would take
    # the tests' own ORM calls (arranging data, checking what was stored) for calls from async
    # code. They are not: the live server answers in its own thread.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) and page for each test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site_data(transactional_db: None) -> None:
    """The rows the migrations load (constituencies, role groups), put back if need be.

    The live server needs committed data, so these tests are transactional, and a
    transactional test empties every table when it ends, migration-loaded rows included.
    Django's ``serialized_rollback`` would restore them, but not after another module's
    transactional test has flushed without it (the content types it recreates then clash), so
    each walk reloads what it needs; both steps are idempotent.
    """
    constituency_load()
    for role in GROUP_ROLES:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture(autouse=True)
def _cache_cleared() -> None:
    """Each walk starts with an empty cache, as the site's other tests do: every walk logs in
    from 127.0.0.1, so the login links' per-address limit (20 an hour) would otherwise carry
    over from one walk to the next in the same test process and refuse a later walk."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    """Queued tasks (the email a walk follows) run at once in the live server, as in the
    site's other tests (tests/web/conftest.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
