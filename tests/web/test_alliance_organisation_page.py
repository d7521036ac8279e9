"""An organisation's public page: its record, its current representatives on the committee,
its upcoming published events and its iCal feed, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.web.alliance import services
from grassroots.web.alliance.models import AffiliationStatus, Organisation, OrganisationKind
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.roles import Role
from tests.web.factories import (
    event_create,
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db


def _event(organisation: Organisation, title: str, **overrides: object) -> object:
    return event_create(
        title=title, organisation=organisation, organiser_name=organisation.name, **overrides
    )


def test_organisation_page_shows_record_representatives_and_events(
    client: Client, clp: Constituency
) -> None:
    group = organisation_create(name="Leeds Central Grassroots", kind="local", clps=[clp])
    other = organisation_create(name="Other Group")
    representative_create(organisation=group, name="Ann Current")
    ended = representative_create(organisation=group, name="Bob Former")
    ended.ended_on = timezone.localdate()
    ended.save()
    representative_create(organisation=other, name="Cat Elsewhere")
    _event(group, "Our meeting")
    _event(group, "Draft meeting", published=False)
    past = timezone.now() - timedelta(days=3)
    _event(group, "Last week", starts_at=past, ends_at=past + timedelta(hours=2))
    _event(other, "Their meeting")

    response = client.get("/organisations/leeds-central-grassroots/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Local group" in page
    assert f"{clp.name} ({clp.region})" in page
    assert f"Affiliated since {timezone.localdate():%-d %B %Y}" in page
    assert "Ann Current" in page
    assert "Bob Former" not in page
    assert "Cat Elsewhere" not in page
    assert "Our meeting" in page
    assert "Draft meeting" not in page
    assert "Last week" not in page
    assert "Their meeting" not in page
    assert 'href="/events/group/leeds-central-grassroots.ics" id="organisation-feed"' in page


def test_organisation_page_of_a_disaffiliated_organisation_says_so(client: Client) -> None:
    organisation_create(name="Gone Away", status="disaffiliated")

    page = client.get("/organisations/gone-away/").content.decode()

    assert f"Disaffiliated on {timezone.localdate():%-d %B %Y}" in page
    assert "Only affiliated organisations send representatives" in page


def test_organisation_page_never_shows_the_contact_person(client: Client) -> None:
    organisation_create(name="Quiet Org", contact_name="Dee Secret", contact_email="d@example.org")

    page = client.get("/organisations/quiet-org/").content.decode()

    assert "Dee Secret" not in page
    assert "d@example.org" not in page


def test_organisation_page_unknown_slug_is_404(client: Client) -> None:
    assert client.get("/organisations/nobody-here/").status_code == 404


def test_organisation_list_links_each_page(client: Client) -> None:
    organisation = organisation_create(name="Unite")

    page = client.get("/organisations/").content.decode()

    assert f'<tr id="organisation-{organisation.pk}">' in page
    assert '<a href="/organisations/unite/">Unite</a>' in page


@pytest.mark.parametrize("item_count", [1, 3])
def test_organisation_page_queries_are_fixed(
    client: Client, django_assert_num_queries, clp: Constituency, item_count: int
) -> None:
    group = organisation_create(name="Counted Group", kind="local", clps=[clp])
    for number in range(item_count):
        representative_create(
            organisation=group, supporter=supporter_create(clp=clp), name=f"Rep {number}"
        )
        _event(group, f"Meeting {number}")

    # The organisation, its CLPs, its current representatives, its upcoming events.
    with django_assert_num_queries(4):
        response = client.get("/organisations/counted-group/")

    assert response.content.decode().count("Meeting ") == item_count


def test_organisation_slug_follows_a_rename() -> None:
    actor = role_holder_create(Role.ORGANISER)
    organisation = services.organisation_create(
        actor=actor,
        name="Renters' Voice",
        kind=OrganisationKind.NATIONAL,
        status=AffiliationStatus.PENDING,
    )
    assert organisation.slug == "renters-voice"

    services.organisation_update(
        actor=actor,
        organisation=organisation,
        name="Renters Voice Network",
        kind=OrganisationKind.NATIONAL,
        status=AffiliationStatus.PENDING,
    )

    organisation.refresh_from_db()
    assert organisation.slug == "renters-voice-network"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param("Renters Voice", "same web address", id="same-slug"),
        pytest.param("!!!", "a letter or a digit", id="empty-slug"),
    ],
)
def test_organisation_create_refuses_a_name_without_its_own_address(
    name: str, message: str
) -> None:
    actor = role_holder_create(Role.ORGANISER)
    organisation_create(name="Renters' Voice")

    with pytest.raises(DomainError) as err:
        services.organisation_create(
            actor=actor,
            name=name,
            kind=OrganisationKind.NATIONAL,
            status=AffiliationStatus.PENDING,
        )

    assert err.value.field == "name"
    assert message in err.value.message
    assert Organisation.objects.count() == 1
