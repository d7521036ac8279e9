"""Roles. Public and supporter follow from the account; the others are Django groups, so the
alliance app (and the admin) can grant them by adding a user to a group.

Who may see and change what is decided in each app's ``access.py``, one function per object and
role, never here.
"""

from __future__ import annotations

import enum

from django.contrib.auth.models import AnonymousUser

from grassroots.web.people.models import Supporter, User


class Role(enum.StrEnum):
    PUBLIC = "public"
    SUPPORTER = "supporter"
    ORGANISER = "local group organiser"
    AFFILIATE_REPRESENTATIVE = "affiliate representative"
    COMMITTEE = "committee member"
    ADMINISTRATOR = "administrator"


GROUP_ROLES = (Role.ORGANISER, Role.AFFILIATE_REPRESENTATIVE, Role.COMMITTEE, Role.ADMINISTRATOR)


# Roles that see the Organise menu and the /organise/ index.
ORGANISE_ROLES = frozenset({Role.ORGANISER, Role.COMMITTEE, Role.ADMINISTRATOR})

_CACHE = "_grassroots_roles"


def user_roles(user: User | AnonymousUser) -> set[Role]:
    """Every role the user holds; everyone holds ``PUBLIC``.

    The answer is kept on the user object, so a request's access checks and its menu share two
    queries; ``role_grant`` and ``role_revoke`` forget it on the user they change.
    """
    roles = {Role.PUBLIC}
    if not user.is_authenticated or not isinstance(user, User):
        return roles
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return set(cached)
    try:
        user.supporter  # noqa: B018 (the lookup is the test)
        roles.add(Role.SUPPORTER)
    except Supporter.DoesNotExist:
        pass
    names = set(user.groups.values_list("name", flat=True))
    roles |= {role for role in GROUP_ROLES if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    setattr(user, _CACHE, frozenset(roles))
    return roles


def user_roles_forget(user: User) -> None:
    """Drop the roles kept on ``user``, after they changed."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


# Roles that see the Organise menu entry: an affiliate representative finds their
# organisation's pages on the /organise/ index.
ORGANISE_MENU_ROLES = ORGANISE_ROLES | {Role.AFFILIATE_REPRESENTATIVE}


def user_may_organise(user: User | AnonymousUser, roles: frozenset[Role] = ORGANISE_ROLES) -> bool:
    """Whether the user holds one of ``roles`` (by default those that organise): the kept
    roles when the request already looked them up, else one query."""
    if not user.is_authenticated or not isinstance(user, User):
        return False
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return bool(roles & cached)
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=[role.value for role in roles]).exists()


def user_has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role in user_roles(user)
