"""Every write in discussions, each in one transaction with its audit row where it is a
decision (conduct, notifications, reports, moderation, proposals). Posts themselves are not
audited: they are the discussion, kept in their own table. Notification emails are queued as
tasks once the post is committed (``discussions.notify``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from grassroots.web.audit.services import audit_record
from grassroots.web.ballots.models import Ballot
from grassroots.web.ballots.services import ballot_create
from grassroots.web.discussions import markup
from grassroots.web.discussions.conduct import CODE_OF_CONDUCT
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
from grassroots.web.discussions.selectors import conduct_accepted, suspension_current
from grassroots.web.discussions.spaces import Space, space_of_thread, space_readable, space_readers
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User

CONDUCT_FIRST = "Accept the code of conduct before you write."
SUSPENDED = "You are suspended from discussions and cannot write for now."
LOCKED = "This thread is locked: nobody can reply."
NOT_A_READER = "You cannot write in this space."


def _audit(
    actor: User | None, action: str, object_type: str, object_id: object, summary: str
) -> None:
    audit_record(
        actor_id=actor.pk if actor else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
    )


@transaction.atomic
def conduct_accept(*, person: User) -> ConductAcceptance:
    """Record that ``person`` accepts the code of conduct, with its wording; once."""
    acceptance, created = ConductAcceptance.objects.get_or_create(
        person=person, defaults={"wording": CODE_OF_CONDUCT}
    )
    if created:
        _audit(person, "discussion.conduct_accept", "user", person.pk, "code of conduct")
    return acceptance


@transaction.atomic
def notification_choose(*, person: User, frequency: str) -> NotificationChoice:
    """How ``person`` hears of discussions by email (``Frequency``)."""
    if frequency not in Frequency.values:
        raise DomainError("Choose one of the options.", field="frequency")
    choice, _ = NotificationChoice.objects.update_or_create(
        person=person, defaults={"frequency": frequency, "chosen_at": timezone.now()}
    )
    _audit(person, "discussion.notifications", "user", person.pk, frequency)
    return choice


def _writer_check(person: User, space: Space) -> None:
    if not space_readable(person, space):
        raise DomainError(NOT_A_READER)
    if not conduct_accepted(person=person):
        raise DomainError(CONDUCT_FIRST)
    if suspension_current(person=person) is not None:
        raise DomainError(SUSPENDED)


def mentionable(*, space: Space, handles: set[str]) -> dict[str, User]:
    """The people ``handles`` name in ``space``: readers of the space who have written a post
    there that is not hidden, so a mention names only someone the space already shows and
    never reveals who else can read it (who belongs to an organisation, or supports the
    alliance). A handle two such people share names neither."""
    if not handles:
        return {}
    writers = Post.objects.filter(
        space.post_filter(), hidden_at__isnull=True, author__isnull=False
    ).values("author_id")
    found: dict[str, list[User]] = {}
    for person in space_readers(space).filter(pk__in=writers):
        handle = markup.handle_of(person.name)
        if handle in handles:
            found.setdefault(handle, []).append(person)
    return {handle: people[0] for handle, people in found.items() if len(people) == 1}


def _post_create(*, thread: Thread, author: User, body: str, site_url: str) -> Post:
    body = body.strip()
    if not body:
        raise DomainError("Write something.", field="body")
    space = space_of_thread(thread)
    people = mentionable(space=space, handles=markup.handles_in(body))
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        body_html=markup.render(body, mentions={h: p.name for h, p in people.items()}),
    )
    Mention.objects.bulk_create(
        Mention(post=post, person=person, handle=handle) for handle, person in people.items()
    )
    Thread.objects.filter(pk=thread.pk).update(last_posted_at=post.created_at)
    _post_notify_enqueue(post.pk, site_url)
    return post


def _post_notify_enqueue(post_id: int, site_url: str) -> None:
    """Queue the post's notifications: with the database queue in this transaction (the task
    is committed with the post), else once it is committed."""
    from grassroots.web.discussions.tasks import post_notify

    if isinstance(post_notify.get_backend(), DatabaseBackend):
        post_notify.enqueue(post_id, site_url)
    else:
        transaction.on_commit(lambda: post_notify.enqueue(post_id, site_url))


@transaction.atomic
def thread_start(*, author: User, space: Space, title: str, body: str, site_url: str) -> Thread:
    """A new thread in ``space`` opened by its first post."""
    _writer_check(author, space)
    title = " ".join(title.split())
    if not title:
        raise DomainError("Give the thread a title.", field="title")
    thread = Thread.objects.create(organisation=space.organisation, title=title, author=author)
    _post_create(thread=thread, author=author, body=body, site_url=site_url)
    return thread


@transaction.atomic
def post_reply(*, author: User, thread: Thread, body: str, site_url: str) -> Post:
    """A reply to ``thread``, refused while it is locked."""
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=thread.pk)
    )
    _writer_check(author, space_of_thread(thread))
    if thread.is_locked:
        raise DomainError(LOCKED)
    return _post_create(thread=thread, author=author, body=body, site_url=site_url)


@transaction.atomic
def post_report(*, reporter: User, post: Post, reason: str) -> PostReport:
    """A reader reports a post to its space's moderators."""
    if post.author_id == reporter.pk:
        raise DomainError("You cannot report your own post.")
    reason = reason.strip()
    if not reason:
        raise DomainError("Say what is wrong with the post.", field="reason")
    if PostReport.objects.filter(post=post, reporter=reporter, status=ReportStatus.OPEN).exists():
        raise DomainError("You reported this post already; the moderators will look at it.")
    report = PostReport.objects.create(post=post, reporter=reporter, reason=reason)
    _audit(reporter, "discussion.report", "discussion_post", post.pk, f"report {report.pk}")
    return report


