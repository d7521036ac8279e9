"""Reading people. Lists select what their template shows in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.exports import person_export_parts
from grassroots.web.people.models import (
    Consent,
    ConsentKind,
    Message,
    MessageBlock,
    MessageReport,
    Supporter,
    User,
)


def _active_consent(kind: ConsentKind, supporter_ref: str = "pk") -> Exists:
    return Exists(
        Consent.objects.filter(
            supporter=OuterRef(supporter_ref), kind=kind, withdrawn_at__isnull=True
        )
    )


def supporter_has_consent(*, supporter: Supporter, kind: ConsentKind) -> bool:
    return supporter.consents.filter(kind=kind, withdrawn_at__isnull=True).exists()


def contact_list(*, supporter: Supporter) -> QuerySet[Supporter]:
    """Other verified supporters in the supporter's CLP who consent to be visible, by name.

    Only names reach the template; the caller checks the viewer consents too
    (``people.access.contacts_for_supporter``).
    """
    return (
        Supporter.objects.filter(
            constituency_id=supporter.constituency_id, email_verified_at__isnull=False
        )
        .exclude(pk=supporter.pk)
        .filter(_active_consent(ConsentKind.VISIBLE_IN_CLP))
        .select_related("user")
        .order_by("user__name", "pk")
    )


def message_list_received(*, supporter: Supporter) -> QuerySet[Message]:
    """Messages to the supporter, newest first, with each sender's name."""
    return (
        Message.objects.filter(recipient=supporter)
        .select_related("sender__user")
        .order_by("-sent_at", "-id")
    )


def message_block_list(*, supporter: Supporter) -> QuerySet[MessageBlock]:
    """The supporter's blocks, with each blocked supporter's name."""
    return (
        MessageBlock.objects.filter(blocker=supporter)
        .select_related("blocked__user")
        .order_by("blocked__user__name", "pk")
    )


def message_report_list(*, resolved: bool) -> QuerySet[MessageReport]:
    """Reports in the organisers' queue, open ones oldest first, closed ones newest first,
    with the message and both supporters' names and CLPs."""
    reports = MessageReport.objects.filter(resolved_at__isnull=not resolved).select_related(
        "message__sender__user",
        "message__sender__constituency",
        "message__recipient__user",
        "resolved_by",
    )
    return (
        reports.order_by("-resolved_at", "-pk")
        if resolved
        else reports.order_by("created_at", "pk")
    )


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def person_export(*, person: User) -> dict[str, Any]:
    """Everything stored about a person, as JSON-ready data (the right of access): their
    account and role groups, their supporter record, consents and messages if they are a
    supporter, and what other apps hold about them (``people.exports``)."""
    supporter = Supporter.objects.select_related("constituency").filter(user=person).first()
    data: dict[str, Any] = {
        "name": person.name,
        "email": person.email,
        "account_created_at": _when(person.date_joined),
        "last_login_at": _when(person.last_login),
        "role_groups": sorted(person.groups.values_list("name", flat=True)),
        "site_administrator": person.is_superuser,
        "unsubscribed_from": [
            {"topic": topic, "at": _when(at)}
            for topic, at in person.unsubscriptions.order_by("topic").values_list(
                "topic", "created_at"
            )
        ],
        "is_supporter": supporter is not None,
        "joined_at": None,
        "email_verified_at": None,
        "clp": None,
        "membership": None,
        "consents": [],
        "messages_sent": [],
        "messages_received": [],
        "messages_blocked": [],
        "messages_reported": [],
    }
    if supporter is not None:
        data["joined_at"] = _when(supporter.joined_at)
        data["email_verified_at"] = _when(supporter.email_verified_at)
        data["clp"] = {"gss_code": supporter.constituency_id, "name": supporter.constituency.name}
        data["membership"] = supporter.membership
        data["consents"] = [
            {
                "kind": consent.kind,
                "wording": consent.wording,
                "given_at": _when(consent.given_at),
                "withdrawn_at": _when(consent.withdrawn_at),
            }
            for consent in supporter.consents.order_by("given_at", "pk")
        ]
        data["messages_sent"] = [
            {"to": m.recipient.user.name, "sent_at": _when(m.sent_at), "body": m.body}
            for m in supporter.messages_sent.select_related("recipient__user").order_by("sent_at")
        ]
        data["messages_received"] = [
            {"from": m.sender.user.name, "sent_at": _when(m.sent_at), "body": m.body}
            for m in supporter.messages_received.select_related("sender__user").order_by("sent_at")
        ]
        data["messages_blocked"] = [
            {"who": b.blocked.user.name, "since": _when(b.created_at)}
            for b in message_block_list(supporter=supporter)
        ]
        data["messages_reported"] = [
            {
                "message_from": r.message.sender.user.name,
                "message_sent_at": _when(r.message.sent_at),
                "reason": r.reason,
                "reported_at": _when(r.created_at),
                "closed_at": _when(r.resolved_at),
            }
            for r in MessageReport.objects.filter(message__recipient=supporter)
            .select_related("message__sender__user")
            .order_by("created_at", "pk")
        ]
    return data | person_export_parts(person=person)


def clp_supporter_count_list() -> QuerySet[Constituency]:
    """CLPs with at least one verified supporter, each with ``supporter_count`` and
    ``visible_count`` (consenting to be visible): counts only, never who."""
    verified = Q(supporters__email_verified_at__isnull=False)
    visible = verified & Q(
        supporters__consents__kind=ConsentKind.VISIBLE_IN_CLP,
        supporters__consents__withdrawn_at__isnull=True,
    )
    return (
        Constituency.objects.with_clp()
        .annotate(
            supporter_count=Count("supporters", filter=verified, distinct=True),
            visible_count=Count("supporters", filter=visible, distinct=True),
        )
        .filter(supporter_count__gt=0)
        .order_by("region", "name")
    )


@dataclass(frozen=True)
class RegionCount:
    region: str
    supporters: int


def supporter_count() -> int:
    return Supporter.objects.filter(email_verified_at__isnull=False).count()


def clps_covered_count() -> int:
    """CLPs with at least one verified supporter."""
    return (
        Supporter.objects.filter(email_verified_at__isnull=False)
        .values("constituency_id")
        .distinct()
        .count()
    )


def supporter_count_by_region() -> list[RegionCount]:
    """Verified supporters per region (every region, zero included), largest first."""
    counts = dict(
        Supporter.objects.filter(email_verified_at__isnull=False)
        .values_list("constituency__region")
        .annotate(n=Count("pk"))
        .values_list("constituency__region", "n")
    )
    # order_by() replaces Meta.ordering (by name), which DISTINCT would otherwise take into
    # account, giving one row per constituency rather than per region.
    regions = Constituency.objects.with_clp().order_by("region").values_list("region", flat=True)
    regions = regions.distinct()
    rows = [RegionCount(region, counts.get(region, 0)) for region in regions]
    return sorted(rows, key=lambda row: (-row.supporters, row.region))
