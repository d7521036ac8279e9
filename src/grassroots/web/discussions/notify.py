"""Emails about discussions: a post's notifications as they happen, and the daily and weekly
digests.

Every one goes through ``people.subscriptions.email_to_supporter`` (topic
``DISCUSSIONS``), which sends only to an active, verified supporter who has not unsubscribed,
and adds the one-click unsubscribe link and headers. Each has a key naming the post or the
period and the person, so a task run twice, or the digest command run twice in a period,
sends one email. The work is split into batches of people, one task each.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from grassroots.web.discussions.models import Frequency, Mention, NotificationChoice, Post
from grassroots.web.discussions.spaces import space_list_readable, space_of_thread, space_readers
from grassroots.web.mail.models import Email
from grassroots.web.people.models import Topic, User
from grassroots.web.people.subscriptions import email_to_supporter

BATCH = 200
FORMER = "A former supporter"
EXCERPT = 300
DIGEST_MAX_POSTS = 60


def _batches(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield list(ids[start : start + BATCH])


def author_name(user: User | None) -> str:
    if user is None:
        return FORMER
    return user.name or "A supporter"


def thread_url(site_url: str, thread_id: int) -> str:
    return site_url.rstrip("/") + reverse("discussions:thread", args=[thread_id])


def post_recipient_ids(*, post: Post) -> list[int]:
    """Who hears of ``post`` at once: readers of its space who chose every post, and the people
    it mentions who chose mentions or every post; never its author."""
    space = space_of_thread(post.thread)
    readers = space_readers(space)
    every = readers.filter(discussion_notifications__frequency=Frequency.IMMEDIATE)
    mentioned = readers.filter(
        discussion_mentions__post=post,
        discussion_notifications__frequency__in=(Frequency.MENTIONS, Frequency.IMMEDIATE),
    )
    ids = set(every.values_list("pk", flat=True)) | set(mentioned.values_list("pk", flat=True))
    ids.discard(post.author_id)
    return sorted(ids)


def post_notify(*, post_id: int, site_url: str) -> int:
    """Queue one task per batch of the post's recipients; the number of recipients."""
    from grassroots.web.discussions.tasks import post_notify_batch

    post = Post.objects.select_related("thread__organisation").filter(pk=post_id).first()
    if post is None or post.is_hidden:
        return 0
    ids = post_recipient_ids(post=post)
    for batch in _batches(ids):
        post_notify_batch.enqueue(post_id, batch, site_url)
    return len(ids)


def post_notify_batch(*, post_id: int, person_ids: Sequence[int], site_url: str) -> int:
    """Email each person of the batch about the post; the number queued."""
    post = Post.objects.select_related("thread__organisation", "author").filter(pk=post_id).first()
    if post is None or post.is_hidden:
        return 0
    thread = post.thread
    space = space_of_thread(thread)
    # Asked again now: a membership may have ended since the post, or the person may have
    # chosen fewer emails (or none) since it was queued.
    wanting = Q(discussion_notifications__frequency=Frequency.IMMEDIATE) | Q(
        discussion_mentions__post=post,
        discussion_notifications__frequency__in=(Frequency.MENTIONS, Frequency.IMMEDIATE),
    )
    readers = set(
        space_readers(space).filter(wanting, pk__in=person_ids).values_list("pk", flat=True)
    )
    mentioned = set(Mention.objects.filter(post=post).values_list("person_id", flat=True))
    name = author_name(post.author)
    sent = 0
    for person in User.objects.filter(pk__in=readers).select_related("supporter"):
        if person.pk in mentioned:
            subject = f"{name} mentioned you in “{thread.title}”"
        else:
            subject = f"New post in “{thread.title}”"
        body = (
            f"{name} wrote in {space.title}, in the thread “{thread.title}”:\n\n"
            f"{post.body}\n\nRead it and reply: {thread_url(site_url, thread.pk)}?page=last"
        )
        sent += email_to_supporter(
            topic=Topic.DISCUSSIONS,
            user=person,
            subject=subject,
            body=body,
            key=f"discussions:post:{post.pk}:{person.pk}",
            site_url=site_url,
        )
    return sent