def _reports_close(post: Post, moderator: User, status: str) -> int:
    return PostReport.objects.filter(post=post, status=ReportStatus.OPEN).update(
        status=status, resolved_at=timezone.now(), resolved_by=moderator
    )


@transaction.atomic
def post_hide(*, moderator: User, post: Post) -> Post:
    """Hide a post: readers see "hidden by a moderator", moderators still see it; its open
    reports are closed as hidden."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_hidden:
        raise DomainError("This post is hidden already.")
    post.hidden_at = timezone.now()
    post.hidden_by = moderator
    post.save(update_fields=["hidden_at", "hidden_by"])
    closed = _reports_close(post, moderator, ReportStatus.HIDDEN)
    _audit(
        moderator,
        "discussion.post_hide",
        "discussion_post",
        post.pk,
        f"thread {post.thread_id}, {closed} reports closed",
    )
    return post


@transaction.atomic
def post_unhide(*, moderator: User, post: Post) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not post.is_hidden:
        raise DomainError("This post is not hidden.")
    post.hidden_at = None
    post.hidden_by = None
    post.save(update_fields=["hidden_at", "hidden_by"])
    _audit(
        moderator, "discussion.post_unhide", "discussion_post", post.pk, f"thread {post.thread_id}"
    )
    return post


@transaction.atomic
def report_dismiss(*, moderator: User, report: PostReport) -> PostReport:
    """Close a report and leave the post as it is."""
    report = PostReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise DomainError("This report is closed already.")
    report.status = ReportStatus.DISMISSED
    report.resolved_at = timezone.now()
    report.resolved_by = moderator
    report.save(update_fields=["status", "resolved_at", "resolved_by"])
    _audit(
        moderator,
        "discussion.report_dismiss",
        "discussion_post",
        report.post_id,
        f"report {report.pk}",
    )
    return report


@transaction.atomic
def thread_lock(*, moderator: User, thread: Thread, locked: bool) -> Thread:
    """Lock a thread (nobody may reply) or unlock it."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_locked == locked:
        raise DomainError(
            "This thread is locked already." if locked else "This thread is not locked."
        )
    thread.locked_at = timezone.now() if locked else None
    thread.locked_by = moderator if locked else None
    thread.save(update_fields=["locked_at", "locked_by"])
    action = "discussion.thread_lock" if locked else "discussion.thread_unlock"
    _audit(moderator, action, "discussion_thread", thread.pk, "")
    return thread


@transaction.atomic
def member_suspend(
    *, moderator: User, person: User, ends_at: datetime.datetime | None
) -> Suspension:
    """Stop ``person`` writing in every space until ``ends_at`` (for good when None, until
    lifted). They still read."""
    if person.pk == moderator.pk:
        raise DomainError("You cannot suspend yourself.")
    now = timezone.now()
    if ends_at is not None and ends_at <= now:
        raise DomainError("The end must be in the future.", field="ends_on")
    if suspension_current(person=person, now=now) is not None:
        raise DomainError("This person is suspended already.")
    suspension = Suspension.objects.create(person=person, ends_at=ends_at, created_by=moderator)
    until = ends_at.date().isoformat() if ends_at else "lifted"
    _audit(
        moderator,
        "discussion.suspend",
        "user",
        person.pk,
        f"suspension {suspension.pk} until {until}",
    )
    return suspension


@transaction.atomic
def suspension_lift(*, moderator: User, suspension: Suspension) -> Suspension:
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at is not None:
        raise DomainError("This suspension is lifted already.")
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = moderator
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    _audit(
        moderator,
        "discussion.suspension_lift",
        "user",
        suspension.person_id,
        f"suspension {suspension.pk}",
    )
    return suspension


@transaction.atomic(durable=True)
def thread_propose(
    *, actor: User, thread: Thread, ballot: Mapping[str, Any], options: Sequence[tuple[str, str]]
) -> Ballot:
    """Turn ``thread`` into a proposal: a draft ballot (``ballots.services.ballot_create``, with
    ``ballot`` as its other arguments) linked to the thread, in one transaction."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.ballot_id is not None:
        raise DomainError("This thread is a proposal already.")
    made = ballot_create(actor=actor, options=options, **ballot)
    thread.ballot = made
    thread.save(update_fields=["ballot"])
    _audit(actor, "discussion.thread_propose", "discussion_thread", thread.pk, f"ballot {made.pk}")
    return made
