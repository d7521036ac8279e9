"""Each role's main journey, in Debian's Chromium, on the site installed from the wheel with
production settings, served with its worker: log in by the emailed link (which the worker sends
and the console email backend prints in the site's log without EMAIL_HOST), then use the menu
as that person would."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.wheel.harness import InstalledSite, fetch

pytestmark = [pytest.mark.wheel, pytest.mark.browser]

SUPPORTER = "supporter0001@demo.example.org"
NEW_COMMITTEE_MEMBER = "supporter0002@demo.example.org"
ERASING_VOTER = "supporter0003@demo.example.org"
ORGANISER = "organiser@example.org"


def _ask_for_login_link(page: Page, site: InstalledSite, email: str) -> None:
    page.goto(site.url + "/login/")
    page.locator("input[name=email]").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def _log_in(page: Page, site: InstalledSite, email: str) -> int:
    """Log in by the emailed link; the HTTP status of the page the login lands on."""
    since = len(site.log())
    _ask_for_login_link(page, site, email)
    page.goto(site.login_link(email, since=since))
    with page.expect_navigation() as landed:
        page.get_by_role("button", name="Log in").click()
    response = landed.value
    assert response is not None
    page.goto(site.url + "/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return response.status


def _shell(site: InstalledSite, code: str) -> str:
    """The last line ``grassroots manage shell -c code`` prints, as an operator would run it."""
    ran = site.grassroots("manage", "shell", "-c", code)
    assert ran.returncode == 0, ran.stderr
    return ran.stdout.strip().splitlines()[-1]


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def _representative(site: InstalledSite) -> str:
    """A demo supporter who represents an affiliated organisation today (so is on a roll of
    the organising committee's representatives): ``email|organisation``."""
    return _shell(
        site,
        "from grassroots.web.alliance.models import Representative; "
        "r = Representative.objects.current().filter(supporter__isnull=False, "
        "organisation__status='affiliated')"
        ".select_related('supporter__user', 'organisation').order_by('id').first(); "
        "print(r.supporter.user.email, r.organisation.name, sep='|')",
    )


def test_supporter_sees_their_own_data(page: Page, site: InstalledSite) -> None:
    _log_in(page, site, SUPPORTER)

    _menu(page, "My data")

    expect(page.get_by_role("heading", level=1)).to_have_text("My data")
    expect(page.get_by_text(SUPPORTER).first).to_be_visible()
    expect(page.get_by_role("link", name="Organise")).to_have_count(0)


def test_organiser_counts_supporters_by_clp(page: Page, site: InstalledSite) -> None:
    _log_in(page, site, ORGANISER)

    _menu(page, "Organise")
    page.locator("#organise-pages").get_by_role("link", name="Supporters by CLP").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Supporters by CLP")
    expect(page.get_by_role("cell", name="Leeds Central and Headingley").first).to_be_visible()


def test_committee_member_sees_the_organisations_with_contacts(
    page: Page, site: InstalledSite
) -> None:
    _log_in(page, site, "committee@example.org")

    _menu(page, "Organise")
    page.locator("#organise-pages").get_by_role("link", name="Organisations", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Manage organisations")


def test_administrator_gives_a_role_after_confirming(page: Page, site: InstalledSite) -> None:
    _log_in(page, site, "admin@example.org")

    _menu(page, "Organise")
    page.locator("#organise-pages").get_by_role("link", name="Roles", exact=True).click()
    page.get_by_label("Email of the account").fill(NEW_COMMITTEE_MEMBER)
    page.get_by_label("Role").select_option("committee member")
    page.get_by_role("button", name="Give the role…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Give the committee member role?")
    page.get_by_role("button", name="Give the role").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"{NEW_COMMITTEE_MEMBER} is now committee member."
    )
    row = page.locator("#role-holders tr", has_text=NEW_COMMITTEE_MEMBER)
    expect(row).to_contain_text("committee member")


def test_representative_reaches_their_organisations_members(
    page: Page, site: InstalledSite
) -> None:
    # A demo supporter who represents an organisation today, found as an operator would.
    email, organisation = _representative(site).split("|")
    _log_in(page, site, email)

    _menu(page, "Organise")
    page.locator("#represented-organisations").get_by_role("link", name="members").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(f"Members of {re.escape(organisation)}")
    )


def test_organiser_lands_on_a_working_page_after_logging_in(
    page: Page, site: InstalledSite
) -> None:
    status = _log_in(page, site, ORGANISER)

    assert status == 200
    page.go_back()  # the page the login landed on, before the walk went home
    expect(page.get_by_role("heading", level=1)).to_have_text("Organise")


