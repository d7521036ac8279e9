"""Granting and taking away roles on the site's roles page, by an administrator, audited.

The roles page is the one door for the organiser, committee and administrator roles (the
admin cannot change them); the affiliate representative role follows from an organisation's
representatives, recorded on its page (``alliance.services``).

An administrator is an account in the ``administrator`` group or a superuser (the first one,
from ``grassroots manage createsuperuser``). Granting the role here makes the account both, so
it can use ``/admin/`` for data requests; taking it away undoes both.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from grassroots.web.audit.services import audit_record
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles, user_roles_forget
from grassroots.web.people.services import role_grant, role_revoke

# The roles this page gives and takes, in the order it lists them.
PAGE_ROLES = (Role.ORGANISER, Role.COMMITTEE, Role.ADMINISTRATOR)


def role_holder_list() -> QuerySet[User]:
    """Every account holding a role beyond supporter, with its groups, by name."""
    return (
        User.objects.filter(Q(groups__isnull=False) | Q(is_superuser=True))
        .distinct()
        .prefetch_related("groups")
        .order_by("name", "email")
    )


def _administrators() -> QuerySet[User]:
    """Active administrators, locked until the transaction ends, so that two administrators
    taking the role from each other at once cannot leave none."""
    ids = User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR.value), is_active=True
    ).values("pk")
    return User.objects.select_for_update().filter(pk__in=ids)


def _page_role(role: Role) -> None:
    if role not in PAGE_ROLES:
        raise DomainError(
            f"The {role} role follows from an organisation's representatives: record or end "
            "them on the organisation's page.",
            field="role",
        )


@transaction.atomic(durable=True)
def account_role_grant(*, actor: User, user: User, role: Role) -> None:
    """Give ``user`` one of the page's roles; one audit row with the actor, the account and
    the role. Refused if they hold it already."""
    _page_role(role)
    if role in user_roles(user):
        raise DomainError(f"{user.email} is already {role_with_article(role)}.", field="email")
    role_grant(actor=actor, user=user, role=role)
    if role is Role.ADMINISTRATOR:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        user.is_staff = user.is_superuser = True
        user_roles_forget(user)


@transaction.atomic(durable=True)
def account_role_revoke(*, actor: User, user: User, role: Role) -> None:
    """Take one of the page's roles from ``user``; one audit row. Refused if they do not hold
    it, or if they are the last administrator (the site would have nobody to grant roles)."""
    _page_role(role)
    if role is Role.ADMINISTRATOR:
        administrators = set(_administrators().values_list("pk", flat=True))
        if administrators == {user.pk}:
            raise DomainError(
                f"{user.email} is the last administrator: make someone else an administrator "
                "first.",
                field="email",
            )
    if role not in user_roles(user):
        raise DomainError(f"{user.email} is not {role_with_article(role)}.", field="email")
    if not role_revoke(actor=actor, user=user, role=role):
        # An administrator by being a superuser only: role_revoke had no group to remove, so
        # the audit row is written here.
        audit_record(
            actor_id=actor.pk,
            action="role.revoke",
            object_type="user",
            object_id=user.pk,
            summary=role.value,
        )
    if role is Role.ADMINISTRATOR:
        User.objects.filter(pk=user.pk).update(is_staff=False, is_superuser=False)
        user.is_staff = user.is_superuser = False
        user_roles_forget(user)


def role_names(user: User) -> list[Role]:
    """The page's roles ``user`` holds, plus affiliate representative, in the page's order;
    from the groups prefetched by ``role_holder_list``."""
    names = {group.name for group in user.groups.all()}
    return [
        role
        for role in (*PAGE_ROLES, Role.AFFILIATE_REPRESENTATIVE)
        if role.value in names or (role is Role.ADMINISTRATOR and user.is_superuser)
    ]


def role_with_article(role: Role) -> str:
    """ "an administrator", "a committee member": for sentences."""
    article = "an" if role.value[0] in "aeiou" else "a"
    return f"{article} {role.value}"
