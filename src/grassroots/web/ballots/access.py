"""Who may see and run which ballot: one function per object and role.

Each returns the object or raises ``Http404``: the same error for "missing" and "forbidden".
Nobody's role lets them see cast ballots before the close: that rule lives in
``selectors.cast_ballot_list``, below every page and the admin.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.ballots.models import Ballot, Status, Trustee
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles

NOT_FOUND = "No such page."


def ballots_for_returning_officer(user: User | AnonymousUser) -> None:
    """The list of ballots with drafts: organisers and administrators."""
    if not {Role.ORGANISER, Role.ADMINISTRATOR} & user_roles(user):
        raise Http404(NOT_FOUND)


def ballot_for_returning_officer(user: User | AnonymousUser, slug: str) -> Ballot:
    """A ballot to open, close, extend or cancel: its returning officer while an organiser,
    or an administrator."""
    ballot = Ballot.objects.filter(slug=slug).first()
    if ballot is None or not may_run(user, ballot):
        raise Http404(NOT_FOUND)
    return ballot


def may_run(user: User | AnonymousUser, ballot: Ballot) -> bool:
    """Whether ``user`` runs ``ballot``: an administrator, or its returning officer while
    they still hold the organiser role (one who loses it loses their ballots too)."""
    if not isinstance(user, User):
        return False
    roles = user_roles(user)
    if Role.ADMINISTRATOR in roles:
        return True
    return ballot.returning_officer_id == user.pk and Role.ORGANISER in roles


def ballot_for_public(user: User | AnonymousUser, slug: str) -> Ballot:
    """A ballot's public page: any ballot but a draft, which only its officers see."""
    ballot = Ballot.objects.filter(slug=slug).first()
    if ballot is None:
        raise Http404(NOT_FOUND)
    if ballot.status == Status.DRAFT:
        return ballot_for_returning_officer(user, slug)
    return ballot


def ballot_published(user: User | AnonymousUser, slug: str) -> Ballot:
    """A ballot whose result and ballots are published: anyone."""
    ballot = ballot_for_public(user, slug)
    if ballot.status != Status.PUBLISHED:
        raise Http404(NOT_FOUND)
    return ballot


def ballot_for_scrutiny(user: User | AnonymousUser, slug: str) -> Ballot:
    """A ballot's management page: its returning officer (or an administrator), who may act
    on it, or one of its scrutineers, who only see it (``may_run`` says which)."""
    ballot = Ballot.objects.filter(slug=slug).first()
    if ballot is None or not (may_run(user, ballot) or is_scrutineer(user, ballot)):
        raise Http404(NOT_FOUND)
    return ballot


def is_scrutineer(user: User | AnonymousUser, ballot: Ballot) -> bool:
    """Whether ``user`` was named a scrutineer of ``ballot`` (and their account is open)."""
    return (
        isinstance(user, User)
        and user.is_active
        and ballot.scrutineers.filter(person=user).exists()
    )


def my_ballots(user: User | AnonymousUser) -> User:
    """The "My ballots" page: any signed-in person, for their own roll entries only."""
    if not isinstance(user, User):
        raise Http404(NOT_FOUND)
    return user


def ballot_for_trustee(user: User | AnonymousUser, slug: str) -> tuple[Ballot, Trustee]:
    """A sealed ballot's trustee page and files: that ballot's trustees only (with an open
    account); the returning officer follows their steps on the management page."""
    trustee = (
        Trustee.objects.select_related("ballot")
        .filter(ballot__slug=slug, ballot__sealed=True, person__isnull=False)
        .filter(person=user if isinstance(user, User) and user.is_active else None)
        .first()
    )
    if trustee is None:
        raise Http404(NOT_FOUND)
    return trustee.ballot, trustee
