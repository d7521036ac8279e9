"""Factories for discussions: people who accepted the code of conduct, threads and posts made
through the services."""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from grassroots.web.alliance.models import MembershipStatus, Organisation, OrganisationMembership
from grassroots.web.discussions import services
from grassroots.web.discussions.models import Post, Thread
from grassroots.web.discussions.spaces import Space
from grassroots.web.people.models import Supporter, User

SITE = "http://testserver/"


def writer(user: User) -> User:
    """``user`` once they accepted the code of conduct."""
    services.conduct_accept(person=user)
    return user


def member_confirmed(supporter: Supporter, organisation: Organisation) -> OrganisationMembership:
    from django.utils import timezone

    return OrganisationMembership.objects.create(
        organisation=organisation,
        supporter=supporter,
        status=MembershipStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        consent_wording="I belong.",
    )


def thread_start(
    author: User,
    *,
    space: Space | None = None,
    title: str = "Which strategy?",
    body: str = "Let us talk.",
    **kw: Any,
) -> Thread:
    """A thread started through the service, its notifications run (on commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.thread_start(
            author=author, space=space or Space(), title=title, body=body, site_url=SITE, **kw
        )


def reply(author: User, thread: Thread, body: str) -> Post:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.post_reply(author=author, thread=thread, body=body, site_url=SITE)
