"""The mail queue with the real worker: `grassroots worker` in its own process, against the test
database (SQLite file or PostgreSQL) and an SMTP server in this process.

Each test commits its emails (a transactional test), starts the worker, and reads what the SMTP
server received: every email once, retried with back-off when refused, failed and shown in the
admin when refused for good, and none lost or doubled when the worker is killed mid-batch.
"""

from __future__ import annotations

import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import connection
from django.test import Client

from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.services import constituency_load
from grassroots.web.mail.models import Email, EmailStatus
from grassroots.web.mail.services import email_enqueue
from grassroots.web.people.models import User
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RETRY_SECONDS = 0.3


@dataclass
class SmtpSink:
    """An SMTP server that keeps what it accepts; it can refuse, or take a message and be slow
    to say so (``delay``: the moment a sender cannot know whether its message went)."""

    refuse_first: int = 0
    refuse_always: bool = False
    delay: float = 0.0
    received: list[tuple[str, str]] = field(default_factory=list)  # (Message-ID, recipient)
    attempts: list[float] = field(default_factory=list)  # monotonic time of each DATA
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        import asyncio

        with self.lock:
            self.attempts.append(time.monotonic())
            if self.refuse_always or len(self.attempts) <= self.refuse_first:
                return "451 4.3.0 Mailbox busy, try again later"
        content = envelope.content
        assert isinstance(content, bytes)
        message = email.message_from_bytes(content)
        with self.lock:
            self.received.append((str(message["Message-ID"]), envelope.rcpt_tos[0]))
        await asyncio.sleep(self.delay)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def sink() -> Iterator[tuple[SmtpSink, int]]:
    handler = SmtpSink()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_spawn(
    *, tmp_path: Path, port: int, index: int, **env_overrides: str
) -> tuple[subprocess.Popen[bytes], IO[str]]:
    """`grassroots worker` in its own process on the test database, sending to ``port``; its
    output goes to a log file in ``tmp_path`` (returned open, for the caller to close)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DATABASE_URL": _database_url(),
        "GRASSROOTS_DATA_DIR": str(tmp_path / "var"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "5",
        "MAIL_RETRY_SECONDS": str(RETRY_SECONDS),
        "MAIL_MAX_ATTEMPTS": "8",
        "TASK_LEASE_SECONDS": "1",
        **env_overrides,
    }
    log = (tmp_path / f"worker{index}.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "grassroots", "worker", "--interval", "0.05"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return worker, log


def workers_stop(workers: list[subprocess.Popen[bytes]], logs: list[IO[str]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=10)
    for log in logs:
        log.close()


@pytest.fixture
def start_worker(
    settings: Any, sink: tuple[SmtpSink, int], tmp_path: Path
) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start `grassroots worker` on the test database, sending to the sink; stop it after."""
    settings.TASKS = DATABASE_QUEUE
    workers: list[subprocess.Popen[bytes]] = []
    logs: list[IO[str]] = []

    def start(**env_overrides: str) -> subprocess.Popen[bytes]:
        worker, log = worker_spawn(
            tmp_path=tmp_path, port=sink[1], index=len(workers), **env_overrides
        )
        workers.append(worker)
        logs.append(log)
        return worker

    yield start
    workers_stop(workers, logs)


