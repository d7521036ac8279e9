"""Spaces: where threads live, and who reads and moderates each.

A space is not stored. There is one for all signed-up (verified) supporters, and one for each
affiliated organisation, national or local group alike, read by its confirmed members and its
current representatives. A CLP alone does not make someone a member of the local group that
covers it: membership of a political organisation is political opinion that only the
supporter records (``alliance.OrganisationMembership``), so the same confirmed membership that
puts a supporter on a joint ballot's roll opens the group's space. Organisers, the committee
and administrators read and moderate every space; an organisation's representatives moderate
its own.

``space_readers`` is the one rule of who reads a space: access checks, mentions and
notifications all ask it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from grassroots.web.alliance.models import (
    AffiliationStatus,
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    Representative,
)
from grassroots.web.people.models import User
from grassroots.web.people.roles import ORGANISE_ROLES, user_roles

SUPPORTERS_KEY = "supporters"
ORGANISATION_PREFIX = "org/"


@dataclass(frozen=True)
class Space:
    """The supporters' space (``organisation`` None) or an organisation's."""

    organisation: Organisation | None = None

    @property
    def key(self) -> str:
        """Its part of the address: ``supporters`` or ``org/<slug>``."""
        if self.organisation is None:
            return SUPPORTERS_KEY
        return ORGANISATION_PREFIX + self.organisation.slug

    @property
    def title(self) -> str:
        return "All supporters" if self.organisation is None else self.organisation.name

    @property
    def organisation_id(self) -> int | None:
        return None if self.organisation is None else self.organisation.pk

    def thread_filter(self) -> Q:
        """The threads of this space."""
        if self.organisation is None:
            return Q(organisation__isnull=True)
        return Q(organisation_id=self.organisation.pk)

    def post_filter(self) -> Q:
        """The posts of this space."""
        if self.organisation is None:
            return Q(thread__organisation__isnull=True)
        return Q(thread__organisation_id=self.organisation.pk)


def space_of_thread(thread: object) -> Space:
    return Space(getattr(thread, "organisation", None))


def _moderator_q() -> Q:
    return Q(groups__name__in=[role.value for role in ORGANISE_ROLES]) | Q(is_superuser=True)


def is_global_moderator(user: User | AnonymousUser) -> bool:
    """Organisers, the committee and administrators read and moderate every space."""
    return bool(ORGANISE_ROLES & user_roles(user))


def space_readers(space: Space) -> QuerySet[User]:
    """Every active account that may read ``space``."""
    if space.organisation is None:
        people = Q(supporter__email_verified_at__isnull=False)
    elif space.organisation.status != AffiliationStatus.AFFILIATED:
        people = Q(pk__in=[])
    else:
        members = OrganisationMembership.objects.filter(
            organisation_id=space.organisation.pk,
            status=MembershipStatus.CONFIRMED,
            supporter__email_verified_at__isnull=False,
        ).values("supporter_id")
        representatives = (
            Representative.objects.current()
            .filter(organisation_id=space.organisation.pk, supporter__isnull=False)
            .values("supporter_id")
        )
        people = Q(pk__in=members) | Q(pk__in=representatives)
    moderators = User.objects.filter(_moderator_q()).values("pk")
    return User.objects.filter(people | Q(pk__in=moderators), is_active=True)


def space_readable(user: User | AnonymousUser, space: Space) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    if is_global_moderator(user):
        return True
    return space_readers(space).filter(pk=user.pk).exists()


def space_moderated(user: User | AnonymousUser, space: Space) -> bool:
    """Global moderators, and for an organisation's space its current representatives."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if is_global_moderator(user):
        return True
    if space.organisation is None:
        return False
    return (
        Representative.objects.current()
        .filter(organisation_id=space.organisation.pk, supporter_id=user.pk)
        .exists()
    )


def space_list_readable(user: User | AnonymousUser) -> list[Space]:
    """The spaces ``user`` reads, the supporters' first, then organisations by name."""
    if not isinstance(user, User) or not user.is_active:
        return []
    affiliated = Organisation.objects.filter(status=AffiliationStatus.AFFILIATED).order_by("name")
    if is_global_moderator(user):
        return [Space(), *(Space(organisation) for organisation in affiliated)]
    supporter = getattr(user, "supporter", None)
    if supporter is None or supporter.email_verified_at is None:
        return []
    mine = affiliated.filter(
        Q(
            memberships__supporter_id=user.pk,
            memberships__status=MembershipStatus.CONFIRMED,
        )
        | Q(
            pk__in=Representative.objects.current()
            .filter(supporter_id=user.pk)
            .values("organisation_id")
        )
    ).distinct()
    return [Space(), *(Space(organisation) for organisation in mine)]


def space_list_moderated(user: User | AnonymousUser) -> list[Space] | None:
    """The spaces ``user`` moderates; None means every space (a global moderator)."""
    if is_global_moderator(user):
        return None
    if not isinstance(user, User):
        return []
    organisations = Organisation.objects.filter(
        pk__in=Representative.objects.current()
        .filter(supporter_id=user.pk)
        .values("organisation_id")
    ).order_by("name")
    return [Space(organisation) for organisation in organisations]


def space_from_key(key: str) -> Space | None:
    """The space an address names, or None."""
    if key == SUPPORTERS_KEY:
        return Space()
    if key.startswith(ORGANISATION_PREFIX):
        organisation = Organisation.objects.filter(slug=key[len(ORGANISATION_PREFIX) :]).first()
        if organisation is not None:
            return Space(organisation)
    return None
