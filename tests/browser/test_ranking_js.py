"""The ranking page in a real browser: with JavaScript, a "Your ranking" list and a "Not
ranked" list, which an option joins or leaves only by the voter's own action (Add, Remove,
dragging, or typed numbers); without it, the numbers form. Whatever the control, the ballot
stored holds exactly the options the summary above the button named, in its order, and no
other. The voter reaches the page by the link emailed to them; the stored ballot is found after
the close by the receipt code the voter was given, as anyone can find theirs in the published
list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.web.ballots import selectors, services
from grassroots.web.ballots.models import Ballot, Electorate, Method
from grassroots.web.candidacy.models import BallotPaperSettings
from grassroots.web.constituencies.models import Constituency
from tests.web.factories import supporter_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_data"),
]

OPTIONS = [("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M"), ("Dev Dale", "M")]
LINK = re.compile(r"https?://\S+/ballots/\S+")
SUMMARY_ITEM = re.compile(r"(\d+)\. ([^,]+?)(?=, \d+\. |\.$)")


def _open_ballot(site: str, options: Sequence[tuple[str, str]] = OPTIONS) -> tuple[Ballot, str]:
    """An open STV ballot with one voter, and the voting link emailed to them."""
    supporter_create(clp=Constituency.objects.get(name="Leeds Central and Headingley"))
    now = timezone.now()
    ballot = services.ballot_create(
        actor=None,
        slug="ranking-js",
        question="Who should be on the slate?",
        options=options,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        method=Method.STV,
        seats=2,
        electorate=Electorate.SUPPORTERS,
    )
    # These tests follow the lists in the ballot's own order: the per-voter shuffle is
    # tested in tests/web/test_candidacy_paper.py.
    BallotPaperSettings.objects.create(ballot=ballot, fixed_order=True)
    services.ballot_open(actor=None, ballot=ballot, site_url=site)
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    return ballot, found.group(0)


def _vote_page(page: Page, site: str) -> Ballot:
    """Open the ballot and follow the voter's emailed link, to the page with the two lists."""
    ballot, link = _open_ballot(site)
    page.goto(link)
    expect(page.get_by_role("heading", name="Your ranking")).to_be_visible()  # the script ran
    return ballot


def _names(items: Locator) -> list[str]:
    return items.evaluate_all("items => items.map(item => item.dataset.optionName)")


def _ranked(page: Page) -> list[str]:
    return _names(page.locator("[data-ranked] > li"))


def _unranked(page: Page) -> list[str]:
    return _names(page.locator("[data-unranked] > li"))


def _summary(page: Page) -> Locator:
    return page.locator("#rank-summary")


def _summary_names(page: Page) -> list[str]:
    """The names the summary says will be cast, in its order (checked to be 1, 2, 3…)."""
    text = _summary(page).inner_text()
    items = SUMMARY_ITEM.findall(text.split(": ", 1)[1]) if ": " in text else []
    assert [int(n) for n, _ in items] == list(range(1, len(items) + 1)), text
    return [name for _, name in items]


def _numbers(page: Page, ballot: Ballot) -> dict[str, str]:
    """The value in each option's number box (hidden or not), by option name."""
    return {
        option.name: page.locator(f"#id_option_{option.pk}").input_value()
        for option in ballot.options.all()
    }


def _cast(
    page: Page, ballot: Ballot, *, keyboard: bool = False
) -> tuple[dict[str, str], list[str]]:
    """Cast the vote, close the ballot and read back the ballot with the voter's receipt.

    Returns what the form posted (each option's number, by name; unranked options post an
    empty box) and the stored ranking, by name.
    """
    with page.expect_request(lambda request: request.method == "POST") as posted:
        if keyboard:
            page.keyboard.press("Enter")
        else:
            page.get_by_role("button", name="Cast my vote").click()
    receipt = page.locator("#receipt").inner_text()
    fields = parse_qs(posted.value.post_data or "", keep_blank_values=True)
    names = dict(ballot.options.values_list("pk", "name"))
    sent = {
        names[int(key.removeprefix("option_"))]: value
        for key, [value] in fields.items()
        if key.startswith("option_")
    }
    services.ballot_close(actor=None, ballot=ballot)
    ballot.refresh_from_db()
    [stored] = selectors.cast_ballot_list(ballot=ballot).filter(receipt=receipt)
    return sent, [names[option_id] for option_id in stored.ranking]


