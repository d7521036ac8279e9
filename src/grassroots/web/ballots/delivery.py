"""Delivering voting links: the worker makes each voter's token in the task that emails it.

``ballot_open`` stores one credential per voter, queued and without a token, and queues one
``credentials_deliver_plan`` task, which queues a ``credentials_deliver`` task per batch of
``BATCH`` credentials (so the opening request does no work per voter). A task opens one SMTP
connection for its batch and, for each credential still to deliver, in its own small steps:

1. claims it with one UPDATE, which also stores the SHA-256 of a fresh token (replacing any
   earlier hash, so an earlier link stops working), counts an attempt and takes a lease
   (``CLAIM`` credentials are claimed in one small transaction, to spare the database);
2. emails the link (the token exists only in memory and in that email; never in the outbox);
3. marks it sent and empties its times.

A failed send marks it failed and, until ``MAIL_MAX_ATTEMPTS``, due again after a wait that
doubles (``MAIL_RETRY_SECONDS``, as for the outbox); one task is queued for the batch's next
attempt. After the last attempt it stays failed until the returning officer retries it. A
used credential is never claimed, so a voter who has voted is never sent a link again.

A worker killed between steps leaves the credential either sent (with the hash of the token
emailed) or sending, claimed again once its lease (``TASK_LEASE_SECONDS``) ends and sent with
a fresh token. Killed after the mail server accepted the email and before step 3, the voter
gets a second email whose link replaces the first: docs/ballots.md says so.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from grassroots.web.ballots.models import Ballot, Credential, Delivery, Status
from grassroots.web.ballots.selectors import token_hash
from grassroots.web.emailtext import subject_line
from grassroots.web.mail.services import _message_id_domain

logger = logging.getLogger(__name__)

BATCH = 200  # credentials per task: one SMTP connection each
CLAIM = 20  # credentials claimed (and their new hashes stored) in one small transaction


class Reason:
    """Why a link is sent: the email's wording (a first link, or one that replaces another)."""

    FIRST = "first"
    REMINDER = "reminder"
    RESEND = "resend"


def vote_link(*, site_url: str, slug: str, token: str) -> str:
    return site_url.rstrip("/") + reverse("ballots:vote_link", args=(slug, token))


def _due(now: datetime) -> Q:
    return Q(delivery__in=[Delivery.QUEUED, Delivery.FAILED], next_attempt_at__lte=now) | Q(
        delivery=Delivery.SENDING, lease_until__lte=now
    )


