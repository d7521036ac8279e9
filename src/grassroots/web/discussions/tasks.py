"""Discussions' background tasks, run by the worker (``grassroots worker``). Arguments are
plain ids and words."""

from __future__ import annotations

import datetime

from django_tasks import task

from grassroots.web.discussions import notify


@task()
def post_notify(post_id: int, site_url: str) -> int:
    """Split a new post's recipients into batches (``notify.post_notify``)."""
    return notify.post_notify(post_id=post_id, site_url=site_url)


@task()
def post_notify_batch(post_id: int, person_ids: list[int], site_url: str) -> int:
    """Email one batch about a new post (``notify.post_notify_batch``)."""
    return notify.post_notify_batch(post_id=post_id, person_ids=person_ids, site_url=site_url)


@task()
def digest_batch(
    *, frequency: str, start: str, end: str, label: str, person_ids: list[int], site_url: str
) -> int:
    """Email one batch their digest (``notify.digest_batch``)."""
    return notify.digest_batch(
        frequency=frequency,
        start=datetime.datetime.fromisoformat(start),
        end=datetime.datetime.fromisoformat(end),
        label=label,
        person_ids=person_ids,
        site_url=site_url,
    )
