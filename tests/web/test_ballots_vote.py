"""The voting page: rank by typing numbers, errors next to the fields, a receipt, once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from grassroots.web.ballots.models import Ballot, CastBallot, Credential, Method
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(make_supporter: Callable[..., Supporter], clp: Constituency) -> tuple[Ballot, str]:
    make_supporter(clp=clp)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    return ballot, token


def _page(client: Client, ballot: Ballot, token: str) -> str:
    """Follow the emailed link, as a voter does: it swaps the token for a cookie and sends
    the browser on to the voting page, whose address it returns."""
    response = client.get(f"/ballots/{ballot.slug}/vote/{token}/")
    assert response.status_code == 303
    return str(response["Location"])


def _numbers(ballot: Ballot, **by_name: str) -> dict[str, str]:
    return {f"option_{o.pk}": by_name.get(o.name, "") for o in ballot.options.all()}


def test_vote_page_has_a_number_field_per_option_and_the_drag_script(
    client: Client, opened: tuple[Ballot, str]
) -> None:
    ballot, token = opened

    response = client.get(_page(client, ballot, token))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('inputmode="numeric"') == 5
    assert "ballots/rank.js" in page
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_vote_with_numbers_stores_the_ranking_and_shows_a_receipt(
    client: Client, opened: tuple[Ballot, str]
) -> None:
    ballot, token = opened

    response = client.post(
        _page(client, ballot, token), _numbers(ballot, Cal="1", Ann="2", Eve="3")
    )

    cast = CastBallot.objects.get()
    names = dict(ballot.options.values_list("pk", "name"))
    assert response.status_code == 200
    assert [names[i] for i in cast.ranking] == ["Cal", "Ann", "Eve"]
    assert cast.receipt in response.content.decode()


@pytest.mark.parametrize(
    ("numbers", "message", "fields"),
    [
        pytest.param({"Ann": "1", "Bea": "1"}, "1 is also given to", 2, id="repeated"),
        pytest.param({"Ann": "1", "Bea": "3"}, "There is no 2", 1, id="gap"),
        pytest.param({"Ann": "2"}, "There is no 1", 1, id="no first"),
        pytest.param({"Ann": "x"}, "Type a whole number", 1, id="not a number"),
        pytest.param({"Ann": "9"}, "There are only 5 options", 1, id="too big"),
    ],
)
def test_vote_with_bad_numbers_is_explained_next_to_the_field_and_stores_nothing(
    client: Client, opened: tuple[Ballot, str], numbers: dict[str, str], message: str, fields: int
) -> None:
    ballot, token = opened

    response = client.post(_page(client, ballot, token), _numbers(ballot, **numbers))

    page = response.content.decode()
    assert response.status_code == 400
    assert page.count(message) == fields
    assert page.count('_error" role="alert"') == fields
    assert CastBallot.objects.count() == 0
    assert Credential.objects.get().used is False


def test_vote_with_nothing_ranked_is_refused(client: Client, opened: tuple[Ballot, str]) -> None:
    ballot, token = opened

    response = client.post(_page(client, ballot, token), _numbers(ballot))

    assert response.status_code == 400
    assert "Put 1 next to your first choice." in response.content.decode()
    assert CastBallot.objects.count() == 0


def test_vote_twice_is_refused(client: Client, opened: tuple[Ballot, str]) -> None:
    ballot, token = opened
    url = _page(client, ballot, token)
    client.post(url, _numbers(ballot, Ann="1"))

    again = client.post(url, _numbers(ballot, Bea="1"))
    link_again = client.get(f"/ballots/{ballot.slug}/vote/{token}/")

    assert again.status_code == 403  # the pass went with the vote
    assert link_again.status_code == 410
    assert "already been used" in link_again.content.decode()
    assert CastBallot.objects.count() == 1


def test_vote_with_unknown_token_is_not_found(client: Client, opened: tuple[Ballot, str]) -> None:
    ballot, _ = opened

    response = client.get(f"/ballots/{ballot.slug}/vote/not-a-token/")

    assert response.status_code == 404


def test_vote_yes_no_with_a_radio_choice(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create(method=Method.YES_NO, seats=1, options=[("Yes", ""), ("No", "")])
    [token] = ballot_open_with_tokens(ballot)
    no = ballot.options.get(name="No")

    response = client.post(_page(client, ballot, token), {"choice": str(no.pk)})

    assert response.status_code == 200
    assert CastBallot.objects.get().ranking == [no.pk]


def test_vote_approval_with_ticks(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create(method=Method.APPROVAL, seats=1)
    [token] = ballot_open_with_tokens(ballot)
    ids = dict(ballot.options.values_list("name", "pk"))

    response = client.post(
        _page(client, ballot, token),
        {f"option_{ids['Bea']}": "on", f"option_{ids['Dev']}": "on"},
    )

    assert response.status_code == 200
    assert CastBallot.objects.get().ranking == [ids["Bea"], ids["Dev"]]


def test_approval_ticks_are_stored_in_the_ballots_order_not_the_papers(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    """Each voter's paper lists the options in an order drawn from their credential; ticks
    kept in that order would let a database reader pair a ballot with its voter."""
    from grassroots.web.ballots import services

    make_supporter(clp=clp)
    ballot = ballot_create(method=Method.APPROVAL, seats=1)
    ids = dict(ballot.options.values_list("name", "pk"))
    canonical = [ids["Bea"], ids["Cal"], ids["Dev"]]
    for shown in ([ids["Dev"], ids["Bea"], ids["Cal"]], [ids["Cal"], ids["Dev"], ids["Bea"]]):
        assert services.ranking_check(ballot=ballot, ranking=shown) == canonical