def batches_enqueue(
    *, ballot_id: int, credential_ids: Sequence[int], reason: str = Reason.FIRST
) -> int:
    """Queue one delivery task per ``BATCH`` of the credentials (ids in any order), in the
    caller's transaction with the database queue; how many tasks."""
    ids = sorted(credential_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        _deliver_task_enqueue(ballot_id, chunk[0], chunk[-1], reason)
    return (len(ids) + BATCH - 1) // BATCH


def delivery_plan_enqueue(*, ballot_id: int, reason: str = Reason.FIRST) -> None:
    """Queue the one task that queues the delivery batches of a ballot's queued credentials
    (``batches_plan``), like ``_deliver_task_enqueue``: in the caller's transaction with the
    database queue, after its commit otherwise."""
    from grassroots.web.ballots.tasks import credentials_deliver_plan

    task = credentials_deliver_plan
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(ballot_id, reason)
    else:
        transaction.on_commit(lambda: task.enqueue(ballot_id, reason))


def batches_plan(*, ballot_id: int, reason: str = Reason.FIRST) -> int:
    """Queue one delivery task per ``BATCH`` of the ballot's credentials still queued and
    unused, all in one transaction; how many tasks. Run by the worker after an opening: a
    second run only queues tasks that find nothing left to claim."""
    ids = list(
        Credential.objects.filter(ballot_id=ballot_id, used=False, delivery=Delivery.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        return batches_enqueue(ballot_id=ballot_id, credential_ids=ids, reason=reason)


def _deliver_task_enqueue(
    ballot_id: int, first_id: int, last_id: int, reason: str, *, run_after: datetime | None = None
) -> None:
    """Queue ``credentials_deliver`` for the range: inside the current transaction with the
    database queue (committed with the credentials or not at all), after the commit otherwise
    (the tests' immediate backend runs it there and then)."""
    from grassroots.web.ballots.tasks import credentials_deliver

    task = credentials_deliver
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(ballot_id, first_id, last_id, reason)
    else:
        transaction.on_commit(lambda: task.enqueue(ballot_id, first_id, last_id, reason))


def _body(*, ballot: Ballot, name: str, link: str, reason: str, links_sent: int) -> str:
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    closes = timezone.localtime(ballot.closes_at)
    closing = f"Voting closes {closes:%-d %B %Y at %H:%M}.\n"
    if links_sent == 0:
        return (
            f"Hello {name},\n\nYou may vote in {alliance}'s ballot: {ballot.question}\n\n"
            f"Your personal voting link (it works once; do not share it):\n\n{link}\n\n{closing}"
        )
    if reason == Reason.REMINDER:
        opening = f"You have not voted yet in {alliance}'s ballot: {ballot.question}"
    elif reason == Reason.RESEND:
        opening = f"You asked for your voting link again for {alliance}'s ballot: {ballot.question}"
    else:
        opening = f"Here is your voting link for {alliance}'s ballot: {ballot.question}"
    return (
        f"Hello {name},\n\n{opening}\n\n"
        f"Your new personal voting link (it works once; do not share it):\n\n{link}\n\n"
        "This new link replaces the earlier one, which no longer works.\n\n"
        f"{closing}"
    )


def _attempt_failed(*, credential_ids: Sequence[int], error: str, claimed: bool) -> list[int]:
    """Mark the credentials failed, due again after the back-off, or for good after the last
    attempt; the ids marked. ``claimed``: this run holds them (the attempt was counted by the
    claim); otherwise they were not reached (the server was down) and count one attempt here,
    if still due. Their hash stays: it names a link never delivered, replaced next time."""
    now = timezone.now()
    held = Q(delivery=Delivery.SENDING) if claimed else _due(now)
    marked = []
    with transaction.atomic():
        rows = Credential.objects.filter(held, pk__in=credential_ids, used=False).values_list(
            "pk", "attempts"
        )
        for pk, counted in rows:
            attempts = max(counted if claimed else counted + 1, 1)
            next_attempt_at = None
            if attempts < settings.MAIL_MAX_ATTEMPTS:
                wait = settings.MAIL_RETRY_SECONDS * 2 ** (attempts - 1)
                next_attempt_at = now + timedelta(seconds=wait)
            Credential.objects.filter(held, pk=pk, used=False).update(
                delivery=Delivery.FAILED,
                attempts=attempts,
                next_attempt_at=next_attempt_at,
                lease_until=None,
            )
            marked.append(pk)
    if marked:
        logger.warning("%s voting link(s) not delivered: %s", len(marked), error)
    return marked


def credentials_deliver_batch(
    *, ballot_id: int, first_id: int, last_id: int, reason: str = Reason.FIRST
) -> dict[str, int]:
    """Email a fresh link to each credential of the ballot in ``first_id..last_id`` that is
    due, over one SMTP connection; counts of what happened. Safe to run twice, and from
    several workers at once: only the run whose UPDATE claims a credential emails it."""
    ballot = Ballot.objects.filter(pk=ballot_id).first()
    outcome = {"sent": 0, "failed": 0}
    if ballot is None or ballot.status != Status.OPEN or timezone.now() >= ballot.closes_at:
        return outcome  # no link for a ballot that is not open; they stay as they are
    in_range = Credential.objects.filter(
        ballot_id=ballot_id, pk__gte=first_id, pk__lte=last_id, used=False
    )
    candidates = list(
        in_range.filter(_due(timezone.now()))
        .order_by("pk")
        .values_list("pk", "roll_entry__person__name", "roll_entry__person__email", "links_sent")
    )
    connection = get_connection()
    opened = False
    failed: list[int] = []
    claims: dict[int, tuple[str, str]] = {}  # claimed and not yet emailed: pk -> token, hash
    tried: set[int] = set()
    for index, (pk, name, address, links_sent) in enumerate(candidates):
        if not address:  # erased since the roll was frozen: nobody to send to
            continue
        if not opened:
            try:
                connection.open()
                opened = True
            except Exception as err:  # the server is down: the rest of the batch waits
                error = f"{type(err).__name__}: {err}"
                failed += _attempt_failed(credential_ids=list(claims), error=error, claimed=True)
                rest = [row[0] for row in candidates[index:] if row[0] not in tried]
                failed += _attempt_failed(credential_ids=rest, error=error, claimed=False)
                break
        if pk not in tried:
            chunk = [row[0] for row in candidates[index : index + CLAIM] if row[2]]
            tried.update(chunk)
            claims.update(_claim(chunk))
        if pk not in claims:
            continue  # voted, or taken by another run, since the batch was read
        token, hashed = claims.pop(pk)
        link = vote_link(site_url=ballot.site_url, slug=ballot.slug, token=token)
        message = EmailMessage(
            subject_line(f"Your vote: {ballot.question}"),
            _body(ballot=ballot, name=name, link=link, reason=reason, links_sent=links_sent),
            to=[address],
            connection=connection,
            headers={"Message-ID": make_msgid(idstring="vote", domain=_message_id_domain())},
        )
        try:
            message.send()
        except Exception as err:  # a refusal, a timeout, a dropped connection: retried
            error = f"{type(err).__name__}: {err}"
            failed += _attempt_failed(credential_ids=[pk], error=error, claimed=True)
            connection.close()
            opened = False
            continue
        Credential.objects.filter(pk=pk, token_hash=hashed).update(
            delivery=Delivery.SENT,
            links_sent=F("links_sent") + 1,
            attempts=0,
            next_attempt_at=None,
            lease_until=None,
        )
        outcome["sent"] += 1
    if opened:
        connection.close()
    outcome["failed"] = len(failed)
    _next_run_enqueue(
        ballot_id=ballot_id, first_id=first_id, last_id=last_id, reason=reason, failed=failed
    )
    return outcome


def _claim(credential_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Claim the credentials still due, each with a fresh token whose hash replaces the old,
    in one small transaction; the token and hash of each one claimed, by id. One commit for
    several claims keeps the database's work per email low; a kill before they are emailed
    leaves them sending, with hashes of links nobody has, retried with fresh tokens once the
    lease ends."""
    now = timezone.now()
    lease_until = now + timedelta(seconds=settings.TASK_LEASE_SECONDS)
    claimed = {}
    with transaction.atomic():
        for pk in credential_ids:
            token = secrets.token_urlsafe(32)
            hashed = token_hash(token)
            if Credential.objects.filter(_due(now), pk=pk, used=False).update(
                token_hash=hashed,
                delivery=Delivery.SENDING,
                attempts=F("attempts") + 1,
                lease_until=lease_until,
            ):
                claimed[pk] = (token, hashed)
    return claimed


def _next_run_enqueue(
    *, ballot_id: int, first_id: int, last_id: int, reason: str, failed: Sequence[int]
) -> None:
    """After failures, queue the batch again for its earliest retry (one task, not one per
    credential); credentials that another run holds are looked at again when its lease ends."""
    in_range = Credential.objects.filter(
        ballot_id=ballot_id, pk__gte=first_id, pk__lte=last_id, used=False
    )
    when = None
    if failed:
        when = in_range.filter(pk__in=failed, delivery=Delivery.FAILED).aggregate(
            at=Min("next_attempt_at")
        )["at"]
    held = in_range.filter(delivery=Delivery.SENDING).aggregate(at=Min("lease_until"))["at"]
    if held is not None and held > timezone.now():
        when = held if when is None else min(when, held)
    if when is not None:
        with transaction.atomic():
            _deliver_task_enqueue(ballot_id, first_id, last_id, reason, run_after=when)


def credentials_recover() -> int:
    """Queue a delivery task, for when it is due, per batch of every open ballot's credentials
    still to deliver; how many tasks. Run when a worker starts, so a link whose task was lost
    (a worker stopped in the middle of it) is delivered all the same; a task too many does no
    harm, since only the run that claims a credential emails it."""
    pending = (
        Credential.objects.filter(ballot__status=Status.OPEN, used=False)
        .filter(
            Q(delivery__in=[Delivery.QUEUED, Delivery.FAILED], next_attempt_at__isnull=False)
            | Q(delivery=Delivery.SENDING)
        )
        .order_by("ballot_id", "pk")
        .values_list("ballot_id", "pk", "next_attempt_at", "lease_until")
    )
    by_ballot: dict[int, list[tuple[int, datetime]]] = {}
    for ballot_id, pk, next_attempt_at, lease_until in pending:
        due = lease_until or next_attempt_at or timezone.now()
        by_ballot.setdefault(ballot_id, []).append((pk, due))
    tasks = 0
    with transaction.atomic():
        for ballot_id, rows in by_ballot.items():
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                when = min(due for _, due in chunk)
                _deliver_task_enqueue(
                    ballot_id, chunk[0][0], chunk[-1][0], Reason.FIRST, run_after=when
                )
                tasks += 1
    return tasks


def voting_link_resend_for(*, ballot_id: int, email: str) -> str:
    """Email a new link (a fresh credential token, so the old link stops working) to the voter
    with this address on the ballot's roll, if they have not voted and the ballot is open;
    what happened, in a word (the task's result, never shown to the asker)."""
    credential = (
        Credential.objects.filter(
            ballot_id=ballot_id,
            ballot__status=Status.OPEN,
            used=False,
            roll_entry__person__email__iexact=email.strip(),
            roll_entry__person__is_active=True,
        )
        .values_list("pk", flat=True)
        .first()
    )
    if credential is None:
        return "nobody"
    now = timezone.now()
    with transaction.atomic():
        queued = (
            Credential.objects.filter(pk=credential, used=False)
            .exclude(delivery=Delivery.SENDING, lease_until__gt=now)
            .update(delivery=Delivery.QUEUED, attempts=0, next_attempt_at=now, lease_until=None)
        )
    if not queued:
        return "in flight"  # a link is being emailed to them right now
    outcome = credentials_deliver_batch(
        ballot_id=ballot_id, first_id=credential, last_id=credential, reason=Reason.RESEND
    )
    return "sent" if outcome["sent"] else "failed"
