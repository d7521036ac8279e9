"""The returning officer's pages in a browser: a draft's page with a TEST result, its
scrutineers and audit trail, and its edit page, with no serious accessibility problem."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.ballots import services
from grassroots.web.people.roles import Role
from tests.web.factories import role_holder_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

LOGIN_LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")


def _serious_problems(page: Page) -> list[str]:
    report = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']}; first {v['nodes'][0]['target']}"
        for v in report["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_officer_tries_a_draft_and_its_pages_have_no_serious_problems(
    live_server: LiveServer, browser: Browser
) -> None:
    officer = role_holder_create(Role.ORGANISER)
    now = timezone.now()
    services.ballot_create(
        actor=officer,
        slug="officer-draft",
        question="Who should be on the slate?",
        options=[("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M")],
        statements={"Ann Ash": "Twenty years a steward."},
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=8),
        seats=1,
    )
    # axe's script is injected by the test, so this context alone skips the CSP.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Email", exact=True).fill(officer.email)
        page.get_by_role("button", name="Email me a link").click()
        login = LOGIN_LINK.search(str(mail.outbox[-1].body))
        assert login is not None
        page.goto(login.group(0))
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r".*/(me|organise)/$"))

        page.goto(f"{live_server.url}/ballots/officer-draft/manage/")
        page.get_by_role("button", name="Try the ballot").click()
        expect(page.get_by_text("TEST", exact=True)).to_be_visible()
        page.get_by_role("button", name="Add Bea Birch").click()
        page.get_by_role("button", name="Cast my vote").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("TEST")
        page.get_by_role("link", name="Back to the ballot's page").click()

        expect(page.locator("#trial-result")).to_contain_text("TEST: elected Bea Birch.")
        found = {"manage": _serious_problems(page)}
        page.get_by_role("link", name="Edit the draft").click()
        expect(page.get_by_label("Candidates' statements")).to_have_value(
            "Ann Ash: Twenty years a steward."
        )
        found["edit"] = _serious_problems(page)
        assert found == {"manage": [], "edit": []}
    finally:
        context.close()
