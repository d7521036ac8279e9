"""An organiser's walk through the site in a real browser: log in by link, add an affiliated
organisation, record its representatives, see the committee with its vacancies, publish an
event and find it in the iCal feed."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.alliance.models import Organisation, Representative
from grassroots.web.constituencies.models import Constituency
from grassroots.web.events.models import Event
from grassroots.web.people.roles import Role
from tests.web.factories import supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")
ORGANISATION = "Rail Workers for Democracy"
EVENT = "Rail Workers for Democracy: meet the slate"


def _log_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a link").click()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    page.goto(found.group(0))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data")


def _feed_summaries(page: Page, url: str) -> dict[str, datetime]:
    response = page.request.get(url)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    return {str(e["SUMMARY"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}


def test_organiser_adds_an_affiliate_fills_the_committee_and_publishes_an_event(
    live_server: LiveServer, page: Page
) -> None:
    # Arrange: an organiser, who is also a supporter (the login link opens their data page).
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    organiser = supporter_create(clp=leeds, name="Sam Okafor", email="sam@example.org")
    organiser.user.groups.add(Group.objects.get(name=Role.ORGANISER.value))
    site = live_server.url
    today = timezone.localdate()
    _log_in(page, site, "sam@example.org")

    # Add a national organisation that has affiliated.
    page.goto(f"{site}/organise/organisations/")
    page.get_by_role("link", name="Add an organisation").click()
    page.get_by_label("Name", exact=True).fill(ORGANISATION)
    page.get_by_label("National organisation").check()
    page.get_by_label("Affiliated", exact=True).check()
    page.get_by_label("Affiliated on", exact=True).fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Contact name", exact=True).fill("Jo Bloggs")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text(f"{ORGANISATION} is recorded.")
    expect(page.locator("#organisations")).to_contain_text(ORGANISATION)

    # Record two of its three representatives.
    page.get_by_role("link", name=f"Representatives of {ORGANISATION}").click()
    for name in ("Ada Lovelace", "Tom Paine"):
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Started on", exact=True).fill((today - timedelta(days=7)).isoformat())
        page.get_by_label("Elected at an AGM").check()
        page.get_by_role("button", name="Record").click()
        expect(page.get_by_role("status")).to_have_text(f"{name} is recorded as a representative.")
    expect(page.locator("#representatives tbody tr")).to_have_count(2)
    assert sorted(Representative.objects.values_list("name", flat=True)) == [
        "Ada Lovelace",
        "Tom Paine",
    ]

    # The committee: three seats for a national organisation, two filled, one vacant.
    page.get_by_role("link", name="Committee", exact=True).click()
    expect(page.locator("#seat-count")).to_have_text("3")
    expect(page.locator("#filled-count")).to_have_text("2")
    expect(page.locator("#vacancy-count")).to_have_text("1")
    row = page.locator("#committee tbody tr", has_text=ORGANISATION)
    expect(row.locator("td")).to_have_text(
        [ORGANISATION, "National organisation", "3", "Ada Lovelace, Tom Paine", "1"]
    )

    # An event: saved as a draft (not in the feed), then published (in the feed).
    starts = datetime.combine(today + timedelta(days=21), datetime.min.time()).replace(hour=19)
    page.get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name="Events you organise").click()
    page.get_by_role("button", name="New event").click()  # a link drawn as a button
    page.get_by_label("Title", exact=True).fill(EVENT)
    page.get_by_label("Kind", exact=True).select_option(label="Local meeting")
    page.get_by_label("Starts", exact=True).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends", exact=True).fill(
        (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Venue name", exact=True).fill("Leeds Trades Club")
    page.get_by_label("Organising group", exact=True).fill(ORGANISATION)
    page.get_by_label("CLP", exact=True).fill(leeds.name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text(
        "The event is saved as a draft. Publish it when ready."
    )
    assert EVENT not in _feed_summaries(page, f"{site}/events.ics")

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("The event is published.")
    page.get_by_role("link", name="Events", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(EVENT)
    feed = _feed_summaries(page, f"{site}/events.ics")
    assert feed[EVENT] == timezone.make_aware(starts)
    assert Event.objects.get().published
    assert Organisation.objects.get().name == ORGANISATION
