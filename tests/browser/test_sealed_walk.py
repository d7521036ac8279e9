"""A sealed slate ballot in a real browser, with three trustees (any two decrypt): the officer
sets it up and names the trustees; each trustee runs the installed `grassroots trustee`
commands in their own folder and sends the files through their page; two voters vote (one
in a browser without JavaScript); the officer closes, the server mixes, one trustee mixes,
two trustees decrypt (the third is absent), the officer counts and publishes; anyone
downloads the bundle and `grassroots ballots verify` accepts it, and `grassroots count` on
the published BLT elects who the result page shows."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.ballots.models import Ballot, SealedCast, Trustee
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.roles import Role
from grassroots.web.slates import services as slate_services
from tests.browser.conftest import TIMEOUT_MS
from tests.web.election_factories import election_create, section_get
from tests.web.factories import organisation_create, supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")
VOTE = re.compile(r"https?://\S+/vote/\S+/")
GRASSROOTS = str(Path(sys.executable).parent / "grassroots")  # the installed console script
NOMINEES = [("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M"), ("Dev Dale", "M")]
TRUSTEES = ["tia@example.org", "tom@example.org", "tay@example.org"]


def _page(browser: Browser, *, javascript: bool = True) -> Page:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
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


def _confirmed(page: Page, button: str) -> None:
    """Press an officer's button that asks first, then confirm."""
    page.get_by_role("button", name=button).first.click()
    page.get_by_role("button", name=button).click()


def _trustee_step(page: Page, folder: Path, step: str) -> None:
    """Download the step's files into the trustee's folder, run the command the page shows
    there with the installed `grassroots`, and send the file it wrote."""
    section = page.locator(f"#step-{step}")
    for link in section.locator("a[download]").all():
        with page.expect_download() as download:
            link.click()
        download.value.save_as(folder / download.value.suggested_filename)
    command = shlex.split(section.locator("pre.command").inner_text())
    assert command[:2] == ["grassroots", "trustee"]
    done = subprocess.run(
        [GRASSROOTS, *command[1:]], cwd=folder, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    written = folder / command[command.index("--out" if "--out" in command else "--public") + 1]
    section.locator("input[type=file]").set_input_files(str(written))
    section.get_by_role("button", name="Send the file").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile("checks"))


def _rank(page: Page, numbers: dict[str, str]) -> None:
    to_numbers = page.get_by_role("button", name="Type numbers instead")
    if to_numbers.count() and to_numbers.is_visible():
        to_numbers.click()
    for name, number in numbers.items():
        page.get_by_label(name, exact=False).fill(number)
    page.get_by_role("button", name="Cast my vote").click()


