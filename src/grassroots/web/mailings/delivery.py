"""Sending a mailing to its frozen audience in batches.

``mailing_send`` stores one ``MailingRecipient`` per person and, after the commit, queues one
``mailing_deliver`` task per ``BATCH`` recipients (by id range). Each task queues, for each
recipient of its batch, the email through ``email_to_supporter`` with the key
``mailing:<id>:<user id>``, so a task run twice (a retry, a restarted worker) queues each
email once; the outbox then sends it, with its own retries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from grassroots.web.mailings.models import Mailing, MailingRecipient
from grassroots.web.mailings.selectors import email_key_prefix
from grassroots.web.people.models import Topic
from grassroots.web.people.subscriptions import email_to_supporter

BATCH = 200


def batches_enqueue(*, mailing_id: int) -> int:
    """Queue one task per ``BATCH`` of the mailing's recipients; how many tasks."""
    from grassroots.web.mailings.tasks import mailing_deliver

    ids = list(
        MailingRecipient.objects.filter(mailing_id=mailing_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        mailing_deliver.enqueue(mailing_id, chunk[0], chunk[-1])
    return (len(ids) + BATCH - 1) // BATCH


def mailing_body(*, mailing: Mailing, name: str) -> str:
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    return f"Hello {name},\n\n{mailing.body.strip()}\n\n{alliance}\n"


def mailing_batch_send(*, mailing_id: int, first_id: int, last_id: int) -> int:
    """Queue the email to each recipient with ids ``first_id``..``last_id`` who may still be
    emailed; how many were queued."""
    mailing = Mailing.objects.filter(pk=mailing_id, sent_at__isnull=False).first()
    if mailing is None:
        return 0
    recipients = (
        MailingRecipient.objects.filter(mailing=mailing, pk__gte=first_id, pk__lte=last_id)
        .select_related("user__supporter")
        .order_by("pk")
    )
    queued = 0
    for recipient in recipients:
        user = recipient.user
        with transaction.atomic():
            queued += email_to_supporter(
                topic=Topic.MAILINGS,
                user=user,
                subject=mailing.subject,
                body=mailing_body(mailing=mailing, name=user.name),
                key=f"{email_key_prefix(mailing.pk)}{user.pk}",
                site_url=mailing.site_url,
            )
    return queued