def _button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def test_moving_the_last_option_to_the_top_casts_a_one_preference_ballot(
    live_server: LiveServer, page: Page
) -> None:
    ballot = _vote_page(page, live_server.url)
    assert _ranked(page) == []
    assert _unranked(page) == ["Ann Ash", "Bea Birch", "Cal Cedar", "Dev Dale"]
    expect(_summary(page)).to_have_text(
        "You are ranking none of the 4 options yet, and a vote with no choice cannot be cast: "
        "add at least your first choice."
    )

    _button(page, "Add Dev Dale").click()

    # Dev is at the top of the ranking; the options Dev passed stay out of it.
    assert _ranked(page) == ["Dev Dale"]
    assert _unranked(page) == ["Ann Ash", "Bea Birch", "Cal Cedar"]
    expect(_summary(page)).to_have_text("You are ranking 1 of 4: 1. Dev Dale.")
    assert _numbers(page, ballot) == {
        "Ann Ash": "",
        "Bea Birch": "",
        "Cal Cedar": "",
        "Dev Dale": "1",
    }
    shown = _summary_names(page)
    sent, stored = _cast(page, ballot)
    assert sent == {"Ann Ash": "", "Bea Birch": "", "Cal Cedar": "", "Dev Dale": "1"}
    assert stored == shown == ["Dev Dale"]


def test_dragging_the_last_option_into_the_empty_ranking_casts_one_preference(
    live_server: LiveServer, page: Page
) -> None:
    ballot = _vote_page(page, live_server.url)

    page.locator("[data-option-name='Dev Dale']").drag_to(page.locator("[data-ranked-zone]"))

    assert _ranked(page) == ["Dev Dale"]
    expect(_summary(page)).to_have_text("You are ranking 1 of 4: 1. Dev Dale.")
    shown = _summary_names(page)
    _, stored = _cast(page, ballot)
    assert stored == shown == ["Dev Dale"]


def test_ranking_with_the_buttons_casts_what_the_summary_shows(
    live_server: LiveServer, page: Page
) -> None:
    ballot = _vote_page(page, live_server.url)

    _button(page, "Add Ann Ash").click()
    _button(page, "Add Bea Birch").click()
    _button(page, "Add Cal Cedar").click()
    _button(page, "Move Cal Cedar up").click()
    _button(page, "Move Cal Cedar up").click()
    expect(page.get_by_role("status")).to_have_text("Cal Cedar is now number 1 of 3.")
    # Already first, the button is marked unavailable (aria-disabled, still focusable), and
    # pressing it moves nothing.
    expect(_button(page, "Move Cal Cedar up")).to_have_attribute("aria-disabled", "true")
    _button(page, "Move Cal Cedar up").click(force=True)
    expect(page.get_by_role("status")).to_have_text("Cal Cedar is already first.")
    _button(page, "Move Ann Ash down").click()
    _button(page, "Remove Cal Cedar").click()

    assert _ranked(page) == ["Bea Birch", "Ann Ash"]
    assert _unranked(page) == ["Cal Cedar", "Dev Dale"]
    expect(_summary(page)).to_have_text("You are ranking 2 of 4: 1. Bea Birch, 2. Ann Ash.")
    shown = _summary_names(page)
    sent, stored = _cast(page, ballot)
    assert sent == {"Ann Ash": "2", "Bea Birch": "1", "Cal Cedar": "", "Dev Dale": ""}
    assert stored == shown == ["Bea Birch", "Ann Ash"]


