"""My ballots: every ballot whose roll a supporter is on, whether they voted (never how),
the result once published; receipts only ever in the voter's own browser."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from grassroots.web.ballots import services
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids

pytestmark = pytest.mark.django_db


def _row(body: str, slug: str) -> str:
    match = re.search(rf'<tr data-ballot="{slug}">(.*?)</tr>', body, re.S)
    assert match is not None, f"no row for {slug}"
    return match.group(1)


def test_my_ballots_lists_the_ballots_on_my_roll_and_whether_i_voted(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    me = make_supporter(clp=clp)
    voted_in = ballot_create(question="Who chairs?", seats=1)
    [token] = ballot_open_with_tokens(voted_in)
    services.ballot_cast(credential_token=token, ranking=option_ids(voted_in, "Cal"))
    waiting = ballot_create(question="Which strategy?")
    ballot_open_with_tokens(waiting)
    services.ballot_close(actor=None, ballot=voted_in)
    services.ballot_publish(actor=None, ballot=voted_in)
    before_me = ballot_create(question="A draft nobody is on yet")
    client.force_login(me.user)

    response = client.get("/ballots/mine/")

    body = response.content.decode()
    assert response.status_code == 200
    published = _row(body, voted_in.slug)
    assert "Published" in published
    assert "Voted" in published
    assert f'href="/ballots/{voted_in.slug}/result/"' in published
    assert "Cal" not in body  # never how
    open_row = _row(body, waiting.slug)
    assert "Open" in open_row
    assert "Not voted" in open_row
    assert "not yet" in open_row
    assert before_me.slug not in body


def test_my_ballots_shows_nobody_else_s_roll(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    ballot_open_with_tokens(ballot)
    newcomer = make_supporter(clp=clp)  # joined after the roll was frozen
    client.force_login(newcomer.user)

    body = client.get("/ballots/mine/").content.decode()

    assert ballot.slug not in body
    assert "You are on no ballot's roll yet." in body


def test_my_ballots_needs_a_login(client: Client) -> None:
    response = client.get("/ballots/mine/")

    assert response.status_code == 302
    assert "/ballots/mine/" in response["Location"]


def test_my_ballots_reads_receipts_from_the_browser_with_a_script_file_only(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    me = make_supporter(clp=clp)
    ballot = ballot_create()
    ballot_open_with_tokens(ballot)
    client.force_login(me.user)

    body = client.get("/ballots/mine/").content.decode()

    assert f'data-receipt-for="{ballot.slug}"' in body
    assert re.search(r'<script src="[^"]*ballots/receipts\.js" defer></script>', body)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)  # no inline script (CSP)
    assert "The site does not keep your receipt codes" in body


def test_receipt_page_offers_to_keep_the_receipt_in_this_browser(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    page = client.get(f"/ballots/{ballot.slug}/vote/{token}/")["Location"]
    numbers = {f"option_{o.pk}": "1" if o.name == "Ann" else "" for o in ballot.options.all()}

    body = client.post(page, numbers).content.decode()

    code = re.search(r'<strong id="receipt"[^>]*>([A-Z0-9-]+)</strong>', body)
    assert code is not None
    assert f'data-ballot="{ballot.slug}" data-code="{code.group(1)}"' in body
    assert "Keep my receipt in this browser" in body
    assert re.search(r'<script src="[^"]*ballots/receipts\.js" defer></script>', body)


def test_my_data_page_links_to_my_ballots(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    client.force_login(make_supporter(clp=clp).user)

    assert 'href="/ballots/mine/"' in client.get("/me/").content.decode()
