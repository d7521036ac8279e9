"""The events' background tasks, run by the worker (``grassroots worker``): telling supporters
nearby of a new event. Arguments are plain ids and words."""

from __future__ import annotations

from django_tasks import task

from grassroots.web.events import rsvps


@task()
def event_announce(event_id: int, site_url: str) -> int:
    """Split a newly published event's audience into batches (``rsvps.announce_batches``)."""
    return rsvps.announce_batches(event_id=event_id, site_url=site_url)


@task()
def event_announce_batch(event_id: int, user_ids: list[int], site_url: str) -> int:
    """Queue the announcement to one batch of people (``rsvps.announce_send``)."""
    return rsvps.announce_send(event_id=event_id, user_ids=user_ids, site_url=site_url)
