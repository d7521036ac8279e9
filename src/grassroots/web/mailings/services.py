"""Writing mailings: compose, change while a draft, send a test to oneself, send once.

Each service takes keyword-only arguments and the actor, and runs in one transaction with its
audit row; the summaries hold the audience kind and counts, never a person. The caller checks
access (``mailings.access``).
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.db import transaction
from django.utils import timezone

from grassroots.web.alliance.models import AffiliationStatus, Organisation
from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.events.models import Event
from grassroots.web.mail.services import email_enqueue
from grassroots.web.mailings import delivery
from grassroots.web.mailings.models import Audience, Mailing, MailingRecipient
from grassroots.web.mailings.selectors import mailing_audience
from grassroots.web.people.models import User

ALREADY_SENT = "This mailing has been sent: it cannot change or be sent again."


def _audience_check(
    *,
    audience: Audience,
    region: str,
    constituency: Constituency | None,
    organisation: Organisation | None,
    event: Event | None,
) -> dict[str, Any]:
    """The audience's fields, with only the one its kind needs; a refusal naming the field
    that is missing."""
    fields: dict[str, Any] = {
        "audience": audience,
        "region": "",
        "constituency": None,
        "organisation": None,
        "event": None,
    }
    if audience == Audience.REGION:
        if not region.strip():
            raise DomainError("Choose the region.", field="region")
        fields["region"] = region.strip()
    elif audience == Audience.CLP:
        if constituency is None:
            raise DomainError("Choose the CLP.", field="clp")
        fields["constituency"] = constituency
    elif audience == Audience.ORGANISATION:
        if organisation is None or organisation.status != AffiliationStatus.AFFILIATED:
            raise DomainError("Choose an affiliated organisation.", field="organisation")
        fields["organisation"] = organisation
    elif audience == Audience.EVENT:
        if event is None or not event.published:
            raise DomainError("Choose a published event.", field="event")
        fields["event"] = event
    return fields


def _text_check(*, subject: str, body: str) -> None:
    if not subject.strip():
        raise DomainError("Give the email a subject.", field="subject")
    if not body.strip():
        raise DomainError("Write the email.", field="body")


def _audit(*, actor: User, action: str, mailing: Mailing, summary: str) -> None:
    audit_record(
        actor_id=actor.pk,
        action=action,
        object_type="mailing",
        object_id=mailing.pk,
        summary=summary,
    )


@transaction.atomic(durable=True)
def mailing_create(
    *,
    actor: User,
    subject: str,
    body: str,
    audience: Audience,
    region: str = "",
    constituency: Constituency | None = None,
    organisation: Organisation | None = None,
    event: Event | None = None,
) -> Mailing:
    """A draft mailing to the audience named; audit (the audience kind only)."""
    _text_check(subject=subject, body=body)
    fields = _audience_check(
        audience=audience,
        region=region,
        constituency=constituency,
        organisation=organisation,
        event=event,
    )
    mailing = Mailing.objects.create(
        subject=subject.strip(), body=body.strip(), created_by=actor, **fields
    )
    _audit(actor=actor, action="mailing.create", mailing=mailing, summary=str(audience))
    return mailing


def _draft_locked(mailing: Mailing) -> Mailing:
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.is_sent:
        raise DomainError(ALREADY_SENT)
    return mailing


@transaction.atomic(durable=True)
def mailing_update(
    *,
    actor: User,
    mailing: Mailing,
    subject: str,
    body: str,
    audience: Audience,
    region: str = "",
    constituency: Constituency | None = None,
    organisation: Organisation | None = None,
    event: Event | None = None,
) -> Mailing:
    """Change a draft; a change to its text means the test must be sent again."""
    mailing = _draft_locked(mailing)
    _text_check(subject=subject, body=body)
    fields = _audience_check(
        audience=audience,
        region=region,
        constituency=constituency,
        organisation=organisation,
        event=event,
    )
    text_changed = (mailing.subject, mailing.body) != (subject.strip(), body.strip())
    mailing.subject = subject.strip()
    mailing.body = body.strip()
    for name, value in fields.items():
        setattr(mailing, name, value)
    if text_changed:
        mailing.tested_at = None
    mailing.save()
    _audit(actor=actor, action="mailing.update", mailing=mailing, summary=str(audience))
    return mailing


@transaction.atomic(durable=True)
def mailing_test_send(*, actor: User, mailing: Mailing) -> Mailing:
    """Email the draft to the organiser themselves, as a supporter would read it; audit."""
    mailing = _draft_locked(mailing)
    email_enqueue(
        key=f"mailing-test:{mailing.pk}:{uuid4().hex}",
        to=actor.email,
        subject=f"[Test] {mailing.subject}",
        body=delivery.mailing_body(mailing=mailing, name=actor.name or "there")
        + "\n--\nA test of a mailing: each supporter's copy ends with a link to stop such "
        "emails in one click.\n",
    )
    mailing.tested_at = timezone.now()
    mailing.save(update_fields=["tested_at"])
    _audit(actor=actor, action="mailing.test", mailing=mailing, summary="test sent to the sender")
    return mailing


@transaction.atomic(durable=True)
def mailing_send(*, actor: User, mailing: Mailing, site_url: str) -> Mailing:
    """Send a draft, once.

    Steps: refuse a mailing sent already, one not tested since its text last changed, and an
    empty audience; freeze the audience into recipients; mark it sent; audit with the count;
    after the commit, queue the delivery tasks in batches (``delivery.batches_enqueue``).
    """
    mailing = _draft_locked(mailing)
    if mailing.tested_at is None:
        raise DomainError("Send yourself a test first, and read it.")
    user_ids = list(mailing_audience(mailing=mailing).order_by("pk").values_list("pk", flat=True))
    if not user_ids:
        raise DomainError("Nobody in this audience may be emailed: choose another.")
    MailingRecipient.objects.bulk_create(
        (MailingRecipient(mailing=mailing, user_id=user_id) for user_id in user_ids),
        batch_size=2000,
    )
    mailing.sent_at = timezone.now()
    mailing.sent_by = actor
    mailing.recipient_count = len(user_ids)
    mailing.site_url = site_url
    mailing.save(update_fields=["sent_at", "sent_by", "recipient_count", "site_url"])
    _audit(
        actor=actor,
        action="mailing.send",
        mailing=mailing,
        summary=f"{mailing.audience}, {len(user_ids)} recipients",
    )
    mailing_id = mailing.pk
    transaction.on_commit(lambda: delivery.batches_enqueue(mailing_id=mailing_id))
    return mailing
