"""The roles page: administrators give and take away roles after confirming, every change in
the audit log with actor, account and role; the last administrator cannot step down; the admin
no longer changes roles or deletes accounts; representatives find their organisation's pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role, user_roles
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db

ROLES = "/organise/roles/"
CHANGE = "/organise/roles/change/"


def _administrator(client: Client) -> User:
    admin = role_holder_create(Role.ADMINISTRATOR)
    client.force_login(admin)
    return admin


def _change(email: str, role: Role, change: str, *, confirmed: bool = True) -> dict[str, Any]:
    data = {"email": email, "role": role.value, "change": change}
    return data | ({"confirmed": "on"} if confirmed else {})


def _fresh(user: User) -> set[Role]:
    return user_roles(User.objects.get(pk=user.pk))


def _role_rows() -> list[tuple[int | None, str, str, str]]:
    return list(
        AuditEntry.objects.filter(action__startswith="role.")
        .order_by("id")
        .values_list("actor_id", "action", "object_id", "summary")
    )


@pytest.mark.parametrize("role", [None, Role.ORGANISER, Role.COMMITTEE])
def test_roles_page_is_not_found_for_others(client: Client, clp, role: Role | None) -> None:
    user = supporter_create(clp=clp).user if role is None else role_holder_create(role)
    client.force_login(user)
    target = supporter_create(clp=clp)

    page = client.get(ROLES)
    change = client.post(CHANGE, _change(target.user.email, Role.ADMINISTRATOR, "grant"))

    assert (page.status_code, change.status_code) == (404, 404)
    assert _fresh(target.user) == {Role.PUBLIC, Role.SUPPORTER}
    assert _role_rows() == []


def test_roles_page_sends_logged_out_visitors_to_log_in(client: Client) -> None:
    response = client.get(ROLES)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={ROLES}"


def test_roles_page_lists_accounts_with_their_roles(client: Client, clp) -> None:
    admin = _administrator(client)
    committee = role_holder_create(Role.COMMITTEE)
    supporter = supporter_create(clp=clp)

    response = client.get(ROLES)

    assert response.status_code == 200
    holders = {account.email: roles for account, roles in response.context["holders"]}
    assert holders == {admin.email: [Role.ADMINISTRATOR], committee.email: [Role.COMMITTEE]}
    assert supporter.user.email not in response.content.decode()


def test_grant_asks_for_confirmation_first(client: Client, clp) -> None:
    _administrator(client)
    supporter = supporter_create(clp=clp)

    response = client.post(
        CHANGE, _change(supporter.user.email, Role.COMMITTEE, "grant", confirmed=False)
    )

    assert response.status_code == 200
    assert "Give the committee member role?" in response.content.decode()
    assert _fresh(supporter.user) == {Role.PUBLIC, Role.SUPPORTER}
    assert _role_rows() == []


def test_grant_confirmed_gives_the_role_and_audits_it(client: Client, clp) -> None:
    admin = _administrator(client)
    supporter = supporter_create(clp=clp)

    response = client.post(CHANGE, _change(supporter.user.email, Role.ORGANISER, "grant"))

    assert response.status_code == 302
    assert response["Location"] == ROLES
    assert Role.ORGANISER in _fresh(supporter.user)
    assert _role_rows() == [
        (admin.pk, "role.grant", str(supporter.user.pk), "local group organiser")
    ]


def test_revoke_confirmed_takes_the_role_and_audits_it(client: Client) -> None:
    admin = _administrator(client)
    committee = role_holder_create(Role.COMMITTEE)

    response = client.post(CHANGE, _change(committee.email, Role.COMMITTEE, "revoke"))

    assert response.status_code == 302
    assert Role.COMMITTEE not in _fresh(committee)
    assert _role_rows() == [(admin.pk, "role.revoke", str(committee.pk), "committee member")]


def test_administrator_granted_and_revoked_can_then_use_the_admin_and_not(
    client: Client, clp
) -> None:
    _administrator(client)
    supporter = supporter_create(clp=clp)

    client.post(CHANGE, _change(supporter.user.email, Role.ADMINISTRATOR, "grant"))
    granted = User.objects.get(pk=supporter.user.pk)
    client.post(CHANGE, _change(supporter.user.email, Role.ADMINISTRATOR, "revoke"))
    revoked = User.objects.get(pk=supporter.user.pk)

    assert (granted.is_staff, granted.is_superuser) == (True, True)
    assert (revoked.is_staff, revoked.is_superuser) == (False, False)
    assert Role.ADMINISTRATOR not in user_roles(revoked)
    assert [row[1] for row in _role_rows()] == ["role.grant", "role.revoke"]


def test_superuser_loses_the_administrator_role_with_an_audit_row(client: Client) -> None:
    admin = _administrator(client)
    first = User.objects.create_superuser(email="first@example.org", name="First")

    response = client.post(CHANGE, _change(first.email, Role.ADMINISTRATOR, "revoke"))

    assert response.status_code == 302
    assert Role.ADMINISTRATOR not in _fresh(first)
    assert _role_rows() == [(admin.pk, "role.revoke", str(first.pk), "administrator")]


def test_last_administrator_cannot_revoke_themselves(client: Client) -> None:
    admin = _administrator(client)

    response = client.post(CHANGE, _change(admin.email, Role.ADMINISTRATOR, "revoke"))

    assert response.status_code == 400
    assert "is the last administrator" in response.content.decode()
    assert Role.ADMINISTRATOR in _fresh(admin)
    assert _role_rows() == []


def test_administrator_may_step_down_when_another_remains(client: Client) -> None:
    admin = _administrator(client)
    role_holder_create(Role.ADMINISTRATOR)

    response = client.post(CHANGE, _change(admin.email, Role.ADMINISTRATOR, "revoke"))

    assert response.status_code == 302
    assert Role.ADMINISTRATOR not in _fresh(admin)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (_change("nobody@example.org", Role.COMMITTEE, "grant"), "No account has the email"),
        (
            _change("x@example.org", Role.AFFILIATE_REPRESENTATIVE, "grant"),
            "Select a valid choice",
        ),
    ],
)
def test_bad_change_is_refused_on_the_page(
    client: Client, data: dict[str, Any], error: str
) -> None:
    _administrator(client)
    User.objects.create_user(email="x@example.org", name="X")

    response = client.post(CHANGE, data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert _role_rows() == []


def test_grant_of_a_role_already_held_is_refused(client: Client) -> None:
    _administrator(client)
    organiser = role_holder_create(Role.ORGANISER)

    response = client.post(CHANGE, _change(organiser.email, Role.ORGANISER, "grant"))

    assert response.status_code == 400
    assert f"{organiser.email} is already a local group organiser." in response.content.decode()
    assert _role_rows() == []


@pytest.mark.parametrize("item_count", [1, 3])
def test_roles_page_query_count(client: Client, django_assert_num_queries, item_count: int) -> None:
    _administrator(client)
    for _ in range(item_count):
        role_holder_create(Role.COMMITTEE)

    # session, user, supporter, groups (roles), holders, their groups
    with django_assert_num_queries(6):
        response = client.get(ROLES)

    assert len(response.context["holders"]) == item_count + 1


# The admin shows roles but cannot change them, and deletes no account.


def _superuser(client: Client) -> User:
    root = User.objects.create_superuser(email="root@example.org", name="Root")
    client.force_login(root)
    return root


def test_admin_cannot_change_an_accounts_roles(client: Client, clp) -> None:
    _superuser(client)
    supporter = supporter_create(clp=clp)
    administrators = Group.objects.get(name=Role.ADMINISTRATOR.value)
    url = f"/admin/people/user/{supporter.user.pk}/change/"

    form = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "email": supporter.user.email,
            "name": "Renamed",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [administrators.pk],
        },
    )

    assert 'name="groups"' not in form
    assert 'name="is_superuser"' not in form
    assert response.status_code == 302
    changed = User.objects.get(pk=supporter.user.pk)
    assert changed.name == "Renamed"
    assert (changed.is_staff, changed.is_superuser) == (False, False)
    assert user_roles(changed) == {Role.PUBLIC, Role.SUPPORTER}


def test_admin_cannot_delete_accounts(client: Client, clp) -> None:
    _superuser(client)
    supporter = supporter_create(clp=clp)

    changelist = client.get("/admin/people/user/").content.decode()
    delete = client.post(f"/admin/people/user/{supporter.user.pk}/delete/", {"post": "yes"})

    assert 'value="delete_selected"' not in changelist
    assert delete.status_code == 403
    assert User.objects.filter(pk=supporter.user.pk).exists()


def test_admin_has_no_groups_page(client: Client) -> None:
    _superuser(client)

    assert client.get("/admin/auth/group/").status_code == 404
    assert Group.objects.filter(name=Role.ADMINISTRATOR.value).exists()


# Affiliate representatives reach their organisation's pages from the menu.


def test_representative_finds_their_organisations_pages_from_the_menu(client: Client, clp) -> None:
    supporter = supporter_create(clp=clp)
    organisation = organisation_create(name="Fairer Votes Network")
    representative_create(organisation=organisation, supporter=supporter)
    client.force_login(supporter.user)

    home = client.get("/").content.decode()
    index = client.get("/organise/")
    members = client.get(f"/organise/organisations/{organisation.pk}/members/")

    assert '<a href="/organise/"' in home
    assert index.status_code == 200
    assert list(index.context["represented"]) == [organisation]
    assert f'href="/organise/organisations/{organisation.pk}/members/"' in index.content.decode()
    assert members.status_code == 200


def test_representative_whose_term_ended_sees_no_organisation(client: Client, clp) -> None:
    supporter = supporter_create(clp=clp)
    supporter.user.groups.add(Group.objects.get(name=Role.AFFILIATE_REPRESENTATIVE.value))
    client.force_login(supporter.user)

    index = client.get("/organise/")

    assert index.status_code == 200
    assert "None today" in index.content.decode()
