"""Voting links with the real worker (`grassroots worker` in its own process, on the test
database, SQLite file or PostgreSQL) and a real SMTP server in this process: a mail server down
while the ballot opens, a worker killed in the middle of a batch; every voter ends with exactly
one working link, the last one emailed to them.
"""

from __future__ import annotations

import asyncio
import email
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.test import Client

from grassroots.web.ballots import services
from grassroots.web.ballots.models import Ballot, Credential, Delivery
from grassroots.web.ballots.selectors import token_hash
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.services import constituency_load
from grassroots.web.people.models import User
from tests.web.ballot_factories import VOTE_LINK, ballot_create
from tests.web.factories import supporter_create
from tests.web.test_mail_worker import (
    DATABASE_QUEUE,
    _free_port,
    _wait_for,
    worker_spawn,
    workers_stop,
)

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class LinkSink:
    """An SMTP server that keeps each voting link it accepts, by recipient, in order; it can
    take a message and be slow to say so (``delay``)."""

    delay: float = 0.0
    received: list[tuple[str, str]] = field(default_factory=list)  # (recipient, token)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        content = envelope.content
        assert isinstance(content, bytes)
        body = email.message_from_bytes(content).get_payload(decode=True)
        assert isinstance(body, bytes)
        [token] = VOTE_LINK.findall(body.decode())
        with self.lock:
            self.received.append((envelope.rcpt_tos[0], token))
        await asyncio.sleep(self.delay)
        return "250 OK"

    def links(self) -> dict[str, list[str]]:
        with self.lock:
            by_address: dict[str, list[str]] = {}
            for address, token in self.received:
                by_address.setdefault(address, []).append(token)
            return by_address


@pytest.fixture
def voters() -> list[User]:
    constituency_load()  # another module's transactional test may have emptied them
    clp = Constituency.objects.get(name="Leeds Central and Headingley")
    return [supporter_create(clp=clp).user for _ in range(8)]


@pytest.fixture
def start_worker(settings: Any, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start `grassroots worker` on the test database, sending to ``port``; stop it after."""
    settings.TASKS = DATABASE_QUEUE
    workers: list[subprocess.Popen[bytes]] = []
    logs: list[IO[str]] = []

    def start(port: int) -> subprocess.Popen[bytes]:
        worker, log = worker_spawn(
            tmp_path=tmp_path,
            port=port,
            index=len(workers),
            MAIL_RETRY_SECONDS="0.2",
            MAIL_MAX_ATTEMPTS="30",
        )
        workers.append(worker)
        logs.append(log)
        return worker

    yield start
    workers_stop(workers, logs)


def _open(ballot: Ballot) -> None:
    services.ballot_open(actor=None, ballot=ballot, site_url="http://testserver")


def _all_sent(ballot: Ballot) -> bool:
    return not Credential.objects.filter(ballot=ballot).exclude(delivery=Delivery.SENT).exists()


def _working(client: Client, ballot: Ballot, token: str) -> bool:
    return client.get(f"/ballots/{ballot.slug}/vote/{token}/").status_code == 303


def _assert_one_working_link_each(
    client: Client, ballot: Ballot, voters: list[User], links: dict[str, list[str]]
) -> None:
    """Every voter has links, and exactly one works: the last one emailed to them."""
    assert sorted(links) == sorted(voter.email for voter in voters)
    for tokens in links.values():
        assert _working(client, ballot, tokens[-1])
        assert not any(_working(client, ballot, token) for token in tokens[:-1])


def test_mail_server_down_while_the_ballot_opens_then_up_every_voter_gets_one_working_link(
    start_worker: Callable[..., Any], voters: list[User], client: Client
) -> None:
    port = _free_port()
    ballot = ballot_create()
    _open(ballot)
    assert Credential.objects.filter(ballot=ballot, token_hash__isnull=True).count() == 8
    start_worker(port)  # nothing listens on the port: every attempt fails

    _wait_for(
        lambda: (
            Credential.objects.filter(
                ballot=ballot, delivery=Delivery.FAILED, attempts__gte=2
            ).count()
            == 8
        ),
        what="two failed attempts for every voter",
    )
    sink = LinkSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _wait_for(lambda: _all_sent(ballot), what="every link to be sent once the server is up")
    finally:
        controller.stop()

    links = sink.links()
    assert all(len(tokens) == 1 for tokens in links.values())  # exactly one email each
    _assert_one_working_link_each(client, ballot, voters, links)
    stored = set(Credential.objects.filter(ballot=ballot).values_list("token_hash", flat=True))
    assert stored == {token_hash(tokens[0]) for tokens in links.values()}


def test_worker_killed_mid_batch_every_voter_ends_with_exactly_one_working_link(
    start_worker: Callable[..., Any], voters: list[User], client: Client
) -> None:
    """The worst moment for a kill: the SMTP server has taken a link but not yet said so.
    The voter in flight is sent a second link, which replaces the first."""
    sink = LinkSink(delay=0.5)
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        ballot = ballot_create()
        _open(ballot)
        first = start_worker(port)

        def in_flight() -> bool:
            with sink.lock:
                taken = {token_hash(token) for _, token in sink.received}
            return (
                len(taken) >= 3
                and Credential.objects.filter(
                    delivery=Delivery.SENDING, token_hash__in=taken
                ).exists()
            )

        _wait_for(in_flight, what="three links sent and one in flight")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        sink.delay = 0
        start_worker(port)
        _wait_for(lambda: _all_sent(ballot), what="the restarted worker to send the rest")
    finally:
        controller.stop()

    links = sink.links()
    doubled = [address for address, tokens in links.items() if len(tokens) > 1]
    assert len(doubled) == 1  # only the one in flight at the kill
    assert len(links[doubled[0]]) == 2
    _assert_one_working_link_each(client, ballot, voters, links)
    # The delivery is recorded with the hash of the last link emailed to each voter.
    stored = set(Credential.objects.filter(ballot=ballot).values_list("token_hash", flat=True))
    assert stored == {token_hash(tokens[-1]) for tokens in links.values()}