def digest_period(
    frequency: str, now: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime, str]:
    """The last whole period before ``now`` (UK time): yesterday for a daily digest, last
    Monday-to-Sunday week for a weekly one; with its label (``2026-03-04`` or ``2026-W09``)."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Frequency.DAILY:
        start = midnight - datetime.timedelta(days=1)
        return start, midnight, start.date().isoformat()
    if frequency == Frequency.WEEKLY:
        end = midnight - datetime.timedelta(days=local.weekday())
        start = end - datetime.timedelta(days=7)
        year, week, _ = start.isocalendar()
        return start, end, f"{year}-W{week:02d}"
    raise ValueError(f"no digest for {frequency!r}")


def _midnight(moment: datetime.datetime) -> datetime.datetime:
    """Back to local midnight, across a change of the clocks (start and end are dates)."""
    return timezone.make_aware(datetime.datetime.combine(moment.date(), datetime.time()))


def digest_key(frequency: str, label: str, person_id: int) -> str:
    return f"discussions:digest:{frequency}:{label}:{person_id}"


def digests_queue(*, now: datetime.datetime, site_url: str) -> dict[str, tuple[str, int]]:
    """Queue the daily and weekly digests of the last whole period before ``now``: one task
    per batch of people who chose each. The period's label and how many people, by frequency."""
    from grassroots.web.discussions.tasks import digest_batch

    queued = {}
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        start, end, label = digest_period(frequency, now)
        start, end = _midnight(start), _midnight(end)
        ids = list(
            NotificationChoice.objects.filter(frequency=frequency)
            .order_by("person_id")
            .values_list("person_id", flat=True)
        )
        for batch in _batches(ids):
            digest_batch.enqueue(
                frequency=str(frequency),
                start=start.isoformat(),
                end=end.isoformat(),
                label=label,
                person_ids=batch,
                site_url=site_url,
            )
        queued[str(frequency)] = (label, len(ids))
    return queued


def digest_text(
    *, person: User, start: datetime.datetime, end: datetime.datetime, site_url: str
) -> str | None:
    """The digest of what was written in ``person``'s spaces from ``start`` to ``end`` (not by
    them, not hidden), or None when nothing was."""
    spaces = space_list_readable(person)
    lines: list[str] = []
    count = 0
    for space in spaces:
        posts = list(
            Post.objects.filter(
                space.post_filter(),
                created_at__gte=start,
                created_at__lt=end,
                hidden_at__isnull=True,
            )
            .exclude(author_id=person.pk)
            .select_related("thread", "author")
            .order_by("thread__last_posted_at", "thread_id", "created_at", "id")
        )
        if not posts:
            continue
        lines += ["", f"== {space.title} =="]
        thread_id = None
        for post in posts:
            if count >= DIGEST_MAX_POSTS:
                break
            if post.thread_id != thread_id:
                thread_id = post.thread_id
                lines += ["", f"“{post.thread.title}”", thread_url(site_url, post.thread_id)]
            excerpt = " ".join(post.body.split())
            if len(excerpt) > EXCERPT:
                excerpt = excerpt[: EXCERPT - 1] + "…"
            lines.append(f"- {author_name(post.author)}: {excerpt}")
            count += 1
    if not count:
        return None
    more = "" if count < DIGEST_MAX_POSTS else "\n\nThere is more: read it on the site."
    return "What was written in your discussion spaces:\n" + "\n".join(lines) + more


def digest_batch(
    *,
    frequency: str,
    start: datetime.datetime,
    end: datetime.datetime,
    label: str,
    person_ids: Sequence[int],
    site_url: str,
) -> int:
    """Email each person of the batch their digest for the period, unless it was queued
    already or nothing was written; the number queued."""
    done = set(
        Email.objects.filter(
            key__in=[digest_key(frequency, label, pk) for pk in person_ids]
        ).values_list("key", flat=True)
    )
    sent = 0
    title = "Daily" if frequency == Frequency.DAILY else "Weekly"
    for person in User.objects.filter(pk__in=person_ids).select_related("supporter"):
        key = digest_key(frequency, label, person.pk)
        if key in done:
            continue
        body = digest_text(person=person, start=start, end=end, site_url=site_url)
        if body is None:
            continue
        sent += email_to_supporter(
            topic=Topic.DISCUSSIONS,
            user=person,
            subject=f"{title} discussions digest, {label}",
            body=body,
            key=key,
            site_url=site_url,
        )
    return sent
