"""Supporters' replies to events (RSVPs), the waiting list, and telling supporters nearby of a
new event.

An event with a ``capacity`` takes replies up to it; later replies join the waiting list, in
the order they came. When a place is freed (someone withdraws, or the organisers raise the
capacity) the first on the list moves up and is emailed: an email they asked for by joining
the list, so it goes by ``people.mail.send_later``. Replies lock the event's row, so two
replies for the last place cannot both get it.

When an event with a CLP is first published, a task emails every supporter in its region who
may be emailed about events (``people.subscriptions``, topic EVENTS); ``announced_at`` makes
that happen once, however often the event is unpublished and published again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from grassroots.web.audit.services import audit_record
from grassroots.web.errors import DomainError
from grassroots.web.events.models import Event, Rsvp, RsvpStatus
from grassroots.web.people.mail import send_later
from grassroots.web.people.models import ConsentKind, Supporter, Topic, User
from grassroots.web.people.subscriptions import email_to_supporter

BATCH = 200  # people per announcement task


def rsvp_counts(*, event: Event) -> dict[str, int]:
    """How many are going and waiting: numbers only, never who."""
    counts = dict.fromkeys(RsvpStatus.values, 0)
    for status in event.rsvps.values_list("status", flat=True):
        counts[status] += 1
    return counts


def rsvp_get(*, event: Event, supporter: Supporter | None) -> Rsvp | None:
    if supporter is None:
        return None
    return Rsvp.objects.filter(event=event, supporter=supporter).first()


def _event_locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _places_left(event: Event) -> int | None:
    """Free places, or None for an event without a limit."""
    if event.capacity is None:
        return None
    going = Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count()
    return max(event.capacity - going, 0)


@transaction.atomic(durable=True)
def rsvp_make(*, supporter: Supporter, event: Event) -> Rsvp:
    """Reply "going" to a published event that has not ended: a place if one is left, else a
    place on the waiting list; audit. Refused for a second reply."""
    event = _event_locked(event)
    if not event.published or event.ends_at <= timezone.now():
        raise DomainError("This event is not taking replies.")
    if Rsvp.objects.filter(event=event, supporter=supporter).exists():
        raise DomainError("You have already replied to this event.")
    left = _places_left(event)
    status = RsvpStatus.GOING if left is None or left > 0 else RsvpStatus.WAITING
    rsvp = Rsvp.objects.create(event=event, supporter=supporter, status=status)
    audit_record(
        actor_id=supporter.pk,
        action="event.rsvp",
        object_type="event",
        object_id=event.pk,
        summary=str(status),
    )
    return rsvp


@transaction.atomic(durable=True)
def rsvp_cancel(*, supporter: Supporter, event: Event, site_url: str = "") -> None:
    """Withdraw a reply (going or waiting); a freed place goes to the first waiting; audit."""
    event = _event_locked(event)
    rsvp = Rsvp.objects.filter(event=event, supporter=supporter).first()
    if rsvp is None:
        raise DomainError("You have not replied to this event.")
    rsvp.delete()
    audit_record(
        actor_id=supporter.pk,
        action="event.rsvp_cancel",
        object_type="event",
        object_id=event.pk,
        summary=str(rsvp.status),
    )
    waiting_promote(event=event, site_url=site_url)


def waiting_promote(*, event: Event, site_url: str = "") -> int:
    """Move the first on the waiting list up into each free place, and email each of them;
    how many moved. Runs in the caller's transaction, with the event's row locked."""
    left = _places_left(event)
    waiting = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITING).order_by(
        "created_at", "id"
    )
    waiting = waiting.select_related("supporter__user")
    moving = list(waiting if left is None else waiting[:left])
    for rsvp in moving:
        Rsvp.objects.filter(pk=rsvp.pk).update(status=RsvpStatus.GOING)
        _place_email(rsvp=rsvp, event=event, site_url=site_url)
    if moving:
        audit_record(
            actor_id=None,
            action="event.waiting_promote",
            object_type="event",
            object_id=event.pk,
            summary=f"{len(moving)} moved up from the waiting list",
        )
    return len(moving)


def event_url(*, event: Event, site_url: str) -> str:
    return site_url.rstrip("/") + reverse("events:event_detail", args=[event.pk])


def _place_email(*, rsvp: Rsvp, event: Event, site_url: str) -> None:
    user = rsvp.supporter.user
    when = timezone.localtime(event.starts_at).strftime("%A %-d %B %Y, %H:%M")
    body = (
        f"Hello {user.name},\n\nA place came free at “{event.title}” ({when}, {event.place}), "
        "and it is yours: you were first on the waiting list.\n\n"
        f"The event: {event_url(event=event, site_url=site_url)}\n\n"
        "If you can no longer come, withdraw your reply on that page, so the place goes to "
        "the next person.\n"
    )
    send_later(
        key=f"rsvp-place:{rsvp.pk}",
        subject=f"You have a place at {event.title}",
        body=body,
        to=user.email,
    )


def rsvp_export(person: User) -> list[dict[str, str]]:
    """The person's replies to events, for their data export."""
    rows = Rsvp.objects.filter(supporter__user=person).select_related("event")
    return [
        {
            "event": rsvp.event.title,
            "starts_at": rsvp.event.starts_at.isoformat(),
            "reply": rsvp.get_status_display(),
            "replied_at": rsvp.created_at.isoformat(),
        }
        for rsvp in rows.order_by("created_at", "id")
    ]