def test_ranking_with_the_keyboard_alone_casts_what_the_summary_shows(
    live_server: LiveServer, page: Page
) -> None:
    ballot = _vote_page(page, live_server.url)
    status = page.get_by_role("status")
    # Tab from the top of the page to the first option's Add button.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Add Ann Ash":
            break
    expect(_button(page, "Add Ann Ash")).to_be_focused()

    # Enter adds Ann; the focus moves on to the next option still to rank, and Space adds it.
    page.keyboard.press("Enter")
    expect(status).to_have_text("Added Ann Ash as number 1. You are ranking 1 of 4.")
    expect(_button(page, "Add Bea Birch")).to_be_focused()
    page.keyboard.press("Space")
    expect(status).to_have_text("Added Bea Birch as number 2. You are ranking 2 of 4.")
    expect(_button(page, "Add Cal Cedar")).to_be_focused()

    # Back up into the ranking: Bea's buttons come just before "Not ranked".
    page.keyboard.press("Shift+Tab")
    expect(_button(page, "Remove Bea Birch")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(_button(page, "Move Bea Birch up")).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Bea Birch is now number 1 of 2.")
    expect(_button(page, "Move Bea Birch up")).to_be_focused()  # the focus moved with Bea
    page.keyboard.press("Enter")
    expect(status).to_have_text("Bea Birch is already first.")

    # Remove Bea: the focus goes to the option that took her place.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(_button(page, "Remove Bea Birch")).to_be_focused()
    page.keyboard.press("Space")
    expect(status).to_have_text("Removed Bea Birch from your ranking. You are ranking 1 of 4.")
    expect(_button(page, "Remove Ann Ash")).to_be_focused()
    assert _unranked(page) == ["Bea Birch", "Cal Cedar", "Dev Dale"]  # back in ballot order

    # On to Dev, add him, and on to the Cast button.
    for name in ("Add Bea Birch", "Add Cal Cedar", "Add Dev Dale"):
        page.keyboard.press("Tab")
        expect(_button(page, name)).to_be_focused()
    page.keyboard.press("Enter")
    expect(_button(page, "Add Cal Cedar")).to_be_focused()  # Dev was the last: the one before
    for _ in range(4):  # Add Bea, then Dev's Remove, "down" and "up"
        page.keyboard.press("Shift+Tab")
    expect(_button(page, "Move Dev Dale up")).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Dev Dale is now number 1 of 2.")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Cast my vote":
            break
    expect(_button(page, "Cast my vote")).to_be_focused()

    assert _ranked(page) == ["Dev Dale", "Ann Ash"]
    expect(_summary(page)).to_have_text("You are ranking 2 of 4: 1. Dev Dale, 2. Ann Ash.")
    shown = _summary_names(page)
    _, stored = _cast(page, ballot, keyboard=True)
    assert stored == shown == ["Dev Dale", "Ann Ash"]


def _drag(page: Page, name: str, onto: str, *, below: bool) -> None:
    """Drag an option onto the top or bottom edge of a ranked option (the script drops it
    above or below the target's middle)."""
    target = page.locator("[data-ranked] > li", has_text=onto)
    box = target.bounding_box()
    assert box is not None
    y = box["height"] - 3 if below else 3
    page.locator(f"[data-option-name='{name}']").drag_to(target, target_position={"x": 10, "y": y})


def test_ranking_by_dragging_casts_what_the_summary_shows(
    live_server: LiveServer, page: Page
) -> None:
    ballot = _vote_page(page, live_server.url)

    page.locator("[data-option-name='Cal Cedar']").drag_to(page.locator("[data-ranked-zone]"))
    _drag(page, "Ann Ash", onto="Cal Cedar", below=False)
    _drag(page, "Dev Dale", onto="Cal Cedar", below=True)
    assert _ranked(page) == ["Ann Ash", "Cal Cedar", "Dev Dale"]
    assert _unranked(page) == ["Bea Birch"]  # never dragged, never ranked

    _drag(page, "Dev Dale", onto="Ann Ash", below=False)  # within the ranking
    page.locator("[data-option-name='Ann Ash']").drag_to(page.locator("[data-unranked-zone]"))

    assert _ranked(page) == ["Dev Dale", "Cal Cedar"]
    assert _unranked(page) == ["Ann Ash", "Bea Birch"]
    expect(_summary(page)).to_have_text("You are ranking 2 of 4: 1. Dev Dale, 2. Cal Cedar.")
    shown = _summary_names(page)
    sent, stored = _cast(page, ballot)
    assert sent == {"Ann Ash": "", "Bea Birch": "", "Cal Cedar": "2", "Dev Dale": "1"}
    assert stored == shown == ["Dev Dale", "Cal Cedar"]


def test_typing_numbers_with_javascript_casts_what_the_summary_shows(
    live_server: LiveServer, page: Page
) -> None:
    ballot = _vote_page(page, live_server.url)
    _button(page, "Add Ann Ash").click()

    _button(page, "Type numbers instead").click()
    numbers = {name: page.get_by_role("spinbutton", name=name) for name, _ in OPTIONS}
    expect(numbers["Ann Ash"]).to_have_value("1")  # the ranking so far, in the boxes
    numbers["Ann Ash"].fill("")
    numbers["Cal Cedar"].fill("1")
    numbers["Bea Birch"].fill("1")
    expect(_summary(page)).to_have_text(
        "Your numbers are not a ranking yet: number your choices 1, 2, 3… once each, without "
        "gaps, and leave the rest empty."
    )
    # Numbers that are not a ranking stay in the boxes: no order is chosen for the voter.
    _button(page, "Use the lists instead").click()
    expect(page.get_by_role("status")).to_contain_text("Your numbers stay in the boxes")
    expect(page.get_by_role("heading", name="Your ranking")).to_be_hidden()
    numbers["Bea Birch"].fill("2")
    expect(_summary(page)).to_have_text("You are ranking 2 of 4: 1. Cal Cedar, 2. Bea Birch.")

    # Back to the lists: the numbers typed are the ranking.
    _button(page, "Use the lists instead").click()
    assert _ranked(page) == ["Cal Cedar", "Bea Birch"]
    assert _unranked(page) == ["Ann Ash", "Dev Dale"]
    _button(page, "Type numbers instead").click()
    numbers["Dev Dale"].fill("3")
    expect(_summary(page)).to_have_text(
        "You are ranking 3 of 4: 1. Cal Cedar, 2. Bea Birch, 3. Dev Dale."
    )
    shown = _summary_names(page)
    sent, stored = _cast(page, ballot)
    assert sent == {"Ann Ash": "", "Bea Birch": "2", "Cal Cedar": "1", "Dev Dale": "3"}
    assert stored == shown == ["Cal Cedar", "Bea Birch", "Dev Dale"]


def test_numbers_refused_by_the_server_come_back_in_their_boxes(
    live_server: LiveServer, page: Page
) -> None:
    ballot = _vote_page(page, live_server.url)
    _button(page, "Type numbers instead").click()
    page.get_by_role("spinbutton", name="Ann Ash").fill("1")
    page.get_by_role("spinbutton", name="Bea Birch").fill("1")

    _button(page, "Cast my vote").click()

    # The boxes are shown beside their messages, not hidden behind the lists.
    expect(page.get_by_role("alert").first).to_contain_text("1 is also given to")
    expect(page.get_by_role("spinbutton", name="Bea Birch")).to_be_visible()
    expect(_button(page, "Use the lists instead")).to_be_visible()
    expect(_summary(page)).to_contain_text("Your numbers are not a ranking yet")
    assert ballot.cast_ballots.count() == 0
    page.get_by_role("spinbutton", name="Bea Birch").fill("2")
    shown = _summary_names(page)
    _, stored = _cast(page, ballot)
    assert stored == shown == ["Ann Ash", "Bea Birch"]


def test_an_empty_ranking_is_refused_and_nothing_is_stored(
    live_server: LiveServer, page: Page
) -> None:
    ballot = _vote_page(page, live_server.url)
    _button(page, "Add Ann Ash").click()
    _button(page, "Remove Ann Ash").click()
    expect(_summary(page)).to_contain_text("You are ranking none of the 4 options yet")

    _button(page, "Cast my vote").click()

    expect(page.get_by_role("alert")).to_have_text("Put 1 next to your first choice.")
    expect(page.get_by_role("heading", name="Your ranking")).to_be_visible()
    assert ballot.cast_ballots.count() == 0


def test_without_javascript_the_numbers_form_casts_the_numbers_typed(
    live_server: LiveServer, browser: Browser
) -> None:
    ballot, link = _open_ballot(live_server.url)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(link)
        expect(page.get_by_role("heading", name="Your ranking")).to_be_hidden()
        expect(_summary(page)).to_be_hidden()
        page.get_by_role("spinbutton", name="Cal Cedar").fill("1")
        page.get_by_role("spinbutton", name="Ann Ash").fill("2")

        sent, stored = _cast(page, ballot)

        assert sent == {"Ann Ash": "2", "Bea Birch": "", "Cal Cedar": "1", "Dev Dale": ""}
        assert stored == ["Cal Cedar", "Ann Ash"]
    finally:
        context.close()


PHONE = {"width": 390, "height": 844}


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _small_targets(page: Page) -> list[str]:
    """The visible buttons and number boxes of the form smaller than 44 px either way."""
    small = []
    for control in page.locator("form button:visible, form input.rank:visible").all():
        box = control.bounding_box()
        assert box is not None
        if box["width"] < 44 or box["height"] < 44:
            small.append(f"{control.inner_text() or control.get_attribute('id')}: {box}")
    return small


def test_on_a_phone_the_vote_page_fits_the_screen_and_is_easy_to_tap(
    live_server: LiveServer, browser: Browser
) -> None:
    ballot, link = _open_ballot(live_server.url)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(link)
        expect(page.get_by_role("heading", name="Your ranking")).to_be_visible()
        _fits(page)
        for name, _ in OPTIONS:
            _button(page, f"Add {name}").tap()
        _button(page, "Move Dev Dale up").tap()
        assert _ranked(page) == ["Ann Ash", "Bea Birch", "Dev Dale", "Cal Cedar"]
        _fits(page)
        assert _small_targets(page) == []
        _button(page, "Type numbers instead").tap()
        _fits(page)
        assert _small_targets(page) == []
        _button(page, "Use the lists instead").tap()
        shown = _summary_names(page)

        _, stored = _cast(page, ballot)

        _fits(page)  # the receipt
        assert stored == shown == ["Ann Ash", "Bea Birch", "Dev Dale", "Cal Cedar"]
    finally:
        context.close()


def test_on_a_phone_the_numbers_form_fits_the_screen(
    live_server: LiveServer, browser: Browser
) -> None:
    _, link = _open_ballot(live_server.url)
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(link)
        _fits(page)
        assert _small_targets(page) == []
        page.get_by_role("button", name="Cast my vote").click()  # refused: nothing ranked
        expect(page.get_by_role("alert")).to_be_visible()
        _fits(page)
        page.get_by_role("spinbutton", name="Ann Ash").fill("1")
        page.get_by_role("button", name="Cast my vote").click()
        expect(page.locator("#receipt")).to_be_visible()
        page.goto(link)  # the link, used: refused
        _fits(page)
    finally:
        context.close()


LONG_NAME = "Bartholomew Fitzwilliam-Montgomery-Smythe of Llanfairpwllgwyngyllgogerychwyrndrobwll"


def test_on_a_phone_a_long_name_wraps_instead_of_widening_the_page(
    live_server: LiveServer, browser: Browser
) -> None:
    _, link = _open_ballot(live_server.url, options=[*OPTIONS, (LONG_NAME, "M")])
    for javascript in (True, False):
        context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
        page = context.new_page()
        try:
            page.goto(link)
            _fits(page)
            if javascript:
                _button(page, f"Add {LONG_NAME}").click()
                _fits(page)
                _button(page, "Type numbers instead").click()
            page.get_by_role("spinbutton", name=LONG_NAME).fill("7")
            page.get_by_role("button", name="Cast my vote").click()  # refused: no 7
            expect(page.get_by_role("alert").first).to_be_visible()
            _fits(page)
        finally:
            context.close()


def _serious_problems(page: Page) -> list[str]:
    report = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']}; first {v['nodes'][0]['target']}"
        for v in report["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_the_vote_page_has_no_serious_accessibility_problems(
    live_server: LiveServer, browser: Browser
) -> None:
    _, link = _open_ballot(live_server.url)
    # axe's script is injected by the test, so this context alone skips the CSP.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(link)
        expect(page.get_by_role("heading", name="Your ranking")).to_be_visible()
        found = {"empty": _serious_problems(page)}
        _button(page, "Add Bea Birch").click()
        _button(page, "Add Ann Ash").click()
        found["ranked"] = _serious_problems(page)
        _button(page, "Type numbers instead").click()
        found["numbers"] = _serious_problems(page)
        assert found == {"empty": [], "ranked": [], "numbers": []}
    finally:
        context.close()
