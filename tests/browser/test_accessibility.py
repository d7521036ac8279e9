"""The main pages, public and organiser, checked with axe-core in Chromium: no serious or
critical accessibility problem (missing labels, contrast, names, landmarks, focus...).

The demo alliance fills the site, so tables, charts and forms are the real ones. axe's script
is injected by the test, so this context alone skips the Content Security Policy.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from grassroots.web.demo import demo_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

PUBLIC = [
    "/",
    "/join/",
    "/login/",
    "/clps/",
    "/events/",
    "/organisations/",
    "/committee/",
    "/ballots/",
    "/ballots/demo-slate/",
    "/ballots/demo-slate/result/",
    "/elections/",
    "/elections/nec-demo/clp/",
    "/elections/nec-demo/clp/result/",
    "/elections/history/",
    "/slates/",
]
SUPPORTER = ["/me/", "/me/organisations/", "/me/contacts/", "/me/messages/", "/ballots/mine/"]
ORGANISER = [
    "/organise/",
    "/organise/elections/",
    "/organise/elections/nec-demo/",
    "/organise/elections/nec-demo/clp/forecast/",
    "/organise/elections/nec-demo/clp/nominations/",
    "/ballots/new/",
    "/events/organise/",
    "/me/",  # an account without a supporter record has My data too
]
SERIOUS = {"serious", "critical"}
LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")


def _problems(page: Page) -> list[str]:
    report = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']}; {len(v['nodes'])} element(s), "
        f"first {v['nodes'][0]['target']}"
        for v in report["violations"]
        if v["impact"] in SERIOUS
    ]


def _log_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a link").click()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    page.goto(found.group(0))
    page.get_by_role("button", name="Log in").click()
    # A supporter lands on My data; an organiser without a supporter record on Organise.
    page.wait_for_url(re.compile(rf"{re.escape(site)}/(me|organise)/$"))


def test_main_pages_have_no_serious_accessibility_problems(
    live_server: LiveServer, browser: Browser
) -> None:
    demo_create()
    site = live_server.url
    found: dict[str, list[str]] = {}
    for who, paths in (
        (None, PUBLIC),
        ("supporter0001@demo.example.org", SUPPORTER),
        ("organiser@example.org", ORGANISER),
    ):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page = context.new_page()
        if who is not None:
            _log_in(page, site, who)
        for path in paths:
            assert page.goto(site + path).status == 200, path  # type: ignore[union-attr]
            if problems := _problems(page):
                found[path] = problems
        context.close()
    assert found == {}
