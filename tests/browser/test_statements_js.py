"""Candidates' statements on the voting page: under each name in the lists the script
builds, as in the numbers form without JavaScript."""

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


def test_statement_shows_under_the_name_in_the_lists(live_server: LiveServer, page: Page) -> None:
    supporter_create(clp=Constituency.objects.get(name="Leeds Central and Headingley"))
    now = timezone.now()
    ballot = services.ballot_create(
        actor=None,
        slug="with-statements",
        question="Who should be on the slate?",
        options=[("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M")],
        statements={"Bea Birch": "Steward at the depot for ten years."},
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        method=Method.STV,
        seats=1,
        electorate=Electorate.SUPPORTERS,
    )
    services.ballot_open(actor=None, ballot=ballot, site_url=live_server.url)
    link = VOTE_LINK.search(str(mail.outbox[-1].body))
    assert link is not None

    page.goto(link.group(0))

    bea = page.locator('[data-unranked] > li[data-option-name="Bea Birch"]')
    expect(bea.locator(".rank-statement")).to_have_text("Steward at the depot for ten years.")
    expect(page.locator(".rank-statement")).to_have_count(1)
    bea.get_by_role("button", name="Add Bea Birch").click()
    expect(
        page.locator('[data-ranked] > li[data-option-name="Bea Birch"] .rank-statement')
    ).to_be_visible()
