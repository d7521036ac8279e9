"""What a cast locks on PostgreSQL: its own credential, and the ballot only in share mode.

Voters' casts of one ballot must not queue behind each other (each commit waits for the
disk, so a queue caps a ballot at some tens of votes a second: docs/reliability.md), while
closing the ballot must still wait for the casts under way, so that none is lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from grassroots.web.ballots import services
from grassroots.web.ballots.models import Ballot, CastBallot
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.services import constituency_load
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.factories import supporter_create

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks all"
    ),
    pytest.mark.django_db(transaction=True),
]

WAIT = 10  # seconds: far longer than any step here takes when nothing blocks it


@pytest.fixture
def open_ballot() -> tuple[Ballot, list[str]]:
    constituency_load()
    clp = Constituency.objects.get(name="Leeds Central and Headingley")
    for _ in range(2):
        supporter_create(clp=clp)
    ballot = ballot_create()
    return ballot, ballot_open_with_tokens(ballot)


@pytest.fixture
def paused_cast(
    monkeypatch: pytest.MonkeyPatch, open_ballot: tuple[Ballot, list[str]]
) -> Iterator[tuple[threading.Event, threading.Event, dict[str, Any]]]:
    """A first voter's cast, started and held inside its transaction (its locks taken, its
    ballot not yet stored) until ``release`` is set."""
    ballot, tokens = open_ballot
    create = CastBallot.objects.create
    paused, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def held_create(**fields: Any) -> CastBallot:
        if threading.current_thread().name == "first voter":
            paused.set()
            release.wait(WAIT)
        return create(**fields)

    monkeypatch.setattr(CastBallot.objects, "create", held_create)
    first = _thread(
        "first voter",
        outcome,
        lambda: (
            services.ballot_cast(credential_token=tokens[0], ranking=option_ids(ballot, "Ann")).code
        ),
    )
    assert paused.wait(WAIT), "the first cast never reached its insert"
    yield paused, release, outcome
    release.set()
    first.join(WAIT)


def _thread(name: str, outcome: dict[str, Any], work: Callable[[], Any]) -> threading.Thread:
    def run() -> None:
        try:
            outcome[name] = work()
        except BaseException as err:
            outcome[name] = err
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def _wait_for(outcome: dict[str, Any], name: str) -> None:
    """Until the thread ``name`` has put its outcome (it does so just after its commit)."""
    for _ in range(WAIT * 20):
        if name in outcome:
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"{name} did not finish")


def _with_lock_timeout(work: Callable[[], Any]) -> Callable[[], Any]:
    """``work`` on a connection that gives up waiting for a lock after two seconds."""

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        return work()

    return run


def test_a_cast_under_way_does_not_hold_up_another_voters_cast(
    open_ballot: tuple[Ballot, list[str]],
    paused_cast: tuple[threading.Event, threading.Event, dict[str, Any]],
) -> None:
    ballot, tokens = open_ballot
    _, release, outcome = paused_cast
    second = _thread(
        "second voter",
        outcome,
        _with_lock_timeout(
            lambda: (
                services.ballot_cast(
                    credential_token=tokens[1], ranking=option_ids(ballot, "Cal")
                ).code
            )
        ),
    )
    second.join(WAIT)

    assert isinstance(outcome["second voter"], str), outcome["second voter"]
    assert not release.is_set()  # the first voter's cast was still under way
    release.set()
    _wait_for(outcome, "first voter")
    assert isinstance(outcome["first voter"], str), outcome["first voter"]
    assert sorted(CastBallot.objects.values_list("receipt", flat=True)) == sorted(
        [outcome["first voter"], outcome["second voter"]]
    )


def test_closing_waits_for_the_casts_under_way_and_loses_none(
    open_ballot: tuple[Ballot, list[str]],
    paused_cast: tuple[threading.Event, threading.Event, dict[str, Any]],
) -> None:
    ballot, _ = open_ballot
    _, release, outcome = paused_cast
    hurried = _thread(
        "hurried close",
        outcome,
        _with_lock_timeout(lambda: services.ballot_close(actor=None, ballot=ballot)),
    )
    hurried.join(WAIT)
    assert isinstance(outcome["hurried close"], OperationalError)  # it had to wait: gave up

    close = _thread("close", outcome, lambda: services.ballot_close(actor=None, ballot=ballot))
    release.set()
    close.join(WAIT)

    _wait_for(outcome, "first voter")
    assert isinstance(outcome["first voter"], str), outcome["first voter"]
    assert outcome["close"] == 1  # the vote under way was counted in
    assert list(CastBallot.objects.values_list("receipt", flat=True)) == [outcome["first voter"]]
