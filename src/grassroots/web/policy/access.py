"""Who may write the policy positions: organisers and administrators. Everyone reads them.

Each function returns the object or raises ``Http404``, the same for "missing" and
"forbidden"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles
from grassroots.web.policy.models import PolicyPosition
from grassroots.web.policy.selectors import position_get

NOT_FOUND = "No such page."
WRITERS = frozenset({Role.ORGANISER, Role.ADMINISTRATOR})


def policy_writer(user: User | AnonymousUser) -> User:
    """The viewer, if they may write positions."""
    if not isinstance(user, User) or not WRITERS & user_roles(user):
        raise Http404(NOT_FOUND)
    return user


def position_for_writer(
    user: User | AnonymousUser, position_id: int
) -> tuple[User, PolicyPosition]:
    writer = policy_writer(user)
    position = position_get(position_id=position_id)
    if position is None:
        raise Http404(NOT_FOUND)
    return writer, position
