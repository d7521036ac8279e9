"""Keeping personal data no longer than needed: the site's retention rules.

Supporting a faction is a political opinion, so what the site no longer needs it deletes:

* a sign-up whose email was never confirmed, once ``RETENTION_UNVERIFIED_DAYS`` have
  passed (30 by default): the person never completed joining, so nothing of them is kept;
* a relayed message, ``RETENTION_MESSAGE_DAYS`` after it was sent (180 by default): the
  recipient had it by email, and the site keeps the text only for a short while in case of
  abuse;
* an outbox email that was sent or failed, ``RETENTION_EMAIL_DAYS`` after it was queued (30
  by default): it keeps the recipient and subject, or the error; and every sent or failed
  email to a sign-up deleted here;
* a background task's record once it succeeded or failed, ``RETENTION_TASK_DAYS`` after it
  finished (30 by default): it keeps the task's arguments, such as an address typed into the
  login form;
* what apps above people register with ``retention_rule_register`` (elections: stored
  forecasts).

Nothing still queued or running is ever deleted.
``retention_apply`` runs every rule in one transaction and writes one audit row with the
counts (never who). Run it daily (``grassroots retention``, e.g. from cron); ``dry_run``
counts without deleting.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from grassroots.web.audit.services import audit_person_forget, audit_record
from grassroots.web.mail.models import Email, EmailStatus
from grassroots.web.people.erasure import person_erasure_steps_run
from grassroots.web.people.models import Message, Supporter, User


@dataclass(frozen=True)
class RetentionCounts:
    """What one run deleted (or, in a dry run, would delete)."""

    unverified_signups: int
    messages: int
    emails: int = 0
    task_records: int = 0
    # (what, how many) from the rules that apps above people register, in name order.
    others: tuple[tuple[str, int], ...] = ()

    def summary(self) -> str:
        parts = [
            f"{self.unverified_signups} unconfirmed sign-up(s)",
            f"{self.messages} message(s)",
            f"{self.emails} sent or failed email(s)",
            f"{self.task_records} finished task record(s)",
            *(f"{count} {what}" for what, count in self.others),
        ]
        return ", ".join(parts)


# Given the time of the run and whether it is a dry run: how many rows the rule deleted (or,
# in a dry run, would delete). ``what`` names them in the summary, e.g. "stored forecast(s)".
RetentionRule = Callable[[datetime.datetime, bool], int]

_RULES: dict[str, tuple[str, RetentionRule]] = {}


def retention_rule_register(name: str, what: str, rule: RetentionRule) -> None:
    """Add (or replace, so that ``ready`` may run twice) the retention rule ``name``: apps
    above people hold data people cannot import, so they register their own rule."""
    _RULES[name] = (what, rule)


def _unverified(cutoff: datetime.datetime) -> list[Supporter]:
    """Supporters who never confirmed their email and signed up before ``cutoff``; never
    anyone who holds a role or staff rights (those accounts are managed by hand)."""
    return list(
        Supporter.objects.filter(email_verified_at__isnull=True, joined_at__lt=cutoff)
        .filter(user__is_staff=False, user__is_superuser=False, user__groups__isnull=True)
        .select_related("user")
    )


@transaction.atomic(durable=True)
def retention_apply(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> RetentionCounts:
    """Apply the retention rules (module docstring); audit the counts unless ``dry_run``."""
    now = now or timezone.now()
    unverified = _unverified(now - datetime.timedelta(days=settings.RETENTION_UNVERIFIED_DAYS))
    old_messages = Message.objects.filter(
        sent_at__lt=now - datetime.timedelta(days=settings.RETENTION_MESSAGE_DAYS)
    )
    # Sent or failed emails: old ones, and any to a sign-up deleted below. Never one still
    # queued or being sent (the worker owns it).
    emails = Email.objects.filter(status__in=(EmailStatus.SENT, EmailStatus.FAILED)).filter(
        Q(created_at__lt=now - datetime.timedelta(days=settings.RETENTION_EMAIL_DAYS))
        | Q(to__in=[s.user.email for s in unverified])
    )
    task_records = DBTaskResult.objects.filter(
        status__in=(TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED),
        finished_at__lt=now - datetime.timedelta(days=settings.RETENTION_TASK_DAYS),
    )
    counts = RetentionCounts(
        unverified_signups=len(unverified),
        messages=old_messages.count(),
        emails=emails.count(),
        task_records=task_records.count(),
        others=tuple((what, rule(now, dry_run)) for _, (what, rule) in sorted(_RULES.items())),
    )
    if dry_run:
        return counts
    old_messages.delete()
    emails.delete()
    task_records.delete()
    people = [s.pk for s in unverified]
    for supporter in unverified:  # as erasure does: no app and no audit row keeps their id
        person_erasure_steps_run(person=supporter.user)
        audit_person_forget(person_id=supporter.pk)
    Message.objects.filter(sender_id__in=people).delete()
    Message.objects.filter(recipient_id__in=people).delete()
    User.objects.filter(pk__in=people).delete()  # cascades to supporters, consents, memberships
    audit_record(
        actor_id=None,
        action="retention.apply",
        object_type="site",
        summary=counts.summary(),
    )
    return counts
