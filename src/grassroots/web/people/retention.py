"""Keeping personal data no longer than needed: the site's retention rules.

Supporting a faction is a political opinion, so what the site no longer needs it deletes:

* a sign-up whose email was never confirmed, once ``RETENTION_UNVERIFIED_DAYS`` have
  passed (30 by default): the person never completed joining, so nothing of them is kept;
* a relayed message, ``RETENTION_MESSAGE_DAYS`` after it was sent (180 by default): the
  recipient had it by email, and the site keeps the text only for a short while in case of
  abuse.

``retention_apply`` runs every rule in one transaction and writes one audit row with the
counts (never who). Run it daily (``grassroots retention``, e.g. from cron); ``dry_run``
counts without deleting.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.web.audit.services import audit_person_forget, audit_record
from grassroots.web.people.erasure import person_erasure_steps_run
from grassroots.web.people.models import Message, Supporter, User


@dataclass(frozen=True)
class RetentionCounts:
    """What one run deleted (or, in a dry run, would delete)."""

    unverified_signups: int
    messages: int

    def summary(self) -> str:
        return f"{self.unverified_signups} unconfirmed sign-up(s), {self.messages} message(s)"


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
    counts = RetentionCounts(unverified_signups=len(unverified), messages=old_messages.count())
    if dry_run:
        return counts
    old_messages.delete()
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
