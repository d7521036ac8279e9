"""Reaching supporters in a real browser: an organiser mails one region, a supporter follows a
representative and reads the report in the feed, a supporter replies to an event, and a group
applies, is accepted by a committee ballot and the committee page gains its seat."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.affiliation.models import Application
from grassroots.web.ballots import services as ballot_services
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import ConsentKind
from grassroots.web.people.roles import Role
from grassroots.web.reports import services as report_services
from grassroots.web.reports.models import Vote
from tests.web.ballot_factories import ballot_open_with_tokens, option_ids
from tests.web.factories import (
    event_create,
    organisation_create,
    representative_create,
    supporter_create,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")
ATOM = "{http://www.w3.org/2005/Atom}"


def _log_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a link").click()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    page.goto(found.group(0))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(rf"{re.escape(site)}/(me|organise)/$"))


def _organiser(clp: Constituency, email: str = "org@example.org") -> str:
    person = supporter_create(clp=clp, name="Olu Organiser", email=email, consents=[])
    person.user.groups.add(Group.objects.get(name=Role.ORGANISER.value))
    return email


def test_organiser_mails_one_region_and_only_its_consenting_supporters_get_it(
    live_server: LiveServer, page: Page
) -> None:
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    cardiff = Constituency.objects.get(name="Cardiff East")
    organiser = _organiser(leeds)
    yes = supporter_create(clp=leeds, email="yes@example.org")
    supporter_create(
        clp=leeds, email="noconsent@example.org", consents=[ConsentKind.VISIBLE_IN_CLP]
    )
    supporter_create(clp=cardiff, email="wales@example.org")
    site = live_server.url
    _log_in(page, site, organiser)

    page.goto(f"{site}/organise/mailings/new/")
    page.get_by_label("Subject").fill("Regional meeting")
    page.get_by_label("Message").fill("Join us on Saturday.")
    page.get_by_label("Supporters in one region").check()
    page.get_by_label("Region", exact=True).select_option(leeds.region)
    page.get_by_role("button", name="Save and see the count").click()
    expect(page.locator("#mailing-count")).to_have_text("1 supporter")
    page.get_by_role("button", name="Send me a test").click()
    assert mail.outbox[-1].to == [organiser]
    mail.outbox.clear()
    page.get_by_role("button", name="Send to 1 supporter").click()

    expect(page.locator("#mailing-delivery")).to_contain_text("1 sent, 0 queued, 0 failed")
    assert [m.to for m in mail.outbox] == [[yes.user.email]]
    assert mail.outbox[0].subject == "Regional meeting"


def test_supporter_follows_a_representative_and_reads_the_report_in_the_feed(
    live_server: LiveServer, page: Page
) -> None:
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    fan = supporter_create(clp=leeds, email="fan@example.org")
    reporter = report_services.reporter_create(
        actor=fan.user, name="Nina Exec", role="Member of the party's executive"
    )
    site = live_server.url
    _log_in(page, site, fan.user.email)

    page.goto(f"{site}/representatives/")
    page.get_by_role("link", name="Nina Exec").click()
    page.get_by_role("button", name="Follow: get each report by email").click()
    expect(page.get_by_role("button", name="Stop following")).to_be_visible()
    mail.outbox.clear()
    report_services.report_publish(
        actor=fan.user,
        reporter=reporter,
        meeting="National Executive Committee",
        met_on=datetime.date(2024, 3, 4),
        decisions="The timetable was agreed.",
        votes=[("Rule change 4", Vote.AGAINST)],
        site_url=site,
    )

    assert [m.to for m in mail.outbox] == [[fan.user.email]]
    feed_url = page.get_by_role("link", name="Atom feed of the reports").get_attribute("href")
    response = page.request.get(f"{site}{feed_url}")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())  # noqa: S314 (the site's own feed, in a test)
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "National Executive Committee (4 March 2024)"
    page.goto(entry.find(f"{ATOM}link").get("href"))  # type: ignore[union-attr]
    expect(page.locator("#report")).to_contain_text("Rule change 4: Against")


def test_supporter_replies_to_a_full_event_and_joins_the_waiting_list(
    live_server: LiveServer, page: Page
) -> None:
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    event = event_create(title="Small room meeting", capacity=1, constituency=leeds)
    first = supporter_create(clp=leeds, email="first@example.org")
    second = supporter_create(clp=leeds, email="second@example.org")
    site = live_server.url

    _log_in(page, site, first.user.email)
    page.goto(f"{site}/events/{event.pk}/")
    page.get_by_role("button", name="I am coming").click()
    expect(page.locator("#rsvp-mine")).to_have_text("You are going.")
    page.get_by_role("button", name="Log out").click()
    _log_in(page, site, second.user.email)
    page.goto(f"{site}/events/{event.pk}/")
    page.get_by_role("button", name="Join the waiting list").click()

    expect(page.locator("#rsvp-counts")).to_have_text("1 going of 1 places, 1 on the waiting list.")
    ical = page.request.get(f"{site}/events/{event.pk}.ics")
    assert b"SUMMARY:Small room meeting" in ical.body()


def test_group_applies_is_accepted_by_a_committee_ballot_and_the_committee_gains_its_seat(
    live_server: LiveServer, page: Page
) -> None:
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    union = organisation_create(name="Unity Union")
    for name in ("Rita Rep", "Rob Rep"):
        representative_create(organisation=union, supporter=supporter_create(clp=leeds, name=name))
    organiser = _organiser(leeds)
    site = live_server.url

    page.goto(f"{site}/affiliate/")
    page.get_by_label("Name of the group or organisation").fill("Leeds Tenants Union")
    page.get_by_label("Local group").check()
    page.get_by_label("CLPs covered").fill("Leeds Central and Headingley")
    page.get_by_label("Contact name").fill("Cara Contact")
    page.get_by_label("Contact email").fill("cara@example.org")
    page.get_by_label("Your statement or constitution").fill("We organise tenants.")
    page.get_by_label("How did you decide to apply?").fill("A vote at our general meeting.")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application received")
    page.goto(f"{site}/committee/")
    seats_before = int(page.locator("#seat-count").inner_text())

    _log_in(page, site, organiser)
    application = Application.objects.get()
    page.goto(f"{site}/organise/applications/{application.pk}/")
    page.get_by_role("button", name="Put it to a committee ballot").click()
    application.refresh_from_db()
    # The committee votes (the ballots' own walks cover voting in the browser).
    ballot = application.ballot
    for token in ballot_open_with_tokens(ballot):
        ballot_services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Yes"))
    ballot_services.ballot_close(actor=None, ballot=ballot)
    ballot_services.ballot_publish(actor=None, ballot=ballot)
    page.reload()
    page.get_by_role("button", name="Record the decision: accepted").click()
    expect(page.locator("#application-status")).to_have_text("Local group · Accepted")

    page.goto(f"{site}/committee/")
    expect(page.locator("#seat-count")).to_have_text(str(seats_before + 1))
    expect(page.locator("#committee")).to_contain_text("Leeds Tenants Union")
    assert mail.outbox[-1].to == ["cara@example.org"]
    link = re.search(r"https?://\S+/affiliate/representatives/\S+/", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(0))
    expect(page.locator("#seats-left")).to_have_text(
        "1 seat on the organising committee still to fill."
    )