def test_sealed_slate_ballot_three_trustees_one_absent_verifies_and_recounts(
    live_server: LiveServer, page: Page, browser: Browser, tmp_path: Path
) -> None:
    # Arrange: the NEC's CLP section and four nominees; an organiser; three trustees and two
    # voters, all verified supporters (the slate ballot's electorate).
    election = election_create()
    section = section_get(election)
    leeds = Constituency.objects.get(name="Leeds Central and Headingley")
    organisation = organisation_create(name="Nurses for the Left")
    sam = supporter_create(clp=leeds, name="Sam Okafor", email="sam@example.org")
    sam.user.groups.add(Group.objects.get(name=Role.ORGANISER.value))
    for name, gender in NOMINEES:
        slate_services.slate_nomination_submit(
            actor=sam.user, organisation=organisation, section=section, name=name, gender=gender
        )
    for email in TRUSTEES:
        supporter_create(clp=leeds, name=email.split("@")[0].title(), email=email)
    supporter_create(clp=leeds, name="Vic Vale", email="vic@example.org")
    supporter_create(clp=leeds, name="Nia Noor", email="nia@example.org")
    site = live_server.url

    # The organiser sets up the slate ballot (sealed by default) and names three trustees,
    # any two of whom can decrypt.
    _log_in(page, site, "sam@example.org")
    page.goto(f"{site}/organise/slates/{election.slug}/{section.slug}/")
    expect(page.get_by_label("Sealed: encrypt each ballot to trustees' keys")).to_be_checked()
    page.get_by_label("Slate size").fill("2")
    closes = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Voting closes").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Electorate").select_option(label="All verified supporters")
    page.get_by_role("button", name="Set up the slate ballot").click()
    ballot = Ballot.objects.get()
    assert ballot.sealed
    manage = f"{site}/ballots/{ballot.slug}/manage/"
    for email in TRUSTEES:
        page.locator("#trustee-add").get_by_label("Or the email address of their account").fill(
            email
        )
        page.get_by_role("button", name="Name a trustee").click()
    page.get_by_label("Trustees needed to decrypt (k)").fill("2")
    page.get_by_role("button", name="Set the threshold").click()
    expect(page.locator("#trustee-steps tbody tr")).to_have_count(3)
    expect(page.locator("#open-waits")).to_be_visible()

    # Each trustee, in their own browser and folder, makes keys, deals and confirms.
    trustees = []
    for number, email in enumerate(TRUSTEES, start=1):
        trustee_page = _page(browser)
        _log_in(trustee_page, site, email)
        trustee_page.goto(f"{site}/ballots/{ballot.slug}/trustee/")
        expect(trustee_page.get_by_role("heading", level=1)).to_contain_text(
            f"Trustee {number} of 3"
        )
        folder = tmp_path / f"trustee-{number}"
        folder.mkdir()
        trustees.append((trustee_page, folder))
    for step in ("keys", "deal", "confirm"):
        for trustee_page, folder in trustees:
            trustee_page.reload()
            _trustee_step(trustee_page, folder, step)
    assert Trustee.objects.filter(ballot=ballot, confirmation__isnull=False).count() == 3
    # The secret files stayed in the trustees' folders: the site holds none of them.
    assert all(
        (folder / f"{ballot.slug}-secret-{n}.json").exists()
        for n, (_, folder) in enumerate(trustees, start=1)
    )

    # The organiser opens the ballot.
    page.goto(manage)
    expect(page.locator("#open-waits")).to_have_count(0)
    _confirmed(page, "Open the ballot")
    expect(page.get_by_role("status")).to_contain_text("The ballot is open")

    # Vic votes with the page's lists; Nia's browser runs no JavaScript (the numbers form).
    vic = _page(browser)
    vic.goto(_vote_link("vic@example.org"))
    _rank(vic, {"Ann Ash": "1", "Cal Cedar": "2"})
    vic_receipt = vic.locator("#receipt").inner_text()
    expect(vic.locator("#sealed-receipt")).to_be_visible()
    nia = _page(browser, javascript=False)
    nia.goto(_vote_link("nia@example.org"))
    _rank(nia, {"Dev Dale": "1", "Bea Birch": "2", "Cal Cedar": "3"})
    expect(nia.locator("#receipt")).to_be_visible()
    assert SealedCast.objects.count() == 2

    # The organiser closes; the server mixes at once (a few ballots).
    page.goto(manage)
    _confirmed(page, "Close the ballot now")
    page.goto(manage)
    expect(page.locator("#mixes")).to_have_text("Mixes: 1. server.")

    # Vic finds their receipt on the published board.
    board = json.loads(page.request.get(f"{site}/ballots/{ballot.slug}/board.json").text())
    assert vic_receipt in [entry["receipt"] for entry in board["ballots"]]

    # Trustee 1 mixes; trustee 2 does not; the officer stops the mixing.
    trustee_page, folder = trustees[0]
    trustee_page.reload()
    _trustee_step(trustee_page, folder, "mix")
    page.goto(manage)
    expect(page.locator("#mixes")).to_have_text("Mixes: 1. server, 2. trustee 1.")
    _confirmed(page, "Stop the mixing")

    # Trustees 1 and 3 decrypt; trustee 2 is absent.
    for trustee_page, folder in (trustees[0], trustees[2]):
        trustee_page.reload()
        _trustee_step(trustee_page, folder, "decrypt")

    # The organiser counts and publishes (the decryption runs as a task).
    page.goto(manage)
    _confirmed(page, "Count and publish")
    ballot.refresh_from_db()
    assert ballot.status == "published"

    # Anyone downloads the bundle and verifies it, and recounts the published BLT.
    page.goto(f"{site}/ballots/{ballot.slug}/result/")
    with page.expect_download() as bundle:
        page.get_by_role("link", name="the bundle").click()
    bundle_path = tmp_path / "bundle.json"
    bundle.value.save_as(bundle_path)
    verified = subprocess.run(
        [GRASSROOTS, "ballots", "verify", str(bundle_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert "the bundle verifies" in verified.stdout
    with page.expect_download() as blt:
        page.get_by_role("link", name="The anonymised ballots (BLT)").click()
    with page.expect_download() as categories:
        page.get_by_role("link", name="the candidates' categories (CSV)").click()
    recount_folder = tmp_path / "recount"
    recount_folder.mkdir()
    blt.value.save_as(recount_folder / blt.value.suggested_filename)
    categories.value.save_as(recount_folder / categories.value.suggested_filename)
    command = shlex.split(page.locator("#recount").inner_text())
    recounted = subprocess.run(
        [GRASSROOTS, *command[1:], "--format", "json"],
        cwd=recount_folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert recounted.returncode == 0, recounted.stderr
    elected = json.loads(recounted.stdout)["elected"]
    expect(page.locator("#elected li")).to_have_text(
        [re.compile(rf"^{re.escape(name)}\b") for name in elected]
    )
    assert elected == ballot.result["elected"]
