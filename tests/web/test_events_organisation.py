"""An event's organising group linked to an affiliated organisation (or only named)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from grassroots.web.alliance.models import Organisation
from grassroots.web.events.models import Event
from grassroots.web.people.roles import Role
from tests.web.factories import event_create, organisation_create
from tests.web.test_events_organise import event_data

pytestmark = pytest.mark.django_db


def test_event_create_with_an_organisation_takes_its_name_and_feed(
    client: Client, make_role_holder
) -> None:
    organisation = organisation_create(name="Fairshare Health Network")
    client.force_login(make_role_holder(Role.ORGANISER))

    response = client.post(
        "/events/new/", event_data(organisation=organisation.pk, organiser_name="")
    )

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.organisation == organisation
    assert event.organiser_name == "Fairshare Health Network"
    assert event.organiser_slug == "fairshare-health-network"


def test_event_create_without_organisation_keeps_the_typed_name(
    client: Client, make_role_holder
) -> None:
    client.force_login(make_role_holder(Role.ORGANISER))

    client.post("/events/new/", event_data())

    event = Event.objects.get()
    assert (event.organisation, event.organiser_name) == (None, "Leeds Grassroots")


def test_event_create_needs_an_organisation_or_a_name(client: Client, make_role_holder) -> None:
    client.force_login(make_role_holder(Role.ORGANISER))

    response = client.post("/events/new/", event_data(organiser_name=""))

    assert response.status_code == 400
    assert response.context["form"].errors["organiser_name"] == [
        "Name the organising group, or choose an affiliated organisation."
    ]
    assert Event.objects.count() == 0


@pytest.mark.parametrize("status", ["pending", "disaffiliated"])
def test_event_create_with_an_unaffiliated_organisation_refused(
    client: Client, make_role_holder, status: str
) -> None:
    organisation = organisation_create(status=status)
    client.force_login(make_role_holder(Role.ORGANISER))

    response = client.post("/events/new/", event_data(organisation=organisation.pk))

    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert Event.objects.count() == 0


def test_event_form_offers_affiliated_organisations_only(client: Client, make_role_holder) -> None:
    affiliated = organisation_create(name="Affiliated One")
    organisation_create(name="Pending One", status="pending")
    client.force_login(make_role_holder(Role.ORGANISER))

    choices = client.get("/events/new/").context["form"].fields["organisation"].queryset

    assert list(choices) == [affiliated]


def test_event_edit_keeps_an_organisation_that_has_since_disaffiliated(
    client: Client, make_role_holder
) -> None:
    organisation = organisation_create(name="Old Friends")
    event = event_create(organiser_name="Old Friends", organisation=organisation)
    Organisation.objects.filter(pk=organisation.pk).update(
        status="disaffiliated", disaffiliated_on=organisation.affiliated_on
    )
    client.force_login(make_role_holder(Role.COMMITTEE))

    page = client.get(f"/events/{event.pk}/edit/")
    assert page.context["form"].initial["organisation"] == organisation.pk
    response = client.post(
        f"/events/{event.pk}/edit/",
        event_data(organisation=organisation.pk, organiser_name="", title="Renamed"),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.organisation) == ("Renamed", organisation)


def test_event_detail_links_the_organisation_page(client: Client) -> None:
    organisation = organisation_create(name="Fairshare Health Network")
    event = event_create(
        organiser_name="Fairshare Health Network", published=True, organisation=organisation
    )

    body = client.get(f"/events/{event.pk}/").content.decode()

    assert 'href="/organisations/fairshare-health-network/" id="event-organisation"' in body
    assert "/events/group/fairshare-health-network.ics" in body
    page = client.get("/organisations/fairshare-health-network/")
    assert page.status_code == 200
    assert escape(event.title) in page.content.decode()  # the organisation's page lists it


def test_event_detail_query_count_with_organisation(
    client: Client, django_assert_num_queries
) -> None:
    organisation = organisation_create()
    event = event_create(published=True, organisation=organisation)

    # the event with its CLP, organisation and contact, then its speakers; twice (to show it,
    # and to check whether the viewer may edit it); and how many replied (going, waiting)
    with django_assert_num_queries(5):
        response = client.get(f"/events/{event.pk}/")

    assert response.status_code == 200


def test_group_feed_includes_linked_and_named_events_alike(client: Client) -> None:
    organisation = organisation_create(name="Fairshare Health Network")
    event_create(
        organiser_name="Fairshare Health Network", published=True, organisation=organisation
    )
    event_create(organiser_name="Fairshare Health Network", published=True)

    feed = client.get("/events/group/fairshare-health-network.ics").content.decode()

    assert feed.count("BEGIN:VEVENT") == 2
