"""Test mode: on a draft, the returning officer tries the ballot with test credentials; the
test ballots are counted only as a TEST result, and opening deletes them, so they are never
on the roll, in the turnout, or in what is published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import services
from grassroots.web.ballots.models import (
    Ballot,
    CastBallot,
    Credential,
    Status,
    TrialBallot,
    TrialCredential,
    VoterRollEntry,
)
from grassroots.web.ballots.views import VOTE_COOKIE
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_role_holder: Callable[[Role], User]) -> User:
    return make_role_holder(Role.ORGANISER)


def _numbers(ballot: Ballot, *names: str) -> dict[str, str]:
    """The voting form with ``names`` numbered 1, 2, … and the rest left empty."""
    order = {name: str(i) for i, name in enumerate(names, start=1)}
    return {f"option_{o.pk}": order.get(o.name, "") for o in ballot.options.all()}


def _try(client: Client, ballot: Ballot, *names: str) -> str:
    """Try the ballot from its page and cast one test ballot; return the receipt page."""
    tried = client.post(f"/ballots/{ballot.slug}/manage/try/")
    assert tried.status_code == 302
    assert tried["Location"] == f"/ballots/{ballot.slug}/vote/"
    page = client.get(tried["Location"])
    assert page.status_code == 200
    assert "TEST" in page.content.decode()
    receipt = client.post(tried["Location"], _numbers(ballot, *names))
    assert receipt.status_code == 200
    return str(receipt.content.decode())


def test_try_the_ballot_casts_a_test_ballot_counted_only_as_a_test_result(
    client: Client, officer: User
) -> None:
    ballot = ballot_create(actor=officer, seats=1)
    client.force_login(officer)

    receipts = [_try(client, ballot, "Eve", "Ann"), _try(client, ballot, "Eve")]
    manage = client.get(f"/ballots/{ballot.slug}/manage/").content.decode()

    assert all("TEST: your test vote is recorded" in page for page in receipts)
    assert all("data-keep-receipt" not in page for page in receipts)
    assert TrialBallot.objects.filter(ballot=ballot).count() == 2
    assert "TEST result (not a real count)" in manage
    assert "TEST: elected Eve." in manage
    # Nothing real: no roll, no credential, no cast ballot, the ballot still a draft.
    assert not VoterRollEntry.objects.exists()
    assert not Credential.objects.exists()
    assert not CastBallot.objects.exists()
    assert Ballot.objects.get(pk=ballot.pk).status == Status.DRAFT
    assert AuditEntry.objects.filter(action="ballot.trial", actor_id=officer.pk).count() == 2


def test_a_test_credential_votes_once(client: Client, officer: User) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)
    client.post(f"/ballots/{ballot.slug}/manage/try/")
    pass_cookie = client.cookies[VOTE_COOKIE].value
    client.post(f"/ballots/{ballot.slug}/vote/", _numbers(ballot, "Ann"))
    client.cookies[VOTE_COOKIE] = pass_cookie  # the receipt page deleted it: bring it back

    again = client.post(f"/ballots/{ballot.slug}/vote/", _numbers(ballot, "Bea"))

    assert again.status_code == 410
    assert TrialBallot.objects.filter(ballot=ballot).count() == 1


def test_ballot_open_discards_test_credentials_and_ballots(
    client: Client,
    officer: User,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create(actor=officer)
    client.force_login(officer)
    _try(client, ballot, "Eve")
    client.post(f"/ballots/{ballot.slug}/manage/try/")  # a test credential left unused
    pass_cookie = client.cookies[VOTE_COOKIE].value

    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(f"/ballots/{ballot.slug}/manage/open/", {"confirmed": "yes"})
    client.cookies[VOTE_COOKIE] = pass_cookie
    late = client.post(f"/ballots/{ballot.slug}/vote/", _numbers(ballot, "Eve"))

    assert opened.status_code == 302
    assert not TrialBallot.objects.exists()
    assert not TrialCredential.objects.exists()
    assert late.status_code == 404  # the test pass no longer names any credential
    assert not CastBallot.objects.exists()
    assert services.selectors.turnout_get(ballot=ballot) == (0, 1)
    assert AuditEntry.objects.get(action="ballot.open").summary.endswith(
        "; 1 test ballots discarded"
    )


def test_a_test_ballot_never_appears_in_the_published_ballots(
    client: Client, officer: User, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    for _ in range(2):
        make_supporter(clp=clp)
    ballot = ballot_create(actor=officer, seats=1)
    client.force_login(officer)
    for _ in range(3):
        _try(client, ballot, "Eve", "Dev")
    tokens = ballot_open_with_tokens(ballot)
    for token in tokens:
        services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann", "Bea"))
    services.ballot_close(actor=officer, ballot=ballot)
    services.ballot_publish(actor=officer, ballot=ballot)

    blt = client.get(f"/ballots/{ballot.slug}/ballots.blt").content.decode()
    receipts = client.get(f"/ballots/{ballot.slug}/receipts.txt").content.decode()
    result = client.get(f"/ballots/{ballot.slug}/result.json").json()

    # The only ranking is Ann (option 1), Bea (option 2), twice: no Eve (5) first.
    assert blt.splitlines()[1:3] == ["2 1 2 0", "0"]
    assert "TEST" not in receipts
    assert len(receipts.split()) == 2
    assert result["elected"] == ["Ann"]


def test_a_ballot_edit_discards_test_ballots_made_on_the_old_options(
    client: Client, officer: User
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)
    _try(client, ballot, "Eve")

    services.ballot_update(
        actor=officer,
        ballot=ballot,
        question=ballot.question,
        options=[("Ann", "F"), ("Cal", "M"), ("Dev", "M")],
        opens_at=ballot.opens_at,
        closes_at=ballot.closes_at,
        seats=1,
    )

    assert not TrialBallot.objects.exists()
    assert "TEST result" not in client.get(f"/ballots/{ballot.slug}/manage/").content.decode()


def test_try_the_ballot_is_refused_once_open_and_hidden_from_others(
    client: Client,
    officer: User,
    make_role_holder: Callable[[Role], User],
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
) -> None:
    make_supporter(clp=clp)
    draft = ballot_create(actor=officer)
    opened = ballot_create(actor=officer)
    ballot_open_with_tokens(opened)
    client.force_login(officer)

    refused = client.post(f"/ballots/{opened.slug}/manage/try/")
    other = Client()
    other.force_login(make_role_holder(Role.ORGANISER))

    assert refused.status_code == 400
    assert "Test votes are for a draft ballot" in refused.content.decode()
    assert "Try the ballot" not in client.get(f"/ballots/{opened.slug}/manage/").content.decode()
    assert other.post(f"/ballots/{draft.slug}/manage/try/").status_code == 404
    assert not TrialCredential.objects.exists()
