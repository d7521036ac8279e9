"""Organisers create, edit, publish and unpublish events; bad input stores nothing; every
change is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.events.models import Event
from grassroots.web.people.roles import Role
from tests.web.factories import event_create, speaker_create

pytestmark = pytest.mark.django_db


def event_data(**overrides: Any) -> dict[str, Any]:
    """A valid event form submission (times are UK time)."""
    data = {
        "title": "Leeds supporters' meeting",
        "kind": "local_meeting",
        "starts_at": "2031-07-01T19:00",
        "ends_at": "2031-07-01T21:00",
        "venue": "Community Centre",
        "address": "1 Example Street, Leeds",
        "online_url": "",
        "organiser_name": "Leeds Grassroots",
        "contact_email": "",
        "clp": "Leeds Central and Headingley",
        "description": "All welcome.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_event_create_by_organiser_saves_a_draft_and_audits(
    client: Client, make_role_holder, make_supporter, clp
) -> None:
    organiser = make_role_holder(Role.ORGANISER)
    contact = make_supporter(clp=clp, name="Owen Parry", email="owen@example.org")
    speaker = speaker_create(name="Grace Lloyd")
    client.force_login(organiser)

    response = client.post(
        "/events/new/",
        event_data(contact_email="OWEN@example.org", speakers=[speaker.pk]),
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.pk}/"
    assert event.published is False
    assert event.created_by == organiser
    assert (event.contact, event.contact_email) == (None, "owen@example.org")  # asked first
    assert contact.user.email == event.contact_email
    assert event.constituency == clp
    assert event.organiser_slug == "leeds-grassroots"
    assert event.starts_at.isoformat() == "2031-07-01T18:00:00+00:00"  # 19:00 BST
    assert list(event.speakers.all()) == [speaker]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.object_id) == (
        "event.create",
        organiser.pk,
        str(event.pk),
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ends_at", "2031-07-01T18:00", "The event must end after it starts."),
        ("title", "   ", "This field is required."),
        ("clp", "Atlantis", "Choose a constituency from the list, or leave it empty."),
        ("contact_email", "not an address", "Enter a valid email address."),
        ("starts_at", "soon", "Enter a valid date/time."),
        ("kind", "party", "Select a valid choice. party is not one of the available choices."),
        ("online_url", "not a link", "Enter a valid URL."),
        ("organiser_name", "!!!", "Name the organising group (letters or digits)."),
    ],
)
def test_event_create_bad_input_shows_error_next_to_field_and_stores_nothing(
    client: Client, make_role_holder, field: str, value: str, message: str
) -> None:
    client.force_login(make_role_holder(Role.COMMITTEE))

    response = client.post("/events/new/", event_data(**{field: value}))

    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Event.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_event_create_by_public_goes_to_login(client: Client) -> None:
    response = client.get("/events/new/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_event_create_by_supporter_refused(client: Client, make_supporter, clp) -> None:
    client.force_login(make_supporter(clp=clp).user)

    response = client.post("/events/new/", event_data())

    assert response.status_code == 404
    assert Event.objects.count() == 0


def test_event_edit_by_committee_changes_event_and_audits_the_fields(
    client: Client, make_role_holder
) -> None:
    event = event_create(title="Old title")
    committee = make_role_holder(Role.COMMITTEE)
    client.force_login(committee)
    form = client.get(f"/events/{event.pk}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if name != "speakers"}
    uid = event.uid

    response = client.post(f"/events/{event.pk}/edit/", data | {"title": "New title"})

    event.refresh_from_db()
    assert response.status_code == 302
    assert event.title == "New title"
    assert event.uid == uid
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.summary) == ("event.update", "title")


def test_event_edit_of_another_organisers_event_missing(client: Client, make_role_holder) -> None:
    event = event_create(created_by=make_role_holder(Role.ORGANISER))
    client.force_login(make_role_holder(Role.ORGANISER))

    response = client.post(f"/events/{event.pk}/edit/", event_data(title="Taken over"))

    event.refresh_from_db()
    assert response.status_code == 404
    assert event.title == "Supporters' meeting"


def test_event_publish_then_unpublish_by_its_organiser(client: Client, make_role_holder) -> None:
    organiser = make_role_holder(Role.ORGANISER)
    event = event_create(published=False, created_by=organiser)
    client.force_login(organiser)

    client.post(f"/events/{event.pk}/publish/", {"action": "publish"})
    listed = [e.pk for e in client.get("/events/").context["events"]]
    client.post(f"/events/{event.pk}/publish/", {"action": "unpublish"})

    event.refresh_from_db()
    assert listed == [event.pk]
    assert event.published is False
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "event.publish",
        "event.unpublish",
    ]


def test_event_publish_twice_changes_nothing_more(client: Client, make_role_holder) -> None:
    event = event_create(published=True)
    client.force_login(make_role_holder(Role.ADMINISTRATOR))

    response = client.post(f"/events/{event.pk}/publish/", {"action": "publish"}, follow=True)

    assert "This event is already published." in response.content.decode()
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("item_count", [1, 3])
def test_event_organise_list_query_count(
    client: Client, make_role_holder, clp, django_assert_num_queries, item_count: int
) -> None:
    organiser = make_role_holder(Role.ORGANISER)
    for number in range(item_count):
        event_create(title=f"Mine {number}", created_by=organiser, constituency=clp)
    event_create(title="Someone else's")
    client.force_login(organiser)

    with django_assert_num_queries(5):  # session, user, supporter?, groups, events
        response = client.get("/events/organise/")

    assert len(response.context["events"]) == item_count
