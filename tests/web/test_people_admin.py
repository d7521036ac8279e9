"""Data requests in the admin: an administrator erases a supporter as they would themselves."""

from __future__ import annotations

import pytest
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Consent, Message, Supporter, User
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/people/supporter/"


def _administrator(client: Client) -> User:
    admin = User.objects.create_superuser(email="root@example.org", name="Root")
    client.force_login(admin)
    return admin


def test_erase_action_removes_everything_and_audits_the_administrator(
    client: Client, clp: Constituency
) -> None:
    admin = _administrator(client)
    leaving = supporter_create(clp=clp, name="Leaving Person")
    staying = supporter_create(clp=clp)
    Message.objects.create(sender=staying, recipient=leaving, body="hello")

    response = client.post(
        CHANGELIST, {"action": "erase", "_selected_action": [leaving.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "Erased 1 supporter(s) and their data." in response.content.decode()
    assert not User.objects.filter(pk=leaving.pk).exists()
    assert not Consent.objects.filter(supporter_id=leaving.pk).exists()
    assert Message.objects.count() == 0
    assert Supporter.objects.filter(pk=staying.pk).exists()
    entry = AuditEntry.objects.get(action="person.erase")
    assert (entry.actor_id, entry.object_id) == (admin.pk, "")
    assert "Leaving" not in entry.summary


def test_supporters_cannot_be_deleted_half_way_in_the_admin(
    client: Client, clp: Constituency
) -> None:
    _administrator(client)
    supporter = supporter_create(clp=clp)

    page = client.get(CHANGELIST).content.decode()
    assert 'value="erase"' in page
    assert 'value="delete_selected"' not in page
    assert client.get(f"{CHANGELIST}{supporter.pk}/delete/").status_code == 403
    assert User.objects.filter(pk=supporter.pk).exists()


def test_erase_action_on_accounts_erases_one_without_a_supporter_record(client: Client) -> None:
    from grassroots.web.people.roles import Role
    from tests.web.factories import role_holder_create

    admin = _administrator(client)
    organiser = role_holder_create(Role.ORGANISER)

    response = client.post(
        "/admin/people/user/", {"action": "erase", "_selected_action": [organiser.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "Erased 1 account(s) and their data." in response.content.decode()
    assert not User.objects.filter(pk=organiser.pk).exists()
    assert User.objects.filter(pk=admin.pk).exists()
    assert AuditEntry.objects.get(action="person.erase").actor_id == admin.pk
    assert client.get(f"/admin/people/user/{admin.pk}/delete/").status_code == 403
