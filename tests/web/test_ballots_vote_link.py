"""The emailed voting link: swapped at once for a short-lived cookie, so the token is never in
the address of the voting page, in a Referer or in any log line."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.test import Client

from grassroots.web.ballots.models import Ballot, CastBallot, Credential
from grassroots.web.ballots.views import VOTE_COOKIE
from grassroots.web.constituencies.models import Constituency
from grassroots.web.log_filters import redact_vote_tokens
from grassroots.web.people.models import Supporter
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens

pytestmark = pytest.mark.django_db

UNKNOWN = "Zm9vYmFyYmF6cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8"


@pytest.fixture
def opened(make_supporter: Callable[..., Supporter], clp: Constituency) -> tuple[Ballot, str]:
    make_supporter(clp=clp)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    return ballot, token


def _numbers(ballot: Ballot, **by_name: str) -> dict[str, str]:
    return {f"option_{o.pk}": by_name.get(o.name, "") for o in ballot.options.all()}


def test_vote_link_swaps_the_token_for_a_cookie_and_redirects_to_a_page_without_it(
    client: Client, opened: tuple[Ballot, str]
) -> None:
    ballot, token = opened

    link = client.get(f"/ballots/{ballot.slug}/vote/{token}/")
    page = client.get(link["Location"])

    cookie = link.cookies[VOTE_COOKIE]
    assert link.status_code == 303
    assert link["Location"] == f"/ballots/{ballot.slug}/vote/"
    assert link["Referrer-Policy"] == "no-referrer"
    assert (cookie["path"], cookie["httponly"], cookie["samesite"]) == (
        f"/ballots/{ballot.slug}/vote/",
        True,
        "Lax",
    )
    assert token not in cookie.value
    assert page.status_code == 200
    # No token in this address; a browser told no-referrer would post the form with
    # "Origin: null", which the CSRF protection refuses, so: a Referer to this site only.
    assert page["Referrer-Policy"] == "same-origin"
    assert token not in page.content.decode()
    assert Credential.objects.get().used is False  # following the link uses nothing up


def test_vote_receipt_page_sends_no_referrer_elsewhere_and_forgets_the_pass(
    client: Client, opened: tuple[Ballot, str]
) -> None:
    ballot, token = opened
    page = client.get(f"/ballots/{ballot.slug}/vote/{token}/")["Location"]

    receipt = client.post(page, _numbers(ballot, Ann="1"))

    assert receipt.status_code == 200
    assert receipt["Referrer-Policy"] == "same-origin"
    assert receipt.cookies[VOTE_COOKIE].value == ""
    assert CastBallot.objects.count() == 1


def test_vote_page_without_the_link_is_refused_and_stores_nothing(
    client: Client, opened: tuple[Ballot, str]
) -> None:
    ballot, _ = opened

    shown = client.get(f"/ballots/{ballot.slug}/vote/")
    posted = client.post(f"/ballots/{ballot.slug}/vote/", _numbers(ballot, Ann="1"))
    client.cookies[VOTE_COOKIE] = "forged"
    forged = client.post(f"/ballots/{ballot.slug}/vote/", _numbers(ballot, Ann="1"))

    assert [shown.status_code, posted.status_code, forged.status_code] == [403, 403, 403]
    assert "personal voting link in your email" in shown.content.decode()
    assert shown["Referrer-Policy"] == "same-origin"
    assert CastBallot.objects.count() == 0


def test_vote_pass_of_one_ballot_does_not_open_another(
    client: Client, opened: tuple[Ballot, str]
) -> None:
    ballot, token = opened
    other = ballot_create()
    client.get(f"/ballots/{ballot.slug}/vote/{token}/")

    response = client.post(f"/ballots/{other.slug}/vote/", _numbers(other, Ann="1"))

    assert response.status_code == 404
    assert CastBallot.objects.count() == 0


def test_vote_link_unknown_or_used_is_refused_as_before(
    client: Client, opened: tuple[Ballot, str]
) -> None:
    ballot, token = opened
    page = client.get(f"/ballots/{ballot.slug}/vote/{token}/")["Location"]
    client.post(page, _numbers(ballot, Ann="1"))

    unknown = client.get(f"/ballots/{ballot.slug}/vote/{UNKNOWN}/")
    used = client.get(f"/ballots/{ballot.slug}/vote/{token}/")

    assert unknown.status_code == 404
    assert "This voting link is not valid" in unknown.content.decode()
    assert used.status_code == 410
    assert "already been used" in used.content.decode()
    assert unknown["Referrer-Policy"] == used["Referrer-Policy"] == "no-referrer"


def test_no_token_reaches_a_log(
    client: Client, opened: tuple[Ballot, str], caplog: pytest.LogCaptureFixture
) -> None:
    ballot, token = opened
    caplog.set_level(logging.DEBUG)
    link = f"/ballots/{ballot.slug}/vote/{token}/"

    page = client.get(link)["Location"]
    bad = client.post(page, _numbers(ballot, Ann="1", Bea="1"))  # a rejected submission
    unknown = client.get(f"/ballots/{ballot.slug}/vote/{UNKNOWN}/")
    strict = Client(enforce_csrf_checks=True)
    forbidden = strict.post(link, _numbers(ballot, Ann="1"))  # CSRF refusal names the path
    client.post(page, _numbers(ballot, Ann="1"))
    used = client.get(link)
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 303 0', link)
    logging.getLogger("waitress").error("Exception while serving %s", link)

    assert [bad.status_code, unknown.status_code, forbidden.status_code, used.status_code] == [
        400,
        404,
        403,
        410,
    ]
    messages = [record.getMessage() for record in caplog.records]
    assert f"Not Found: /ballots/{ballot.slug}/vote/[token]/" in messages
    assert f"Gone: /ballots/{ballot.slug}/vote/[token]/" in messages
    assert f"Bad Request: /ballots/{ballot.slug}/vote/" in messages
    assert any(m.startswith("Forbidden (CSRF") and "[token]" in m for m in messages)
    assert f"Exception while serving /ballots/{ballot.slug}/vote/[token]/" in messages
    assert not [m for m in messages if token in m or UNKNOWN in m]
    assert token not in caplog.text


def test_redact_vote_tokens_leaves_other_paths_alone() -> None:
    assert redact_vote_tokens('"GET /ballots/s-1/vote/abc_-9/ HTTP/1.1" 303') == (
        '"GET /ballots/s-1/vote/[token]/ HTTP/1.1" 303'
    )
    assert redact_vote_tokens("Bad Request: /ballots/s-1/vote/") == (
        "Bad Request: /ballots/s-1/vote/"
    )
    assert redact_vote_tokens("Not Found: /ballots/s-1/result/") == (
        "Not Found: /ballots/s-1/result/"
    )
