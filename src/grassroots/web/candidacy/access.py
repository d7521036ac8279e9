"""Who may see and write candidates' pages: one function per object and role.

Organisers and administrators write questionnaires and enter profiles on a candidate's
behalf. Everyone sees the pages of a ballot that has opened (a draft's only its writers)
and of any party election section. A candidate writes their own page through the emailed
link, whoever is logged in. Each function returns the object or raises ``Http404``, the same
for "missing" and "forbidden"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.ballots.access import ballot_for_returning_officer
from grassroots.web.ballots.models import Ballot, Status
from grassroots.web.candidacy.models import CandidateProfile, Questionnaire
from grassroots.web.candidacy.selectors import profile_get, questionnaire_get
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles

NOT_FOUND = "No such page."
WRITERS = frozenset({Role.ORGANISER, Role.ADMINISTRATOR})


def may_write(user: User | AnonymousUser) -> bool:
    return bool(WRITERS & user_roles(user))


def candidacy_writer(user: User | AnonymousUser) -> User:
    """The viewer, if they may write candidates' pages."""
    if not isinstance(user, User) or not may_write(user):
        raise Http404(NOT_FOUND)
    return user


def _visible(user: User | AnonymousUser, questionnaire: Questionnaire) -> bool:
    ballot = questionnaire.ballot
    return ballot is None or ballot.status != Status.DRAFT or may_write(user)


def questionnaire_for_viewer(user: User | AnonymousUser, questionnaire_id: int) -> Questionnaire:
    questionnaire = questionnaire_get(questionnaire_id=questionnaire_id)
    if questionnaire is None or not _visible(user, questionnaire):
        raise Http404(NOT_FOUND)
    return questionnaire


def questionnaire_for_writer(
    user: User | AnonymousUser, questionnaire_id: int
) -> tuple[User, Questionnaire]:
    writer = candidacy_writer(user)
    questionnaire = questionnaire_get(questionnaire_id=questionnaire_id)
    if questionnaire is None:
        raise Http404(NOT_FOUND)
    return writer, questionnaire


def profile_for_viewer(user: User | AnonymousUser, profile_id: int) -> CandidateProfile:
    profile = profile_get(profile_id=profile_id)
    if profile is None or not _visible(user, profile.questionnaire):
        raise Http404(NOT_FOUND)
    return profile


def profile_for_writer(
    user: User | AnonymousUser, profile_id: int
) -> tuple[User, CandidateProfile]:
    writer = candidacy_writer(user)
    profile = profile_get(profile_id=profile_id)
    if profile is None:
        raise Http404(NOT_FOUND)
    return writer, profile


def ballot_paper_for_officer(user: User | AnonymousUser, slug: str) -> tuple[User, Ballot]:
    """A ballot's paper settings: its returning officer (or an administrator)."""
    ballot = ballot_for_returning_officer(user, slug)
    if not isinstance(user, User):  # ruled out by the check above; for the type
        raise Http404(NOT_FOUND)
    return user, ballot