def test_voter_who_erases_their_account_cannot_log_in_and_the_ballot_stays(
    page: Page, site: InstalledSite
) -> None:
    roll = (
        "from grassroots.web.ballots.models import VoterRollEntry as V; "
        "print(V.objects.filter(ballot__slug='demo-strategy').count(), "
        f"V.objects.filter(ballot__slug='demo-strategy', person__email='{ERASING_VOTER}')"
        ".count())"
    )
    on_roll, theirs = _shell(site, roll).split()
    assert theirs == "1"  # they are on the open demo ballot's roll
    _log_in(page, site, ERASING_VOTER)

    page.goto(site.url + "/me/erase/")
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Erase my data").click()

    expect(page.get_by_role("status").first).to_contain_text("Your data has been erased.")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # No login link comes for the erased address: the worker sends a later one, to someone
    # else, and none to them.
    since = len(site.log())
    _ask_for_login_link(page, site, ERASING_VOTER)
    _ask_for_login_link(page, site, SUPPORTER)
    site.login_link(SUPPORTER, since=since)
    assert site.emailed(ERASING_VOTER, since=since) == []
    # The ballot whose roll they were on still works, its roll as long as before.
    assert _shell(site, roll).split() == [on_roll, "0"]
    page.goto(site.url + "/ballots/demo-strategy/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Which strategy")


def test_voter_casts_one_preference_and_the_published_blt_holds_exactly_it(
    page: Page, site: InstalledSite, browser: Browser
) -> None:
    voter = _representative(site).split("|")[0]
    # The organiser drafts a small ballot of the committee's representatives and opens it.
    _log_in(page, site, ORGANISER)
    page.goto(site.url + "/ballots/new/")
    page.get_by_label("Question").fill("Where should the next meeting be?")
    page.get_by_label("Web address (short name)").fill("meeting-place")
    page.get_by_label("Method").select_option("irv")
    page.get_by_label("Options", exact=True).fill("Leeds\nBradford\nWakefield")
    now = datetime.now(ZoneInfo("Europe/London"))  # the form's times are the UK's
    page.get_by_label("Voting opens").fill(f"{now - timedelta(days=1):%Y-%m-%dT%H:%M}")
    page.get_by_label("Voting closes").fill(f"{now + timedelta(days=7):%Y-%m-%dT%H:%M}")
    page.get_by_label("Electorate").select_option("committee")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Run the ballot")
    since = len(site.log())
    page.get_by_role("button", name="Open the ballot").click()
    page.get_by_role("button", name=re.compile(r"^Open the ballot and email \d+ voter")).click()
    # The worker delivers the links after the page answers: the page counts them, never who.
    expect(page.locator("#delivery")).to_contain_text(re.compile(r"\d+ sent, \d+ queued, 0 failed"))

    # The voter follows the link the worker emailed, ranks only the last option, at the top.
    voter_context = browser.new_context()  # the voter's own browser, not logged in
    voter_context.set_default_timeout(TIMEOUT_MS)
    voter_page = voter_context.new_page()
    voter_page.goto(site.link(voter, "/ballots/meeting-place/vote/", since=since))
    expect(voter_page.get_by_role("heading", name="Your ranking")).to_be_visible()
    voter_page.get_by_role("button", name="Add Wakefield", exact=True).click()
    expect(voter_page.locator("#rank-summary")).to_have_text(
        "You are ranking 1 of 3: 1. Wakefield."
    )
    voter_page.get_by_role("button", name="Cast my vote").click()
    expect(voter_page.get_by_role("heading", level=1)).to_have_text("Your vote is recorded")
    receipt = voter_page.locator("#receipt").inner_text()
    voter_context.close()

    # The returning officer closes and publishes, each after its confirmation.
    page.goto(site.url + "/ballots/meeting-place/manage/")
    page.get_by_role("button", name="Close the ballot now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the ballot now?")
    page.get_by_role("button", name="Close the ballot now").click()
    page.get_by_role("button", name="Count and publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Count and publish?")
    page.get_by_role("button", name="Count and publish").click()
    expect(page.get_by_role("status").first).to_contain_text("published")

    status, _, blt = fetch(site.url + "/ballots/meeting-place/ballots.blt")
    assert status == 200
    # Three options, one seat; one ballot, of weight 1, with Wakefield (the 3rd) only.
    lines = blt.decode().splitlines()
    assert lines[:6] == ["3 1", "1 3 0", "0", '"Leeds"', '"Bradford"', '"Wakefield"'], lines
    status, _, receipts = fetch(site.url + "/ballots/meeting-place/receipts.txt")
    assert status == 200
    assert receipt in receipts.decode()
