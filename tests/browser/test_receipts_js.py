"""A receipt kept in the voter's own browser, only when they ask: the receipt page's button
stores it, My ballots shows it from this browser's storage, and the site stores nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.ballots import services
from grassroots.web.ballots.models import Electorate, Method
from grassroots.web.constituencies.models import Constituency
from tests.web.factories import supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

VOTE_LINK = re.compile(r"https?://\S+/ballots/\S+/vote/\S+/")
LOGIN_LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")


def test_receipt_kept_in_the_browser_is_shown_on_my_ballots(
    live_server: LiveServer, page: Page
) -> None:
    voter = supporter_create(clp=Constituency.objects.get(name="Leeds Central and Headingley"))
    now = timezone.now()
    ballot = services.ballot_create(
        actor=None,
        slug="keep-receipt",
        question="Which strategy?",
        options=[("Organise", ""), ("Wait", "")],
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        method=Method.YES_NO,
        seats=1,
        electorate=Electorate.SUPPORTERS,
    )
    services.ballot_open(actor=None, ballot=ballot, site_url=live_server.url)
    link = VOTE_LINK.search(str(mail.outbox[-1].body))
    assert link is not None

    page.goto(link.group(0))
    page.get_by_label("Organise").check()
    page.get_by_role("button", name="Cast my vote").click()
    code = page.locator("#receipt").inner_text()
    page.get_by_role("button", name="Keep my receipt in this browser").click()
    expect(page.get_by_role("status")).to_contain_text("Kept in this browser")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email", exact=True).fill(voter.user.email)
    page.get_by_role("button", name="Email me a link").click()
    login = LOGIN_LINK.search(str(mail.outbox[-1].body))
    assert login is not None
    page.goto(login.group(0))
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="My ballots").click()

    expect(page.locator('[data-receipt-for="keep-receipt"]')).to_have_text(code)
    row = page.locator('tr[data-ballot="keep-receipt"]')
    expect(row).to_contain_text("Voted")
