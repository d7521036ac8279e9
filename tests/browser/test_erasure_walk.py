"""A supporter on an open ballot's roll erases their account in a real browser: the account
goes, the roll and its turnout stay true, and their unused voting link stops working."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.ballots.models import VoterRollEntry
from grassroots.web.ballots.selectors import turnout_get
from grassroots.web.ballots.services import UNKNOWN_CREDENTIAL
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import User
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens
from tests.web.factories import supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")


def test_supporter_on_an_open_roll_erases_their_account(
    live_server: LiveServer, page: Page
) -> None:
    clp = Constituency.objects.get(name="Leeds Central and Headingley")
    nia = supporter_create(clp=clp, name="Nia Evans", email="nia@example.org")
    supporter_create(clp=clp, name="Owen Parry")
    ballot = ballot_create()
    sent = len(mail.outbox)
    tokens = ballot_open_with_tokens(ballot)
    nia_token = next(
        token
        for message, token in zip(mail.outbox[sent:], tokens, strict=True)
        if message.to == ["nia@example.org"]
    )
    site = live_server.url

    page.goto(f"{site}/login/")
    page.get_by_label("Email", exact=True).fill("nia@example.org")
    page.get_by_role("button", name="Email me a link").click()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    page.goto(found.group(0))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{site}/me/")

    page.get_by_role("link", name="Erase my data").click()
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Erase my data").click()

    expect(page.get_by_role("status")).to_have_text("Your data has been erased.")
    assert not User.objects.filter(pk=nia.pk).exists()
    assert turnout_get(ballot=ballot) == (0, 2)
    assert VoterRollEntry.objects.filter(ballot=ballot, person__isnull=True).count() == 1
    response = page.goto(f"{site}/ballots/{ballot.slug}/vote/{nia_token}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("main")).to_contain_text(UNKNOWN_CREDENTIAL)
