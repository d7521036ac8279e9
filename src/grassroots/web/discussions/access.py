"""Who may read, write in and moderate what in discussions: one function per object and role.

Each returns the object or raises ``Http404``, the same for missing and forbidden, so an
address never reveals that a closed space's thread exists. Who reads a space is decided in
``discussions.spaces``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.discussions.models import Post, PostReport, Suspension, Thread
from grassroots.web.discussions.spaces import (
    Space,
    is_global_moderator,
    space_from_key,
    space_list_moderated,
    space_list_readable,
    space_moderated,
    space_of_thread,
    space_readable,
)
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles

NOT_FOUND = "No such page."


def _user(user: User | AnonymousUser) -> User:
    if not isinstance(user, User) or not user.is_active:
        raise Http404(NOT_FOUND)
    return user


def discussions_for_person(user: User | AnonymousUser) -> User:
    """The discussions index: any account; it lists the spaces the person reads, if any."""
    return _user(user)


def discussions_for_reader(user: User | AnonymousUser) -> User:
    """The discussions index and notification settings: anyone who reads a space."""
    person = _user(user)
    if not space_list_readable(person):
        raise Http404(NOT_FOUND)
    return person


def space_for_reader(user: User | AnonymousUser, key: str) -> Space:
    space = space_from_key(key)
    if space is None or not space_readable(user, space):
        raise Http404(NOT_FOUND)
    return space


def thread_for_reader(user: User | AnonymousUser, thread_id: int) -> Thread:
    thread = Thread.objects.select_related("organisation", "ballot").filter(pk=thread_id).first()
    if thread is None or not space_readable(user, space_of_thread(thread)):
        raise Http404(NOT_FOUND)
    return thread


def thread_for_moderator(user: User | AnonymousUser, thread_id: int) -> Thread:
    thread = thread_for_reader(user, thread_id)
    if not space_moderated(user, space_of_thread(thread)):
        raise Http404(NOT_FOUND)
    return thread


def may_propose(user: User | AnonymousUser) -> bool:
    """Organisers and administrators draft ballots, so they turn threads into proposals."""
    return bool({Role.ORGANISER, Role.ADMINISTRATOR} & user_roles(user))


def thread_for_proposer(user: User | AnonymousUser, thread_id: int) -> Thread:
    thread = thread_for_reader(user, thread_id)
    if not may_propose(user):
        raise Http404(NOT_FOUND)
    return thread


def post_for_reader(user: User | AnonymousUser, post_id: int) -> Post:
    post = Post.objects.select_related("thread__organisation", "author").filter(pk=post_id).first()
    if post is None or not space_readable(user, space_of_thread(post.thread)):
        raise Http404(NOT_FOUND)
    return post


def post_for_moderator(user: User | AnonymousUser, post_id: int) -> Post:
    post = post_for_reader(user, post_id)
    if not space_moderated(user, space_of_thread(post.thread)):
        raise Http404(NOT_FOUND)
    return post


def moderation_for_moderator(user: User | AnonymousUser) -> User:
    """The moderation queue: global moderators and any current representative of an
    affiliated organisation (for their organisation's space)."""
    person = _user(user)
    spaces = space_list_moderated(person)
    if spaces is not None and not spaces:
        raise Http404(NOT_FOUND)
    return person


def report_for_moderator(user: User | AnonymousUser, report_id: int) -> PostReport:
    report = (
        PostReport.objects.select_related("post__thread__organisation", "post__author")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not space_moderated(user, space_of_thread(report.post.thread)):
        raise Http404(NOT_FOUND)
    return report


def report_for_suspender(user: User | AnonymousUser, report_id: int) -> PostReport:
    """Suspending reaches every space, so only global moderators suspend."""
    if not is_global_moderator(user):
        raise Http404(NOT_FOUND)
    return report_for_moderator(user, report_id)


def suspension_for_moderator(user: User | AnonymousUser, suspension_id: int) -> Suspension:
    if not is_global_moderator(user):
        raise Http404(NOT_FOUND)
    suspension = Suspension.objects.filter(pk=suspension_id).first()
    if suspension is None:
        raise Http404(NOT_FOUND)
    return suspension
