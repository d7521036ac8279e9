"""A voter opens a candidate's page from the ballot paper and still casts the ranking they
had built: the page opens in a new tab, and the voting page keeps its state."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.ballots import services
from grassroots.web.ballots.models import CastBallot, Electorate, Method
from grassroots.web.candidacy.services import profile_update, questionnaire_create
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.factories import role_holder_create, supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

VOTE_LINK = re.compile(r"https?://\S+/ballots/\S+/vote/\S+/")


def test_voter_reads_a_candidates_page_and_casts_their_ranking(
    live_server: LiveServer, page: Page
) -> None:
    supporter_create(clp=Constituency.objects.get(name="Leeds Central and Headingley"))
    organiser: User = role_holder_create(Role.ORGANISER)
    now = timezone.now()
    ballot = services.ballot_create(
        actor=organiser,
        slug="with-pages",
        question="Who should be on the slate?",
        options=[("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M")],
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        method=Method.STV,
        seats=2,
        quotas={"F": {"min": 1}},
        electorate=Electorate.SUPPORTERS,
    )
    questionnaire = questionnaire_create(
        actor=organiser, ballot=ballot, title="Questions", questions=["Why you?"]
    )
    bea = questionnaire.profiles.get(ballot_option__name="Bea Birch")
    profile_update(actor=None, profile=bea, statement="Steward at the depot.", answers={})
    services.ballot_open(actor=None, ballot=ballot, site_url=live_server.url)
    link = VOTE_LINK.search(str(mail.outbox[-1].body))
    assert link is not None
    page.goto(link.group(0))
    expect(page.locator("#quota-words")).to_have_text(
        "At least 1 of the 2 elected must be a woman."
    )
    page.get_by_role("button", name="Add Cal Cedar").click()

    with page.context.expect_page() as opened:
        page.locator('[data-unranked] > li[data-option-name="Bea Birch"] a').click()
    about = opened.value
    about.wait_for_load_state()
    expect(about.locator("#statement")).to_have_text("Steward at the depot.")
    about.close()
    page.get_by_role("button", name="Add Bea Birch").click()
    page.get_by_role("button", name="Cast my vote").click()

    expect(page.get_by_text("Your receipt", exact=False).first).to_be_visible()
    [cast] = CastBallot.objects.filter(ballot=ballot)
    names = {o.pk: o.name for o in ballot.options.all()}
    assert [names[pk] for pk in cast.ranking] == ["Cal Cedar", "Bea Birch"]
