"""Requests that cause email only queue it: they answer at once, the same for a known and an
unknown address, even with the mail server down. The worker's own tests are in
test_mail_worker.py."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from grassroots.web.mail.models import Email, EmailStatus
from grassroots.web.mail.services import email_enqueue
from grassroots.web.people.models import Supporter
from tests.web.factories import signup_data

pytestmark = pytest.mark.django_db

LOGIN_TASK = "grassroots.web.people.tasks.login_link_email"
SEND_TASK = "grassroots.web.mail.tasks.email_send"


@pytest.fixture
def mail_server_down(settings: Any) -> None:
    """The database queue (no task runs in the request) and an SMTP server nobody answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: connecting is refused
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False


def _tasks() -> list[tuple[str, list[object]]]:
    rows = DBTaskResult.objects.order_by("enqueued_at").values_list("task_path", "args_kwargs")
    return [(path, args["args"]) for path, args in rows]


def test_login_request_queues_the_same_task_for_a_known_and_an_unknown_address(
    client: Client, make_supporter, clp, mail_server_down
) -> None:
    make_supporter(clp=clp, email="nia@example.org")

    known = client.post("/login/", {"email": "Nia@example.org"})
    unknown = client.post("/login/", {"email": "nobody@example.org"})

    assert (known.status_code, unknown.status_code) == (200, 200)
    assert _tasks() == [
        (LOGIN_TASK, ["nia@example.org", "http://testserver/"]),
        (LOGIN_TASK, ["nobody@example.org", "http://testserver/"]),
    ]
    assert Email.objects.count() == 0
    assert mail.outbox == []


def test_signup_queues_its_email_and_answers_with_the_mail_server_down(
    client: Client, mail_server_down
) -> None:
    response = client.post("/join/", signup_data(email="nia@example.org"))

    assert response.status_code == 302
    queued = Email.objects.get()
    assert (queued.to, queued.status, queued.attempts) == ("nia@example.org", "queued", 0)
    assert queued.key == f"signup:{Supporter.objects.get().pk}"
    assert _tasks() == [(SEND_TASK, [queued.pk])]


def test_email_enqueue_twice_with_one_key_stores_and_sends_one_email(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = email_enqueue(key="ballot:1:roll:2", to="a@example.org", subject="S", body="B")
        again = email_enqueue(key="ballot:1:roll:2", to="a@example.org", subject="S", body="B")

    assert again.pk == first.pk
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == first.message_id
    assert Email.objects.get().status == EmailStatus.SENT
