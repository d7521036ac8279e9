"""A new supporter's walk through the site in a real browser: sign up, confirm the email by
link, log in by link, find the others in their CLP, message one, export and erase their data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.consents import WORDING
from grassroots.web.people.models import ConsentKind, Message, Supporter, User
from tests.web.factories import supporter_create

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data (conftest's site_data reloads the constituencies).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

CLP = "Leeds Central and Headingley"
LINK = re.compile(r"https?://\S+/login/link/\?sesame=\S+")


def _link_in(message: mail.EmailMessage) -> str:
    found = LINK.search(str(message.body))
    assert found is not None, message.body
    return found.group(0)


def test_supporter_signs_up_verifies_messages_exports_and_erases(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    # Arrange: someone in the same CLP who confirmed and agreed to be visible, and someone
    # visible in another CLP, whom the new supporter must not see.
    priya = supporter_create(
        clp=Constituency.objects.get(name=CLP), name="Priya Shah", email="priya@example.org"
    )
    supporter_create(clp=Constituency.objects.get(name="Cardiff East"), name="Owain Jones")
    site = live_server.url

    # Find the CLP by searching the constituency list (htmx updates it as one types).
    page.goto(f"{site}/clps/")
    page.get_by_label("Name", exact=True).fill("Headingley")
    expect(page.locator("#clp-count")).to_have_text("1 CLP matching “Headingley”")
    expect(page.locator("#clp-results tbody tr")).to_have_count(1)
    expect(page.locator("#clp-results tbody")).to_contain_text(CLP)

    # Sign up: the CLP field offers the constituencies' names to pick from.
    page.get_by_role("link", name="Join", exact=True).click()
    expect(page.locator(f'#clp-options option[value="{CLP}"]')).to_have_count(1)
    page.get_by_label("Name", exact=True).fill("Nia Evans")
    page.get_by_label("Email", exact=True).fill("nia@example.org")
    page.get_by_label("Your constituency (CLP)").fill(CLP)
    page.get_by_label("Party member", exact=True).check()
    page.get_by_label(WORDING[ConsentKind.CONTACT]).check()
    page.get_by_label(WORDING[ConsentKind.VISIBLE_IN_CLP]).check()
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # Confirm the address with the emailed link: the link shows a button, which logs in.
    assert [m.to for m in mail.outbox] == [["nia@example.org"]]
    assert mail.outbox[0].subject == "Confirm your email for Grassroots Alliance"
    page.goto(_link_in(mail.outbox[0]))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{site}/me/")
    expect(page.get_by_role("status")).to_have_text("Thank you: your email address is confirmed.")
    expect(page.locator("main dl")).to_contain_text("nia@example.org (confirmed)")

    # Log out, then log in again with a fresh link (the first one works only once).
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email", exact=True).fill("nia@example.org")
    page.get_by_role("button", name="Email me a link").click()
    assert mail.outbox[-1].subject == "Your link to log in to Grassroots Alliance"
    page.goto(_link_in(mail.outbox[-1]))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data")

    # Contacts in the CLP: Priya, by name only, never her email address.
    page.get_by_role("link", name="Supporters in my CLP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Supporters in {CLP}")
    expect(page.locator("#contacts li")).to_have_count(1)
    expect(page.locator("#contacts")).to_contain_text("Priya Shah")
    assert "priya@example.org" not in page.content()

    # Message her: the site relays it by email, without the sender's address.
    page.get_by_role("link", name="Send a message to Priya Shah").click()
    page.get_by_label("Message").fill("Shall we meet before the CLP meeting on Thursday?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_have_text("Your message to Priya Shah is on its way.")
    relayed = mail.outbox[-1]
    assert relayed.to == ["priya@example.org"]
    assert relayed.subject == "A message from Nia Evans in your CLP"
    assert "Shall we meet before the CLP meeting on Thursday?" in relayed.body
    assert "nia@" not in str(relayed.message())  # headers and body: no sender address
    assert Message.objects.get().recipient == priya

    # Export: a JSON download with her name and both consents, each with its wording.
    page.get_by_role("link", name="My data").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    exported_path = tmp_path / "export.json"
    download_info.value.save_as(exported_path)
    exported = json.loads(exported_path.read_text(encoding="utf-8"))
    assert exported["name"] == "Nia Evans"
    assert exported["clp"]["name"] == CLP
    assert sorted((c["kind"], c["wording"], c["withdrawn_at"]) for c in exported["consents"]) == [
        (kind, WORDING[kind], None) for kind in (ConsentKind.CONTACT, ConsentKind.VISIBLE_IN_CLP)
    ]
    assert [m["to"] for m in exported["messages_sent"]] == ["Priya Shah"]

    # Erase: refused until confirmed, then gone and logged out.
    page.get_by_role("link", name="Erase my data").click()
    page.get_by_role("button", name="Erase my data").click()
    expect(page.get_by_text("Tick the box to confirm.")).to_be_visible()
    assert User.objects.filter(email="nia@example.org").exists()
    page.get_by_label("I understand that my account").check()
    page.get_by_role("button", name="Erase my data").click()
    expect(page).to_have_url(f"{site}/")
    expect(page.get_by_role("status")).to_have_text("Your data has been erased.")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert not User.objects.filter(email="nia@example.org").exists()
    assert list(Supporter.objects.values_list("user__name", flat=True).order_by("pk")) == [
        "Priya Shah",
        "Owain Jones",
    ]
    page.goto(f"{site}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
