"""Each role's main journey, in Debian's Chromium, on the site installed from the wheel with
production settings: log in by the emailed link (printed in the server's log, as the console
email backend does without EMAIL_HOST), then use the menu as that person would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.wheel.harness import InstalledSite

pytestmark = [pytest.mark.wheel, pytest.mark.browser]

SUPPORTER = "supporter0001@demo.example.org"
NEW_COMMITTEE_MEMBER = "supporter0002@demo.example.org"


def _log_in(page: Page, site: InstalledSite, email: str) -> None:
    since = len(site.log())
    page.goto(site.url + "/login/")
    page.locator("input[name=email]").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(site.login_link(email, since=since))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    page.goto(site.url + "/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def test_supporter_sees_their_own_data(page: Page, site: InstalledSite) -> None:
    _log_in(page, site, SUPPORTER)

    _menu(page, "My data")

    expect(page.get_by_role("heading", level=1)).to_have_text("My data")
    expect(page.get_by_text(SUPPORTER).first).to_be_visible()
    expect(page.get_by_role("link", name="Organise")).to_have_count(0)


def test_organiser_counts_supporters_by_clp(page: Page, site: InstalledSite) -> None:
    _log_in(page, site, "organiser@example.org")

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
    found = site.grassroots(
        "manage",
        "shell",
        "-c",
        "from grassroots.web.alliance.models import Representative; "
        "r = Representative.objects.current().filter(supporter__isnull=False)"
        ".select_related('supporter__user', 'organisation').order_by('id').first(); "
        "print(r.supporter.user.email, r.organisation.name, sep='|')",
    )
    assert found.returncode == 0, found.stderr
    email, organisation = found.stdout.strip().splitlines()[-1].split("|")
    _log_in(page, site, email)

    _menu(page, "Organise")
    page.locator("#represented-organisations").get_by_role("link", name="members").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(f"Members of {re.escape(organisation)}")
    )
