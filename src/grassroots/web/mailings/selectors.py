"""Reading mailings: the audience a mailing names, its size, and what became of its emails.

The audience is counted, never listed: organisers see how many, not who.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from grassroots.web.alliance.models import MembershipStatus
from grassroots.web.events.models import RsvpStatus
from grassroots.web.mail.models import Email, EmailStatus
from grassroots.web.mailings.models import Audience, Mailing
from grassroots.web.people.models import ConsentKind, Topic, User


def mailing_list() -> QuerySet[Mailing]:
    return Mailing.objects.select_related(
        "constituency", "organisation", "event", "created_by"
    ).order_by("-created_at", "-id")


def mailing_get(*, mailing_id: int) -> Mailing | None:
    return mailing_list().filter(pk=mailing_id).first()


def audience_users(
    *,
    audience: str,
    region: str = "",
    constituency_id: str | None = None,
    organisation_id: int | None = None,
    event_id: int | None = None,
) -> QuerySet[User]:
    """Active, confirmed supporters with the contact consent given and not withdrawn, not
    unsubscribed from mailings, in the audience named. ``email_to_supporter`` checks each
    again when their email is queued."""
    users = (
        User.objects.filter(
            is_active=True,
            supporter__email_verified_at__isnull=False,
            supporter__consents__kind=ConsentKind.CONTACT,
            supporter__consents__withdrawn_at__isnull=True,
        )
        .exclude(unsubscriptions__topic=Topic.MAILINGS)
        .distinct()
    )
    if audience == Audience.REGION:
        return users.filter(supporter__constituency__region=region)
    if audience == Audience.CLP:
        return users.filter(supporter__constituency_id=constituency_id)
    if audience == Audience.ORGANISATION and organisation_id is not None:
        return users.filter(
            supporter__organisation_memberships__organisation_id=organisation_id,
            supporter__organisation_memberships__status=MembershipStatus.CONFIRMED,
        )
    if audience == Audience.EVENT and event_id is not None:
        return users.filter(
            supporter__rsvps__event_id=event_id, supporter__rsvps__status=RsvpStatus.GOING
        )
    # An audience without its choice (or an unknown kind) holds nobody.
    return users if audience == Audience.ALL else users.none()


def mailing_audience(*, mailing: Mailing) -> QuerySet[User]:
    return audience_users(
        audience=mailing.audience,
        region=mailing.region,
        constituency_id=mailing.constituency_id,
        organisation_id=mailing.organisation_id,
        event_id=mailing.event_id,
    )


def mailing_audience_count(*, mailing: Mailing) -> int:
    """How many the mailing would reach now (before sending), or reached (once frozen)."""
    if mailing.recipient_count is not None:
        return mailing.recipient_count
    return mailing_audience(mailing=mailing).count()


def mailing_audience_label(*, mailing: Mailing) -> str:
    """The audience in words, for the organisers' pages."""
    if mailing.audience == Audience.REGION:
        return f"Supporters in {mailing.region}"
    if mailing.audience == Audience.CLP and mailing.constituency is not None:
        return f"Supporters in {mailing.constituency.name}"
    if mailing.audience == Audience.ORGANISATION and mailing.organisation is not None:
        return f"Confirmed members of {mailing.organisation.name}"
    if mailing.audience == Audience.EVENT and mailing.event is not None:
        return f"Supporters going to {mailing.event.title}"
    return str(Audience.ALL.label)


def email_key_prefix(mailing_id: int) -> str:
    return f"mailing:{mailing_id}:"


@dataclass(frozen=True)
class MailingCounts:
    """What became of a sent mailing's emails: numbers only."""

    recipients: int
    queued: int
    sent: int
    failed: int

    @property
    def not_emailed(self) -> int:
        """Frozen in the audience but not emailed: withdrew consent, unsubscribed or erased
        before their batch ran (or the batch has not run yet)."""
        return max(self.recipients - self.queued - self.sent - self.failed, 0)


def mailing_counts(*, mailing: Mailing) -> MailingCounts:
    """The mailing's emails by outcome, from the outbox rows its keys name (one query)."""
    rows = (
        Email.objects.filter(key__startswith=email_key_prefix(mailing.pk))
        .values("status")
        .annotate(n=Count("id"))
    )
    by_status = {row["status"]: row["n"] for row in rows}
    return MailingCounts(
        recipients=mailing.recipient_count or 0,
        queued=by_status.get(EmailStatus.QUEUED, 0) + by_status.get(EmailStatus.SENDING, 0),
        sent=by_status.get(EmailStatus.SENT, 0),
        failed=by_status.get(EmailStatus.FAILED, 0),
    )
