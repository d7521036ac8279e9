"""Reading events and speakers. Lists select what their page shows in a fixed number of
queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from grassroots.web.alliance.models import Organisation
from grassroots.web.events.models import Event, EventKind, Speaker

# How long a past event stays in the iCal feeds, so calendars keep recent history.
FEED_PAST = timedelta(days=90)


def _with_place(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("constituency").order_by("starts_at", "pk")


def event_list_upcoming(
    *,
    kind: str = "",
    region: str = "",
    organisation_id: int | None = None,
    now: datetime | None = None,
) -> QuerySet[Event]:
    """Published events that have not ended, soonest first, optionally of one kind, in one
    region (by the event's CLP) or organised by one affiliated organisation."""
    events = Event.objects.filter(published=True, ends_at__gte=now or timezone.now())
    if kind:
        events = events.filter(kind=kind)
    if region:
        events = events.filter(constituency__region=region)
    if organisation_id is not None:
        events = events.filter(organisation_id=organisation_id)
    return _with_place(events)


def organisation_page_events(organisation: Organisation) -> dict[str, list[Event]]:
    """The events part of an organisation's public page (``alliance.page_parts``): its
    upcoming published events, in one query."""
    return {"events": list(event_list_upcoming(organisation_id=organisation.pk))}


def event_list_editable(*, created_by_id: int | None = None) -> QuerySet[Event]:
    """Events, drafts included, newest start first: every one, or those one user created."""
    events = Event.objects.all()
    if created_by_id is not None:
        events = events.filter(created_by_id=created_by_id)
    return events.select_related("constituency").order_by("-starts_at", "-pk")


def event_get(*, event_id: int) -> Event | None:
    """One event with its CLP, organisation, contact and listed speakers (or None)."""
    return (
        Event.objects.select_related("constituency", "organisation", "contact__user")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name", "pk")))
        .filter(pk=event_id)
        .first()
    )


@dataclass(frozen=True)
class ScheduleDay:
    day: date
    events: list[Event]


def conference_schedule(*, now: datetime | None = None) -> list[ScheduleDay]:
    """Published fringe meetings that have not ended, grouped by day (in the site's time zone)
    and ordered by start time: the party conference's fringe programme."""
    events = list(
        event_list_upcoming(kind=EventKind.FRINGE, now=now).prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.order_by("name", "pk"))
        )
    )
    return [
        ScheduleDay(day, list(group))
        for day, group in groupby(events, key=lambda e: timezone.localdate(e.starts_at))
    ]


def event_list_feed(
    *, organiser_slug: str = "", gss_code: str = "", now: datetime | None = None
) -> QuerySet[Event]:
    """Published events for an iCal feed: all of them, one group's or one CLP's; upcoming ones
    and those that ended in the last 90 days."""
    events = Event.objects.filter(published=True, ends_at__gte=(now or timezone.now()) - FEED_PAST)
    if organiser_slug:
        events = events.filter(organiser_slug=organiser_slug)
    if gss_code:
        events = events.filter(constituency_id=gss_code)
    return _with_place(events)


def speaker_list(*, include_unlisted: bool = False) -> QuerySet[Speaker]:
    """The speakers directory, by name: those who consented to be listed, or (for organisers)
    everyone."""
    speakers = Speaker.objects.select_related("constituency")
    if not include_unlisted:
        speakers = speakers.filter(listed=True)
    return speakers.order_by("name", "pk")


def speaker_choices() -> QuerySet[Speaker]:
    """Every speaker, for an organiser choosing who speaks at an event."""
    return Speaker.objects.order_by("name", "pk")
