"""Queueing email, and sending it from the worker exactly once as far as SMTP allows.

The life of an email (``Email``):

1. ``email_enqueue`` stores it as queued, in the caller's transaction, and queues an
   ``email_send`` task for it. With the database queue the task row is written in that same
   transaction, so the email and its task are committed together or not at all.
2. The worker runs ``email_deliver``: one UPDATE claims the row (queued and due, or sending
   with an expired lease) and commits status *sending*, one more attempt and a lease.
3. It hands the message to the SMTP server, with the Message-ID fixed at step 1.
4. It marks the row sent and empties its body.

If step 3 fails, the row goes back to queued with the error and a wait that doubles at each
attempt, and a task is queued for then, in one transaction; after ``MAIL_MAX_ATTEMPTS`` it is
marked failed and stays, with its error, in the admin. docs/operations.md says what a killed
worker leaves at each step and how a restarted one finishes it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from grassroots.web.emailtext import subject_line
from grassroots.web.mail.models import Email, EmailStatus

logger = logging.getLogger(__name__)


def _message_id_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def _send_task_enqueue(email_id: int, *, run_after: datetime | None = None) -> None:
    """Queue ``email_send`` for the email: in the current transaction with the database queue
    (so the task cannot be lost if the process dies after the commit), after it otherwise."""
    from grassroots.web.mail.tasks import email_send

    task = email_send
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(email_id)
    else:
        transaction.on_commit(lambda: task.enqueue(email_id))


@transaction.atomic
def email_enqueue(
    *,
    key: str,
    to: str,
    subject: str,
    body: str,
    kind: str = "",
    headers: dict[str, str] | None = None,
) -> Email:
    """Queue an email for the worker to send, and return its outbox row.

    ``key`` names what the email is for (``signup:42``, ``message:7``): asking again with the
    same key returns the row already queued (or sent) and sends nothing more, so a task that
    runs twice still sends one email. Call it inside the service's own transaction: the email
    is then queued only if the service's work is committed. ``kind`` and ``headers``: see
    ``Email``; an email a supporter may unsubscribe from goes through
    ``people.subscriptions.email_to_supporter``, which sets both.
    """
    email, created = Email.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject_line(subject),  # a header holds no line break
            "body": body,
            "kind": kind,
            "headers": headers or {},
            "message_id": make_msgid(idstring="grassroots", domain=_message_id_domain()),
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        _send_task_enqueue(email.pk)
    return email


def email_deliver(*, email_id: int) -> str:
    """Send one outbox email if it is due, and record the outcome; what happened, in a word.

    Safe to run more than once for the same email, and from several workers at once: only the
    run whose UPDATE claims the row sends it.
    """
    now = timezone.now()
    due = Q(status=EmailStatus.QUEUED, next_attempt_at__lte=now) | Q(
        status=EmailStatus.SENDING, lease_until__lte=now
    )
    lease_until = now + timedelta(seconds=settings.TASK_LEASE_SECONDS)
    with transaction.atomic():
        claimed = (
            Email.objects.filter(due, pk=email_id).update(
                status=EmailStatus.SENDING, attempts=F("attempts") + 1, lease_until=lease_until
            )
            == 1
        )
    email = Email.objects.filter(pk=email_id).first()
    if email is None:
        return "gone"  # erased with its recipient before it was sent
    if not claimed:
        if email.status == EmailStatus.SENDING and email.lease_until is not None:
            # Another run holds it. If that worker was killed, look again when its lease ends.
            with transaction.atomic():
                _send_task_enqueue(email.pk, run_after=email.lease_until)
        # Sent, failed, or queued for later: the task that will retry it is queued already.
        return f"not due ({email.status})"

    message = EmailMessage(
        email.subject,
        email.body,
        to=[email.to],
        headers={**email.headers, "Message-ID": email.message_id},
    )
    try:
        message.send()
    except Exception as err:  # SMTP refusals, timeouts, a server down: all are retried
        return _email_attempt_failed(email=email, error=f"{type(err).__name__}: {err}")
    Email.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), body="", lease_until=None
    )
    return "sent"


@transaction.atomic
def _email_attempt_failed(*, email: Email, error: str) -> str:
    """Put the email back on the queue after a wait that doubles at each attempt, or, after the
    last attempt, mark it failed for an administrator to see."""
    if email.attempts >= settings.MAIL_MAX_ATTEMPTS:
        Email.objects.filter(pk=email.pk).update(
            status=EmailStatus.FAILED, last_error=error, lease_until=None
        )
        logger.error("email %s failed after %s attempts: %s", email.pk, email.attempts, error)
        return "failed"
    wait = settings.MAIL_RETRY_SECONDS * 2 ** (email.attempts - 1)
    next_attempt_at = timezone.now() + timedelta(seconds=wait)
    Email.objects.filter(pk=email.pk).update(
        status=EmailStatus.QUEUED,
        last_error=error,
        next_attempt_at=next_attempt_at,
        lease_until=None,
    )
    _send_task_enqueue(email.pk, run_after=next_attempt_at)
    logger.warning(
        "email %s attempt %s failed, retrying in %gs: %s", email.pk, email.attempts, wait, error
    )
    return "retry"


def emails_recover() -> int:
    """Queue a send task for every email not yet sent nor failed, for when it is due; how many.

    Run when a worker starts: an email whose task was lost (a worker stopped in the middle of
    it, which marks the task failed or leaves it running) is sent all the same. A task too many
    does no harm: only the run that claims the email sends it.
    """
    unsent = Email.objects.filter(status__in=[EmailStatus.QUEUED, EmailStatus.SENDING])
    count = 0
    with transaction.atomic():
        for email_id, status, next_attempt_at, lease_until in unsent.values_list(
            "pk", "status", "next_attempt_at", "lease_until"
        ):
            due = lease_until if status == EmailStatus.SENDING else next_attempt_at
            _send_task_enqueue(email_id, run_after=due)
            count += 1
    return count


def tasks_recover() -> int:
    """Put back on the queue the tasks a killed worker left running; how many.

    Run when a worker starts. A task still shown as running may belong to a live worker, so it
    becomes ready only when the lease (``TASK_LEASE_SECONDS``) since it started has passed: a
    live worker has finished it by then, and its result stands. Every task here is idempotent,
    so one run again after its worker died mid-way does no harm.
    """
    now = timezone.now()
    lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
    recovered = 0
    for result in DBTaskResult.objects.running():
        run_after = max(now, result.started_at + lease) if result.started_at else now
        recovered += DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY, run_after=run_after)
    return recovered
