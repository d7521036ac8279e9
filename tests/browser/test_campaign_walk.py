"""The nominations drive in a real browser: an organiser sets the target CLPs; a supporter
records their CLP's meeting and volunteers; another reports an outcome, the organiser
confirms it and the tracker moves; the to-do list changes as it goes."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Nomination
from grassroots.web.people.roles import Role
from tests.web.campaign_factories import campaign_create, days
from tests.web.factories import supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")


def _log_in(page: Page, site: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a link").click()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    page.goto(found.group(0))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(rf"{re.escape(site)}/(me|organise)/$"))


def test_organiser_and_supporters_move_the_nominations_drive(
    live_server: LiveServer, page: Page
) -> None:
    campaign = campaign_create(targets=())
    drive = campaign.drive
    organiser = supporter_create(
        clp=Constituency.objects.get(name="Bristol Central"), email="org@example.org"
    )
    organiser.user.groups.add(Group.objects.get(name=Role.ORGANISER.value))
    supporter_create(clp=Constituency.objects.get(name="Leeds East"), email="lee@example.org")
    supporter_create(clp=Constituency.objects.get(name="Cardiff East"), email="cara@example.org")
    site = live_server.url
    drive_url = f"{site}/organise/campaign/drives/{drive.pk}/"

    # The organiser targets every CLP in Yorkshire and The Humber and in Wales.
    _log_in(page, site, "org@example.org")
    page.goto(f"{site}/organise/campaign/")
    page.get_by_role("link", name=re.compile("^Our Slate")).click()
    page.get_by_role("link", name="Set the target CLPs").click()
    page.get_by_label("Every CLP in the regions ticked below").check()
    page.get_by_label("Yorkshire and The Humber").check()
    page.get_by_label("Wales", exact=True).check()
    page.get_by_role("button", name="Save the targets").click()
    expect(page.get_by_role("status")).to_contain_text("The drive targets")
    wales = page.locator("#by-region tbody tr", has_text="Wales")
    expect(wales.locator("td").first).to_have_text(
        str(Constituency.objects.filter(region="Wales").count())
    )
    expect(page.locator("#todo")).to_contain_text("Nothing to do")

    # A supporter in Leeds East records the meeting date from their dashboard.
    _log_in(page, site, "lee@example.org")
    page.goto(f"{site}/")
    expect(page.locator("#clp-meeting")).to_have_text("Meeting date not known yet.")
    page.get_by_role("button", name="Record the meeting date").click()
    page.get_by_label("Date of the nomination meeting").fill(days(6).isoformat())
    page.get_by_label("Source").fill("https://example.org/leeds-east/agenda")
    page.get_by_role("button", name="Record the date").click()
    expect(page.locator("#clp-meeting")).to_contain_text(days(6).strftime("%-d %B %Y"))

    # The organiser's to-do list now has Leeds East: supporters, a meeting, no volunteer.
    _log_in(page, site, "org@example.org")
    page.goto(drive_url)
    expect(page.locator("#todo li")).to_have_text(
        [re.compile(r"Leeds East \(Yorkshire and The Humber\), 1 supporter$")]
    )

    # The supporter volunteers to move the nomination; the to-do list empties.
    _log_in(page, site, "lee@example.org")
    page.goto(f"{site}/")
    page.get_by_role("button", name="I will move the nomination").click()
    expect(page.locator("#clp-volunteer")).to_have_text("You are moving the slate's nomination.")
    _log_in(page, site, "org@example.org")
    page.goto(drive_url)
    expect(page.locator("#todo")).to_contain_text("Nothing to do")

    # A supporter in Cardiff East reports that yesterday's meeting nominated Ann Ash.
    _log_in(page, site, "cara@example.org")
    page.goto(f"{site}/")
    page.get_by_role("button", name="Report the outcome").click()
    page.get_by_label("Date of the meeting").fill(days(-1).isoformat())
    page.get_by_label("Ann Ash", exact=True).check()
    page.get_by_label("Source").fill("the CLP secretary's email")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("#clp-reported")).to_be_visible()
    assert not Nomination.objects.exists()

    # The organiser confirms it: the nomination is recorded and the tracker moves.
    _log_in(page, site, "org@example.org")
    page.goto(drive_url)
    cardiff = page.locator("#targets tr", has_text="Cardiff East")
    expect(cardiff).to_contain_text("Not yet (a report to confirm)")
    page.get_by_role("button", name="Confirm Cardiff East").click()
    expect(page.get_by_role("status")).to_contain_text("Confirmed")
    expect(page.locator("#targets tr", has_text="Cardiff East")).to_contain_text("Us: Ann Ash")
    expect(wales.locator("td").nth(1)).to_have_text("1")
    assert Nomination.objects.get().candidate.name == "Ann Ash"
