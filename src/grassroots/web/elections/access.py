"""Who may change what in the elections app: one function per object and role.

Everyone may read the trackers, results and history. Setting an election up (its sections,
candidates and slates), recording nominations and importing results is for organisers and
administrators. Each function returns the object or raises
``Http404``: the same error for "missing" and "forbidden".
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.elections import selectors
from grassroots.web.elections.models import (
    Candidate,
    PartyElection,
    Section,
    Slate,
    SlateMembership,
)
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles

NOT_FOUND = "No such page."
ORGANISERS = {Role.ORGANISER, Role.ADMINISTRATOR}


def section_for_organiser(
    user: User | AnonymousUser, election_slug: str, section_slug: str
) -> Section:
    """A section whose nominations and results the user may record: organisers and
    administrators."""
    organiser_check(user)
    return selectors.section_get(election_slug=election_slug, section_slug=section_slug)


def organiser_check(user: User | AnonymousUser) -> None:
    """Raise ``Http404`` unless the user may set up elections (list them all, create one):
    organisers and administrators."""
    if not ORGANISERS & user_roles(user):
        raise Http404(NOT_FOUND)


def user_may_set_up(user: User | AnonymousUser) -> bool:
    """Whether to show the user links to the set-up pages (the pages check again)."""
    return bool(ORGANISERS & user_roles(user))


def election_for_organiser(user: User | AnonymousUser, election_slug: str) -> PartyElection:
    """An election the user may set up (edit, delete, add sections and slates): organisers
    and administrators."""
    organiser_check(user)
    return selectors.party_election_get(election_slug=election_slug)


def candidate_for_organiser(
    user: User | AnonymousUser, election_slug: str, section_slug: str, candidate_id: int
) -> Candidate:
    """A candidate the user may edit or remove: organisers and administrators."""
    section = section_for_organiser(user, election_slug, section_slug)
    return selectors.candidate_get(section=section, candidate_id=candidate_id)


def slate_for_organiser(user: User | AnonymousUser, election_slug: str, slate_id: int) -> Slate:
    """A slate the user may edit, delete and put candidates on: organisers and
    administrators."""
    organiser_check(user)
    return selectors.slate_get(election_slug=election_slug, slate_id=slate_id)


def slate_membership_for_organiser(
    user: User | AnonymousUser, election_slug: str, slate_id: int, membership_id: int
) -> SlateMembership:
    """A candidate's place on a slate that the user may edit or remove: organisers and
    administrators."""
    slate = slate_for_organiser(user, election_slug, slate_id)
    try:
        return SlateMembership.objects.select_related("candidate", "slate__election").get(
            slate=slate, pk=membership_id
        )
    except SlateMembership.DoesNotExist:
        raise Http404(NOT_FOUND) from None
