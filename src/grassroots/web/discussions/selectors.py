"""Reads for discussions: threads, posts, mentions, the moderation queue, a person's choices
and their data export."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from grassroots.web.discussions.models import (
    ConductAcceptance,
    Frequency,
    Mention,
    NotificationChoice,
    Post,
    PostReport,
    ReportStatus,
    Suspension,
    Thread,
)
from grassroots.web.discussions.spaces import Space, space_list_moderated
from grassroots.web.people.models import User

POSTS_PER_PAGE = 20
THREADS_PER_PAGE = 20


def thread_list(*, space: Space) -> QuerySet[Thread]:
    """The space's threads, latest activity first, with their number of posts."""
    return (
        Thread.objects.filter(space.thread_filter())
        .select_related("author", "ballot")
        .annotate(post_count=Count("posts"))
        .order_by("-last_posted_at", "-id")
    )


def post_list(*, thread: Thread) -> QuerySet[Post]:
    return Post.objects.filter(thread=thread).select_related("author").order_by("created_at", "id")


def conduct_accepted(*, person: User) -> bool:
    return ConductAcceptance.objects.filter(person=person).exists()


def suspension_current(*, person: User, now: Any = None) -> Suspension | None:
    """The suspension stopping ``person`` from writing now, if any."""
    now = now or timezone.now()
    return (
        Suspension.objects.filter(person=person, lifted_at__isnull=True, created_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-created_at")
        .first()
    )


def suspension_list_current() -> QuerySet[Suspension]:
    now = timezone.now()
    return (
        Suspension.objects.filter(lifted_at__isnull=True)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("person")
        .order_by("-created_at")
    )


def frequency_of(*, person: User) -> str:
    choice = NotificationChoice.objects.filter(person=person).first()
    return choice.frequency if choice else Frequency.NONE


def mention_list(*, person: User, limit: int = 10) -> list[Mention]:
    """The latest posts that mention ``person`` and are not hidden."""
    return list(
        Mention.objects.filter(person=person, post__hidden_at__isnull=True)
        .select_related("post__thread", "post__author")
        .order_by("-post__created_at")[:limit]
    )


def report_queue(*, moderator: User) -> QuerySet[PostReport]:
    """Open reports in the spaces ``moderator`` moderates, oldest first."""
    reports = PostReport.objects.filter(status=ReportStatus.OPEN).select_related(
        "post__thread__organisation", "post__author", "reporter"
    )
    spaces = space_list_moderated(moderator)
    if spaces is not None:
        reports = reports.filter(
            post__thread__organisation_id__in=[space.organisation_id for space in spaces]
        )
    return reports.order_by("created_at", "id")


def thread_for_ballot(*, ballot_id: int) -> Thread | None:
    """The thread a ballot was proposed from, if any (the ballot's page links it)."""
    return Thread.objects.select_related("organisation").filter(ballot_id=ballot_id).first()


def discussions_export(person: User) -> dict[str, Any]:
    """Everything discussions hold about ``person``, for their data export."""
    conduct = ConductAcceptance.objects.filter(person=person).first()
    return {
        "code_of_conduct": {
            "wording": conduct.wording,
            "accepted_at": conduct.accepted_at.isoformat(),
        }
        if conduct
        else None,
        "notifications": frequency_of(person=person),
        "posts": [
            {
                "space": post.thread.organisation.name
                if post.thread.organisation
                else "All supporters",
                "thread": post.thread.title,
                "body": post.body,
                "created_at": post.created_at.isoformat(),
                "hidden_by_a_moderator": post.is_hidden,
            }
            for post in Post.objects.filter(author=person)
            .select_related("thread__organisation")
            .order_by("created_at", "id")
        ],
        "reports": [
            {
                "thread": report.post.thread.title,
                "reason": report.reason,
                "created_at": report.created_at.isoformat(),
                "status": report.status,
            }
            for report in PostReport.objects.filter(reporter=person)
            .select_related("post__thread")
            .order_by("created_at", "id")
        ],
        "suspensions": [
            {
                "from": suspension.created_at.isoformat(),
                "until": suspension.ends_at.isoformat() if suspension.ends_at else None,
                "lifted_at": suspension.lifted_at.isoformat() if suspension.lifted_at else None,
            }
            for suspension in Suspension.objects.filter(person=person).order_by("created_at")
        ],
    }
