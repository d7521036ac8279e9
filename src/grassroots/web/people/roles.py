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


def user_roles(user: User | AnonymousUser) -> set[Role]:
    """Every role the user holds; everyone holds ``PUBLIC``."""
    roles = {Role.PUBLIC}
    if not user.is_authenticated or not isinstance(user, User):
        return roles
    try:
        user.supporter  # noqa: B018 (the lookup is the test)
        roles.add(Role.SUPPORTER)
    except Supporter.DoesNotExist:
        pass
    names = set(user.groups.values_list("name", flat=True))
    roles |= {role for role in GROUP_ROLES if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles


def user_has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role in user_roles(user)
