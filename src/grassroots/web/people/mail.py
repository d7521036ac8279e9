"""Sending the site's email without making the request wait for it.

Every email of the people, alliance and events apps goes through ``send_later``: the one
place that hands a message to the mail server. A request whose answer must not depend on
whether an address belongs to a supporter (log in, sign up, naming requests) then takes the
same time either way, because nobody waits for the mail server: the message leaves after the
transaction commits, from a background thread of the process.

Until the site has a durable task queue, a message still waiting when the process stops is
lost (the person asks again). With Django's in-memory test backend the message is sent at
once after the commit, so tests read ``django.core.mail.outbox`` as before;
``GRASSROOTS_MAIL_IN_BACKGROUND`` overrides that choice.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingMail:
    subject: str
    body: str
    to: str


_queue: queue.Queue[OutgoingMail] = queue.Queue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _in_background() -> bool:
    choice = getattr(settings, "GRASSROOTS_MAIL_IN_BACKGROUND", None)
    if choice is not None:
        return bool(choice)
    return settings.EMAIL_BACKEND != "django.core.mail.backends.locmem.EmailBackend"


def _deliver(message: OutgoingMail) -> None:
    send_mail(message.subject, message.body, None, [message.to])


def _work() -> None:
    while True:
        message = _queue.get()
        try:
            _deliver(message)
        except Exception:  # a failed send must not stop the ones after it
            logger.exception("sending an email failed")
        finally:
            _queue.task_done()


def _start_worker() -> None:
    global _worker  # noqa: PLW0603 (one worker per process)
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="grassroots-mail", daemon=True)
            _worker.start()


def _hand_over(message: OutgoingMail) -> None:
    if _in_background():
        _start_worker()
        _queue.put(message)
    else:
        _deliver(message)


def send_later(*, subject: str, body: str, to: str) -> None:
    """Send one email once the current transaction commits (at once outside one), without
    the request waiting for the mail server."""
    message = OutgoingMail(subject=subject, body=body, to=to)
    transaction.on_commit(lambda: _hand_over(message))


def mail_wait_sent() -> None:
    """Block until every email handed to the background thread has been tried (for tests and
    for a clean shutdown)."""
    _queue.join()
