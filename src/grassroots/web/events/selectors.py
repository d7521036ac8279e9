"""Reading events and speakers. Lists select what their page shows in a fixed number of
queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from grassroots.web.alliance.models import Organisation
from grassroots.web.events.models import Event, EventKind, Speaker
from grassroots.web.people.models import User
from grassroots.web.people.naming import NamingRequest, naming_token

CONTACT_SALT = "events.contact"

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


def contact_naming_requests(person: User) -> list[NamingRequest]:
    """Events asking ``person``'s address to agree to be their contact (``people.naming``)."""
    return [
        NamingRequest(
            description=f"to be named as the contact for “{event.title}” "
            f"({event.organiser_name}) on the public events pages",
            agree_url=contact_agree_url(event=event, email=person.email),
        )
        for event in Event.objects.filter(contact_email=person.email).order_by("starts_at", "pk")
    ]


def event_contact_export(person: User) -> list[dict[str, Any]]:
    """Events naming the person as contact, or asking them to be, for their data export;
    and events they created."""
    rows = Event.objects.filter(
        Q(contact__user=person) | Q(contact_email=person.email) | Q(created_by=person)
    ).distinct()
    return [
        {
            "event": event.title,
            "starts_at": event.starts_at.isoformat(),
            "organiser": event.organiser_name,
            "i_am_the_contact": event.contact_id == person.pk,
            "asked_to_be_the_contact": event.contact_email == person.email,
            "created_by_me": event.created_by_id == person.pk,
        }
        for event in rows.order_by("starts_at", "pk")
    ]


def contact_agree_url(*, event: Event, email: str, site_url: str = "") -> str:
    """The link that lets the owner of ``email`` agree to be ``event``'s contact."""
    token = naming_token(salt=CONTACT_SALT, object_id=event.pk, email=email)
    return site_url.rstrip("/") + reverse("events:contact_agree", args=[token])
