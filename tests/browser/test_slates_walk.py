"""A whole slate selection in a real browser: an affiliate's representative nominates, the
organiser sets up a reduced slate ballot and opens it, two voters vote (one tries twice, one
first gives a bad ranking), it closes and is counted, the slate is published, a voter finds
their receipt in the published list, and a recount of the downloaded ballots equals the
published result."""

from __future__ import annotations

import re
import shlex
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.count import Limit, Quotas, count
from grassroots.count.formats.blt import read_blt
from grassroots.count.formats.categories import read_categories
from grassroots.web.ballots.models import Ballot, CastBallot
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.roles import Role
from grassroots.web.slates.models import SlateNomination, SlateSelection
from tests.browser.conftest import TIMEOUT_MS
from tests.web.election_factories import election_create
from tests.web.factories import organisation_create, representative_create, supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")
VOTE = re.compile(r"https?://\S+/vote/\S+/")
NOMINEES = [
    ("Ann Ash", "Woman", "Leeds Central and Headingley"),
    ("Cal Cedar", "Man", ""),
    ("Dev Dale", "Man", ""),
]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _log_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a link").click()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    page.goto(found.group(0))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data")


def _vote_link(email: str) -> str:
    sent = [m for m in mail.outbox if m.to == [email] and VOTE.search(str(m.body))]
    found = VOTE.search(str(sent[-1].body))
    assert found is not None
    return found.group(0)


def _rank(page: Page, numbers: dict[str, str]) -> None:
    """Type the numbers into the boxes, which the ranking page's lists hide until asked (a
    page refused for a wrong number comes back with them shown)."""
    to_numbers = page.get_by_role("button", name="Type numbers instead")
    if to_numbers.is_visible():
        to_numbers.click()
    for name, number in numbers.items():
        page.get_by_label(name, exact=False).fill(number)
    page.get_by_role("button", name="Cast my vote").click()