# Announcing a new event


def announce_audience(*, event: Event) -> QuerySet[User]:
    """The accounts to tell of ``event``: verified supporters in its CLP's region with the
    contact consent. ``email_to_supporter`` checks each again, unsubscription included."""
    if event.constituency is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        supporter__email_verified_at__isnull=False,
        supporter__constituency__region=event.constituency.region,
        supporter__consents__kind=ConsentKind.CONTACT,
        supporter__consents__withdrawn_at__isnull=True,
    ).distinct()


def announce_mark(*, event: Event, site_url: str) -> bool:
    """Inside ``event_publish``: the first time an event with a CLP is published, mark it
    announced and queue the announcement after the commit; True if queued."""
    if event.announced_at is not None or event.constituency_id is None:
        return False
    event.announced_at = timezone.now()
    event.save(update_fields=["announced_at"])
    from grassroots.web.events.tasks import event_announce

    event_id = event.pk
    transaction.on_commit(lambda: event_announce.enqueue(event_id, site_url))
    return True


def announce_batches(*, event_id: int, site_url: str) -> int:
    """Split the event's audience into tasks of ``BATCH`` people each; how many people."""
    from grassroots.web.events.tasks import event_announce_batch

    event = Event.objects.select_related("constituency").filter(pk=event_id).first()
    if event is None or not event.published:
        return 0
    ids = list(announce_audience(event=event).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        event_announce_batch.enqueue(event_id, ids[start : start + BATCH], site_url)
    return len(ids)


def announce_send(*, event_id: int, user_ids: Iterable[int], site_url: str) -> int:
    """Queue the announcement to each of ``user_ids`` who may still be emailed about events;
    how many. The key makes a task that runs twice send once."""
    event = Event.objects.select_related("constituency").filter(pk=event_id).first()
    if event is None or not event.published:
        return 0
    when = timezone.localtime(event.starts_at).strftime("%A %-d %B %Y, %H:%M")
    alliance = settings.GRASSROOTS_ALLIANCE_NAME
    queued = 0
    for user in User.objects.filter(pk__in=list(user_ids)).select_related("supporter"):
        body = (
            f"Hello {user.name},\n\n{event.organiser_name} invites supporters of {alliance} "
            f"in {event.constituency.region if event.constituency else 'your region'} to "
            f"“{event.title}”:\n\n{when}\n{event.place or event.online_url}\n\n"
            f"Details, and to say you are coming:\n{event_url(event=event, site_url=site_url)}\n"
        )
        with transaction.atomic():
            queued += email_to_supporter(
                topic=Topic.EVENTS,
                user=user,
                subject=f"New event near you: {event.title}",
                body=body,
                key=f"event:{event.pk}:{user.pk}",
                site_url=site_url,
            )
    return queued
