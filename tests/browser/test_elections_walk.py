"""An organiser follows the party election in a real browser: records CLP nominations until a
candidate crosses the threshold, imports the count's ballot file and reads the analysis by
slate."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Nomination, SectionResult
from grassroots.web.people.roles import Role
from tests.web.election_factories import (
    candidates_create,
    election_create,
    section_get,
    slate_with,
)
from tests.web.factories import supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")
SMALL_BLT = Path(__file__).parent.parent / "web" / "data" / "elections-small.blt"


def _log_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a link").click()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    page.goto(found.group(0))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data")


def test_organiser_sees_a_candidate_cross_the_threshold_and_reads_the_result_by_slate(
    live_server: LiveServer, page: Page
) -> None:
    # Arrange: a two-seat section with the hand-counted small election's candidates.
    election = election_create()
    section = section_get(election)
    section.seats = 2
    section.quotas = {"F": {"min": 1}}
    section.save()
    people = candidates_create(
        section, [("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M"), ("Dee Dale", "M")]
    )
    slate_with(election, "Red", [people["Ann Ash"], people["Bea Birch"]])
    slate_with(election, "Blue", [people["Cal Cedar"]])
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    organiser = supporter_create(clp=leeds, name="Sam Okafor", email="sam@example.org")
    organiser.user.groups.add(Group.objects.get(name=Role.ORGANISER.value))
    clps = list(Constituency.objects.with_clp().order_by("gss_code")[:5])
    site = live_server.url
    _log_in(page, site, "sam@example.org")

    # Record nominations for Ann from five CLPs, the first four by name, the last by GSS code.
    page.goto(f"{site}/organise/elections/nec-test/clp/nominations/")
    for number, clp in enumerate(clps, start=1):
        page.get_by_label("CLP", exact=True).fill(clp.gss_code if number == 5 else clp.name)
        page.get_by_label("Candidate", exact=True).select_option(label="Ann Ash")
        page.get_by_label("Date of the nomination", exact=True).fill("2026-03-02")
        page.get_by_role("button", name="Record the nomination").click()
        expect(page.get_by_role("status")).to_have_text(f"Recorded: {clp.name} nominates Ann Ash.")
        if number == 4:
            row = page.locator("#candidates tbody tr", has_text="Ann Ash")
            expect(row).to_contain_text("4 nominations (5 needed)")
            expect(row).to_contain_text("Not yet")
    assert Nomination.objects.filter(candidate=people["Ann Ash"]).count() == 5

    # The public tracker: Ann is on the ballot; five CLPs have nominated, all for Red.
    page.goto(f"{site}/elections/")
    page.get_by_role("link", name=re.compile(r"^Nominations.*CLP representatives")).click()
    row = page.locator("#candidates tbody tr", has_text="Ann Ash")
    expect(row).to_contain_text("5 nominations (5 needed)")
    expect(row).to_contain_text("On the ballot")
    expect(page.locator("#clps-nominating")).to_have_text("5")
    expect(page.locator("#slate-shares tbody tr").first).to_contain_text("100.0%")

    # Import the count's ballot file and read the analysis by slate.
    page.goto(f"{site}/organise/elections/nec-test/clp/result/")
    page.get_by_label("A full ballot file (.blt or .csv), counted here").check()
    page.get_by_label("Result file", exact=True).set_input_files(str(SMALL_BLT))
    page.get_by_role("button", name="Import the result").click()
    expect(page.get_by_role("status")).to_have_text("The result is stored.")
    expect(page.locator("#elected li")).to_have_text(["Ann Ash (Red)", "Cal Cedar (Blue)"])
    red = page.locator("#slate-shares tbody tr", has_text="Red")
    expect(red.locator("td")).to_have_text(["Red", "19.00000", "63.3%", "1"])
    no_slate = page.locator("#transfer-matrix tbody tr", has_text="No slate")
    expect(no_slate).to_contain_text("3.00000")
    expect(page.locator("#exhausted")).to_have_text("1.00000")
    assert SectionResult.objects.get().data["elected"] == ["Ann Ash", "Cal Cedar"]

    # Forecast the section from the stored result, then ask how many Red should stand.
    page.goto(f"{site}/organise/elections/nec-test/")
    page.get_by_role("link", name=re.compile(r"^Forecast")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forecast: CLP representatives")
    expect(page.get_by_label("Red: share of voters (%)")).to_have_value("63.3")
    expect(page.get_by_label("Red: loyalty (%)")).to_have_value("75.0")
    page.get_by_label("Red: share of voters (%)").fill("60")
    page.get_by_label("Runs", exact=True).fill("20")
    page.get_by_label("Also compare slate sizes for").select_option("Red")
    page.get_by_role("button", name="Run the forecast").click()
    expect(page.locator("#seats tbody tr")).to_have_count(3)  # Red, Blue, independent
    expect(page.locator("#seats tbody tr").first).to_contain_text("Red")
    expect(page.locator("#chances tbody tr")).to_have_count(4)
    expect(page.locator("#sizes tbody tr")).to_have_count(2)
    expect(page.locator("#sizes tr.best")).to_have_count(1)
    # The result has its own address, under which the figures asked with are shown again.
    assert re.search(r"/organise/elections/nec-test/[-\w]+/forecast/\d+/$", page.url), page.url
    expect(page.get_by_label("Red: share of voters (%)")).to_have_value("60")


def test_forecast_page_shows_progress_until_the_worker_stores_the_result(
    live_server: LiveServer, page: Page, settings: Any
) -> None:
    """The page answers at once with a progress bar, which polls (htmx, under the site's
    script policy) and brings up the result when the run is done."""
    from grassroots.web.elections.forecast_runs import forecast_run_compute
    from grassroots.web.elections.models import ForecastRun, ForecastStatus

    election = election_create()
    section = section_get(election)
    section.seats = 2
    section.quotas = {"F": {"min": 1}}
    section.save()
    people = candidates_create(section, [("Ann Ash", "F"), ("Cal Cedar", "M")])
    slate_with(election, "Red", [people["Ann Ash"]])
    slate_with(election, "Blue", [people["Cal Cedar"]])
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    organiser = supporter_create(clp=leeds, name="Sam Okafor", email="sam@example.org")
    organiser.user.groups.add(Group.objects.get(name=Role.ORGANISER.value))
    site = live_server.url
    _log_in(page, site, "sam@example.org")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    page.goto(f"{site}/organise/elections/nec-test/clp/forecast/")
    page.get_by_label("Runs", exact=True).fill("10")
    page.get_by_role("button", name="Run the forecast").click()
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("max", "10")
    expect(page.get_by_role("status")).to_contain_text("queued")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    expect(page.locator("#seats")).to_have_count(0)

    run = ForecastRun.objects.get()
    ForecastRun.objects.filter(pk=run.pk).update(status=ForecastStatus.RUNNING, runs_done=5)
    expect(bar).to_have_attribute("value", "5")  # the poll brought the new count
    assert forecast_run_compute(run_id=run.pk) == "done"
    expect(page.locator("#seats tbody tr")).to_have_count(2, timeout=10_000)
    expect(page.get_by_role("progressbar")).to_have_count(0)
    assert errors == []
