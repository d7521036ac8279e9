"""iCalendar feeds of published events (RFC 5545), built with ``icalendar``.

Each event's UID is its stored UUID, so calendars recognise it across changes; DTSTAMP and
LAST-MODIFIED are when it last changed (RFC 5545 3.8.7.2: without a METHOD, DTSTAMP is the
last modification), and times are written in UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC

import icalendar

from grassroots.web.events.models import Event

UID_DOMAIN = "grassroots.events"


def event_uid(event: Event) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def calendar_build(
    *, name: str, events: Iterable[Event], event_url: Callable[[Event], str]
) -> bytes:
    """A calendar named ``name`` holding ``events``; ``event_url`` gives each event's page."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Grassroots//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        item = icalendar.Event()
        item.add("uid", event_uid(event))
        item.add("dtstamp", event.updated_at.astimezone(UTC))
        item.add("last-modified", event.updated_at.astimezone(UTC))
        item.add("dtstart", event.starts_at.astimezone(UTC))
        item.add("dtend", event.ends_at.astimezone(UTC))
        item.add("summary", event.title)
        location = event.place or event.online_url
        if location:
            item.add("location", location)
        item.add("url", event_url(event))
        description = [event.description] if event.description else []
        description.append(f"Organised by {event.organiser_name}.")
        if event.online_url:
            description.append(f"Join online: {event.online_url}")
        item.add("description", "\n\n".join(description))
        item.add("categories", [event.get_kind_display()])
        calendar.add_component(item)
    return bytes(calendar.to_ical())
