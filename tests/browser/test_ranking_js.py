"""The ranking page's reordering in a real browser with JavaScript on: a voter drags the
options, or moves them with their buttons from the keyboard, the numbers follow, and the
ballot stored is the order the voter arranged. The stored ballot is found after the close by
the receipt code the voter was given, as anyone can find theirs in the published list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.ballots import selectors, services
from grassroots.web.ballots.models import Ballot, Electorate, Method
from grassroots.web.constituencies.models import Constituency
from tests.web.factories import supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

OPTIONS = [("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M"), ("Dev Dale", "M")]


def _vote_page(page: Page, site: str) -> Ballot:
    """An open STV ballot with one voter, whose voting page the browser opens."""
    supporter_create(clp=Constituency.objects.get(name="Leeds Central and Headingley"))
    now = timezone.now()
    ballot = services.ballot_create(
        actor=None,
        slug="ranking-js",
        question="Who should be on the slate?",
        options=OPTIONS,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        method=Method.STV,
        seats=2,
        electorate=Electorate.SUPPORTERS,
    )
    tokens: list[str] = []

    def deliver(*, ballot: Ballot, site_url: str, links: Sequence[tuple[str, str, str]]) -> None:
        tokens.extend(token for _, _, token in links)

    services.ballot_open(actor=None, ballot=ballot, site_url=site, deliver=deliver)
    page.goto(services.vote_link(site_url=site, slug=ballot.slug, token=tokens[0]))
    expect(page.locator(".drag-help")).to_be_visible()  # the script has run
    return ballot


def _number(page: Page, name: str) -> Locator:
    return page.get_by_role("spinbutton", name=name)


def _order(page: Page) -> list[str]:
    return [
        text.split(" (")[0].strip()
        for text in page.locator("[data-option] label span").all_inner_texts()
    ]


def _stored_ranking(page: Page, ballot: Ballot) -> list[str]:
    """Cast the vote, close the ballot and read back the ballot with the voter's receipt."""
    page.get_by_role("button", name="Cast my vote").click()
    receipt = page.locator("#receipt").inner_text()
    services.ballot_close(actor=None, ballot=ballot)
    ballot.refresh_from_db()
    [stored] = selectors.cast_ballot_list(ballot=ballot).filter(receipt=receipt)
    names = dict(ballot.options.values_list("pk", "name"))
    return [names[option_id] for option_id in stored.ranking]


def _drag(page: Page, name: str, onto: str, *, below: bool) -> None:
    """Drag an option onto the top or bottom edge of another (the script drops it above the
    target's middle or below)."""
    source = page.locator("[data-option]", has_text=name)
    target = page.locator("[data-option]", has_text=onto)
    box = target.bounding_box()
    assert box is not None
    y = box["height"] - 3 if below else 3
    source.drag_to(target, target_position={"x": box["width"] / 2, "y": y})


def test_ranking_by_dragging_stores_the_order_arranged(live_server: LiveServer, page: Page) -> None:
    ballot = _vote_page(page, live_server.url)

    _drag(page, "Cal Cedar", onto="Ann Ash", below=False)
    _drag(page, "Dev Dale", onto="Cal Cedar", below=True)
    _drag(page, "Bea Birch", onto="Ann Ash", below=False)

    # Each dragged option is ranked, and so is all above it; Ann, below them, is left out.
    assert _order(page) == ["Cal Cedar", "Dev Dale", "Bea Birch", "Ann Ash"]
    expect(_number(page, "Cal Cedar")).to_have_value("1")
    expect(_number(page, "Dev Dale")).to_have_value("2")
    expect(_number(page, "Bea Birch")).to_have_value("3")
    expect(_number(page, "Ann Ash")).to_have_value("")
    assert _stored_ranking(page, ballot) == ["Cal Cedar", "Dev Dale", "Bea Birch"]


def test_ranking_by_keyboard_moves_stores_the_order_arranged(
    live_server: LiveServer, page: Page
) -> None:
    ballot = _vote_page(page, live_server.url)
    # The voter types two numbers first, then reorders with the keyboard alone.
    _number(page, "Dev Dale").fill("1")
    _number(page, "Ann Ash").fill("2")
    ann_up = page.get_by_role("button", name="Move Ann Ash up")
    bea_down = page.get_by_role("button", name="Move Bea Birch down")

    # Tab from Ann's number reaches Ann's "up" button; Enter moves her above Dev.
    _number(page, "Ann Ash").focus()
    page.keyboard.press("Tab")
    expect(ann_up).to_be_focused()
    page.keyboard.press("Enter")
    expect(ann_up).to_be_focused()  # the focus stays with the moved option
    expect(page.get_by_role("status")).to_have_text("Ann Ash is now number 1 of 4.")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Ann Ash is already first.")
    # Bea's "down" button, pressed with Space, moves her below Cal: she and all above are
    # ranked.
    bea_down.focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_have_text("Bea Birch is now number 4 of 4.")

    assert _order(page) == ["Ann Ash", "Dev Dale", "Cal Cedar", "Bea Birch"]
    expect(_number(page, "Ann Ash")).to_have_value("1")
    expect(_number(page, "Dev Dale")).to_have_value("2")
    expect(_number(page, "Cal Cedar")).to_have_value("3")
    expect(_number(page, "Bea Birch")).to_have_value("4")
    assert _stored_ranking(page, ballot) == ["Ann Ash", "Dev Dale", "Cal Cedar", "Bea Birch"]