def test_slate_selection_from_nominations_to_the_published_slate(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    # Arrange: the NEC's CLP section (9 seats, at least 4 women); an affiliate with a
    # representative; an organiser; one more supporter. All three are verified supporters,
    # the slate ballot's electorate.
    election_create()
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    organisation = organisation_create(name="Nurses for the Left")
    rae = supporter_create(clp=leeds, name="Rae Rowan", email="rae@example.org")
    representative_create(organisation=organisation, supporter=rae)
    sam = supporter_create(clp=leeds, name="Sam Okafor", email="sam@example.org")
    sam.user.groups.add(Group.objects.get(name=Role.ORGANISER.value))
    supporter_create(clp=leeds, name="Vic Vale", email="vic@example.org")
    site = live_server.url

    # The representative nominates three people for the CLP section.
    _log_in(page, site, "rae@example.org")
    for name, gender, clp in NOMINEES:
        page.goto(f"{site}/organise/slates/nec-test/clp/nominate/")
        page.get_by_label("Candidate's name").fill(name)
        page.get_by_label("Gender").select_option(label=gender)
        page.get_by_label("CLP", exact=True).fill(clp)
        page.get_by_label("Short statement").fill(f"{name} will fight for members.")
        page.get_by_role("button", name="Nominate").click()
        expect(page.get_by_role("status")).to_have_text(f"Nurses for the Left nominates {name}.")
    expect(page.locator("#nominees tbody tr")).to_have_count(3)
    assert SlateNomination.objects.count() == 3

    # The organiser sets up a reduced slate of 2 (at least 1 woman: ceil(4 × 2 ÷ 9)) and opens it.
    organiser = _page(browser)
    _log_in(organiser, site, "sam@example.org")
    organiser.goto(f"{site}/organise/slates/nec-test/clp/")
    expect(organiser.locator("#quota-rule")).to_contain_text("ceil(min × slate size ÷ seats)")
    organiser.get_by_label("Slate size").fill("2")
    closes = timezone.localtime() + timedelta(days=7)
    organiser.get_by_label("Voting closes").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    organiser.get_by_label("Electorate").select_option(label="All verified supporters")
    # Sealed by default; this walk is of a plain ballot (tests/browser/test_sealed_walk.py
    # walks a sealed one).
    organiser.get_by_label("Sealed: encrypt each ballot to trustees' keys").uncheck()
    organiser.get_by_role("button", name="Set up the slate ballot").click()
    organiser.get_by_role("button", name="Open the ballot").click()
    # It asks first, saying how many will be emailed.
    expect(organiser.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Open the ballot for \d+ voters\?$")
    )
    organiser.get_by_role(
        "button", name=re.compile(r"^Open the ballot and email \d+ voters$")
    ).click()
    expect(organiser.get_by_role("status")).to_contain_text("The ballot is open")
    ballot = Ballot.objects.get()
    assert (ballot.seats, ballot.quotas, ballot.status) == (2, {"F": {"min": 1}}, "open")

    # Vic first gives two names the same number, which is explained and not stored.
    vic = _page(browser)
    vic_link = _vote_link("vic@example.org")
    vic.goto(vic_link)
    _rank(vic, {"Ann Ash": "1", "Cal Cedar": "1"})
    expect(vic.get_by_role("alert").first).to_contain_text("is also given to")
    assert CastBallot.objects.count() == 0
    _rank(vic, {"Ann Ash": "1", "Cal Cedar": "2"})
    vic_receipt = vic.locator("#receipt").inner_text()
    # Vic tries to vote again with the same link.
    vic.goto(vic_link)
    expect(vic.get_by_role("alert")).to_have_text(
        "This voting link has already been used: each voter votes once."
    )

    # Rae votes.
    rae_page = _page(browser)
    rae_page.goto(_vote_link("rae@example.org"))
    _rank(rae_page, {"Cal Cedar": "1", "Dev Dale": "2"})
    expect(rae_page.locator("#receipt")).to_be_visible()
    assert CastBallot.objects.count() == 2

    # The organiser closes, counts and publishes, then publishes the slate.
    organiser.goto(f"{site}/ballots/{ballot.slug}/manage/")
    for action, question in (
        ("Close the ballot now", "Close the ballot now?"),
        ("Count and publish", "Count and publish?"),
    ):
        organiser.get_by_role("button", name=action).click()
        expect(organiser.get_by_role("heading", level=1)).to_have_text(question)
        organiser.get_by_role("button", name=action).click()
        expect(organiser.get_by_role("heading", level=1)).not_to_have_text(question)
    expect(organiser.get_by_role("status")).to_contain_text("published")
    organiser.goto(f"{site}/organise/slates/nec-test/clp/")
    organiser.get_by_role("button", name="Publish the slate").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Publish the slate?")
    organiser.get_by_role("button", name="Publish the slate").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("The slate: CLP representatives")

    # Everyone sees the chosen candidates in the engine's order and the ballot that chose them.
    ballot.refresh_from_db()
    elected = ballot.result["elected"]
    assert sorted(elected) == ["Ann Ash", "Cal Cedar"]
    page.goto(f"{site}/slates/nec-test/clp/")
    expect(page.locator("#slate li")).to_have_text([re.compile(rf"^{name}\b") for name in elected])
    assert SlateSelection.objects.get().published_at is not None

    # Vic follows the link to the ballot's result and finds their receipt among the codes.
    page.locator("#chosen-by").get_by_role("link").click()
    page.locator("#receipt-list summary").click()
    expect(page.locator("#receipt-list")).to_contain_text(vic_receipt)

    # Anyone downloads the anonymised ballots and the categories from the result page and
    # recounts them with the engine by the command the page gives: the same result.
    with page.expect_download() as blt:
        page.get_by_role("link", name="The anonymised ballots (BLT)").click()
    with page.expect_download() as categories:
        page.get_by_role("link", name="the candidates' categories (CSV)").click()
    command = shlex.split(page.locator("#recount").inner_text())
    options = list(zip(command[3::2], command[4::2], strict=True))
    bounds: dict[str, dict[str, int]] = {}
    for flag, value in options:
        if flag in {"--min", "--max"}:
            category, number = value.split("=")
            bounds.setdefault(category, {})[flag[2:]] = int(number)
    limits = {c: Limit(b.get("min", 0), b.get("max")) for c, b in bounds.items()}
    profile = read_blt(blt.value.path()).with_categories(read_categories(categories.value.path()))

    recount = count(profile, rule=dict(options)["--rule"], quotas=Quotas(limits))

    assert list(recount.elected) == elected
    assert recount.to_dict() == ballot.result
