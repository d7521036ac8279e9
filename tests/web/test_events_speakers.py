"""The speakers directory: listed speakers for everyone, contacts and unlisted speakers for
organisers only; organisers add and edit entries."""

from __future__ import annotations

import pytest
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.events.models import Speaker
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.factories import speaker_create

pytestmark = pytest.mark.django_db


def test_speaker_list_public_sees_listed_speakers_without_contacts(client: Client) -> None:
    speaker_create(name="Grace Lloyd", contact="grace@example.org")
    speaker_create(name="Niall Robertson", listed=False)

    response = client.get("/speakers/")

    html = response.content.decode()
    assert [s.name for s in response.context["speakers"]] == ["Grace Lloyd"]
    assert "grace@example.org" not in html
    assert "Niall Robertson" not in html


def test_speaker_list_organiser_sees_every_speaker_and_contacts(
    client: Client, make_role_holder
) -> None:
    speaker_create(name="Grace Lloyd", contact="grace@example.org")
    speaker_create(name="Niall Robertson", listed=False)
    client.force_login(make_role_holder(Role.ORGANISER))

    response = client.get("/speakers/")

    assert [s.name for s in response.context["speakers"]] == ["Grace Lloyd", "Niall Robertson"]
    assert "grace@example.org" in response.content.decode()


def test_speaker_create_by_committee_sets_region_from_clp_and_audits(
    client: Client, make_role_holder, clp
) -> None:
    client.force_login(make_role_holder(Role.COMMITTEE))

    response = client.post(
        "/speakers/new/",
        {"name": "Grace Lloyd", "topics": "Party democracy", "clp": clp.name, "listed": "on"},
    )

    speaker = Speaker.objects.get()
    assert response.status_code == 302
    assert (speaker.region, speaker.listed) == (clp.region, True)
    assert AuditEntry.objects.get().action == "speaker.create"


def test_speaker_create_bad_clp_shows_error_and_stores_nothing(
    client: Client, make_role_holder
) -> None:
    client.force_login(make_role_holder(Role.COMMITTEE))

    response = client.post("/speakers/new/", {"name": "Grace Lloyd", "clp": "Atlantis"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["clp"]
    assert Speaker.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_speaker_edit_withdraws_listing(client: Client, make_role_holder) -> None:
    speaker = speaker_create(name="Grace Lloyd")
    client.force_login(make_role_holder(Role.ADMINISTRATOR))

    client.post(f"/speakers/{speaker.pk}/edit/", {"name": "Grace Lloyd"})

    speaker.refresh_from_db()
    assert speaker.listed is False
    assert AuditEntry.objects.get().summary == "not listed"


def test_speaker_edit_by_supporter_missing(client: Client, make_supporter, clp) -> None:
    speaker = speaker_create(name="Grace Lloyd")
    client.force_login(make_supporter(clp=clp).user)

    response = client.post(f"/speakers/{speaker.pk}/edit/", {"name": "Changed"})

    speaker.refresh_from_db()
    assert response.status_code == 404
    assert speaker.name == "Grace Lloyd"


@pytest.mark.parametrize("item_count", [1, 3])
def test_speaker_list_query_count(
    client: Client, clp, django_assert_num_queries, item_count: int
) -> None:
    for _ in range(item_count):
        speaker_create(constituency=clp)

    with django_assert_num_queries(1):  # speakers with their CLPs
        response = client.get("/speakers/")

    assert len(response.context["speakers"]) == item_count


def test_speaker_added_in_admin_is_audited(client: Client) -> None:
    admin = User.objects.create_superuser(email="root@example.org")
    client.force_login(admin)

    response = client.post(
        "/admin/events/speaker/add/",
        {"name": "Grace Lloyd", "created_at_0": "2031-07-01", "created_at_1": "12:00:00"},
    )

    speaker = Speaker.objects.get()
    entry = AuditEntry.objects.get()
    assert response.status_code == 302
    assert (entry.action, entry.actor_id, entry.object_id) == (
        "speaker.admin_add",
        admin.pk,
        str(speaker.pk),
    )