def _wait_for(condition: Callable[[], bool], *, seconds: float = 20, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _queue(count: int) -> list[Email]:
    return [
        email_enqueue(key=f"test:{n}", to=f"person{n}@example.org", subject=f"Hello {n}", body="Hi")
        for n in range(count)
    ]


def _all_settled() -> bool:
    return not Email.objects.exclude(status__in=[EmailStatus.SENT, EmailStatus.FAILED]).exists()


def test_worker_sends_every_queued_email_once(start_worker, sink) -> None:
    handler, _ = sink
    emails = _queue(5)

    start_worker()
    _wait_for(_all_settled, what="the worker to send the emails")

    assert sorted(handler.received) == sorted((e.message_id, e.to) for e in emails)
    stored = list(Email.objects.order_by("pk").values_list("status", "attempts", "body"))
    assert stored == [(EmailStatus.SENT, 1, "")] * 5


def test_worker_retries_a_refused_email_with_back_off_then_sends_it_once(
    start_worker, sink
) -> None:
    handler, _ = sink
    handler.refuse_first = 2
    [queued] = _queue(1)

    start_worker()
    _wait_for(_all_settled, what="the email to be sent")

    sent = Email.objects.get()
    assert (sent.status, sent.attempts) == (EmailStatus.SENT, 3)
    assert "451" in sent.last_error
    assert handler.received == [(queued.message_id, queued.to)]
    first, second, third = handler.attempts
    first_wait, second_wait = second - first, third - second
    assert first_wait >= RETRY_SECONDS
    assert second_wait >= 2 * RETRY_SECONDS  # the wait doubles


def test_worker_marks_a_refused_email_failed_and_the_admin_shows_its_error(
    start_worker, sink
) -> None:
    handler, _ = sink
    handler.refuse_always = True
    _queue(1)
    admin = User.objects.create_superuser(email="admin@example.org", password="pw", name="Admin")

    start_worker(MAIL_MAX_ATTEMPTS="2", MAIL_RETRY_SECONDS="0.05")
    _wait_for(_all_settled, what="the email to fail")

    failed = Email.objects.get()
    assert (failed.status, failed.attempts) == (EmailStatus.FAILED, 2)
    assert handler.received == []
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/mail/email/?status__exact=failed").content.decode()
    assert "Mailbox busy, try again later" in page
    assert "Hello 0" in page


def test_worker_killed_mid_batch_loses_nothing_and_doubles_at_most_the_one_in_flight(
    start_worker, sink
) -> None:
    """The worst moment for a kill: the SMTP server has taken an email but not yet said so."""
    handler, _ = sink
    handler.delay = 0.5
    emails = _queue(8)
    first = start_worker()

    def in_flight() -> str | None:
        """The Message-ID of an email the server has taken and the worker not marked sent."""
        with handler.lock:
            taken = {message_id for message_id, _ in handler.received}
        if len(taken) < 3:
            return None
        sending = Email.objects.filter(status=EmailStatus.SENDING, message_id__in=taken)
        return sending.values_list("message_id", flat=True).first()

    _wait_for(lambda: in_flight() is not None, what="three emails sent and one in flight")
    doubled = in_flight()
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    handler.delay = 0
    start_worker()
    _wait_for(_all_settled, what="the restarted worker to send the rest")

    expected = {e.message_id: e.to for e in emails}
    copies = Counter(message_id for message_id, _ in handler.received)
    assert dict(handler.received) == expected
    # The email in flight is sent again, with the same Message-ID (so mail programs show it
    # once); every other email exactly once.
    assert copies == {message_id: 2 if message_id == doubled else 1 for message_id in expected}
    assert list(Email.objects.order_by("pk").values_list("message_id", "status", "attempts")) == [
        (e.message_id, EmailStatus.SENT, 2 if e.message_id == doubled else 1) for e in emails
    ]


def test_worker_puts_back_a_task_a_killed_worker_left_running(start_worker, sink) -> None:
    """A kill between the worker claiming the task and the email's row (the task shows as
    running for ever): the next worker runs it again once its lease is over."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    handler, _ = sink
    [queued] = _queue(1)
    abandoned = DBTaskResult.objects.get()
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=queued.created_at)

    start_worker()
    _wait_for(
        lambda: DBTaskResult.objects.get(pk=abandoned.pk).status == TaskResultStatus.SUCCESSFUL,
        what="the abandoned task to be run again",
    )

    assert handler.received == [(queued.message_id, queued.to)]
    assert Email.objects.get().status == EmailStatus.SENT


def test_login_link_is_sent_by_the_worker_to_a_known_address_only(
    start_worker, sink, client: Client
) -> None:
    handler, _ = sink
    constituency_load()  # another module's transactional test may have emptied them
    supporter_create(
        clp=Constituency.objects.get(name="Leeds Central and Headingley"), email="nia@example.org"
    )
    client.post("/login/", {"email": "nia@example.org"})
    client.post("/login/", {"email": "nobody@example.org"})
    assert Email.objects.count() == 0  # the requests only queued a task each

    start_worker()
    _wait_for(lambda: Email.objects.filter(status=EmailStatus.SENT).exists(), what="a link")

    sent = Email.objects.get()
    assert sent.to == "nia@example.org"
    assert handler.received == [(sent.message_id, "nia@example.org")]


def test_worker_sends_an_email_whose_task_a_stopped_worker_marked_failed(
    start_worker, sink
) -> None:
    """A worker stopped in the middle of sending (a second Ctrl-C) marks the task failed and
    leaves the email claimed: the next worker sends it once its claim has lapsed."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    handler, _ = sink
    [queued] = _queue(1)
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED)
    Email.objects.update(status=EmailStatus.SENDING, attempts=1, lease_until=timezone.now())

    start_worker()
    _wait_for(_all_settled, what="the email to be sent")

    assert handler.received == [(queued.message_id, queued.to)]
    assert Email.objects.get().attempts == 2
