"""Applying to affiliate: the public form, the committee's yes/no ballot of its
representatives, the decision it gives, the organisation and its seats, and naming them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from grassroots.web.affiliation import services
from grassroots.web.affiliation.models import Application, ApplicationStatus
from grassroots.web.alliance.models import AffiliationStatus, Organisation, Representative
from grassroots.web.alliance.selectors import committee_get
from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Electorate, Method
from grassroots.web.ballots.selectors import electorate_users
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_open_with_tokens, option_ids
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)

pytestmark = pytest.mark.django_db


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Leeds Tenants Union",
        "kind": "local",
        "clps": "Leeds Central and Headingley\nLeeds East",
        "contact_name": "Cara Contact",
        "contact_email": "cara@example.org",
        "statement": "We organise tenants.",
        "decision": "A vote at our general meeting.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def committee(clp: Constituency) -> list[Any]:
    """Two committee representatives with accounts."""
    people = [supporter_create(clp=clp, name=name) for name in ("Rita Rep", "Rob Rep")]
    organisation = organisation_create(name="Unity Union")
    for person in people:
        representative_create(organisation=organisation, supporter=person)
    return people


def _vote(ballot: Any, votes: list[str], django_capture_on_commit_callbacks: Any) -> None:
    """Open the ballot, cast ``votes`` with the emailed links, close and publish it."""
    tokens = ballot_open_with_tokens(ballot)
    for token, choice in zip(tokens, votes, strict=True):
        ballot_services.ballot_cast(credential_token=token, ranking=option_ids(ballot, choice))
    ballot_services.ballot_close(actor=None, ballot=ballot)
    ballot_services.ballot_publish(actor=None, ballot=ballot)


def test_a_group_applies_through_the_public_form(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/affiliate/", _form())

    assert response["Location"] == "/affiliate/thanks/"
    application = Application.objects.get()
    assert sorted(c.name for c in application.constituencies.all()) == [
        "Leeds Central and Headingley",
        "Leeds East",
    ]
    assert application.status == ApplicationStatus.RECEIVED
    [message] = mail.outbox
    assert message.to == ["cara@example.org"]
    entry = AuditEntry.objects.get(action="application.submit")
    assert entry.summary == "local, 2 CLPs"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"clps": "Leeds Central and Headingley\nNowhere"}, "clps", "Line 2: no CLP is called"),
        ({"clps": ""}, "clps", "Name at least one CLP"),
        ({"kind": "national"}, "clps", "A national organisation covers no one CLP"),
        ({"name": "Unity Union"}, "name", "An organisation with this name"),
    ],
)
def test_a_wrong_application_is_refused_on_its_field(
    client: Client, change: dict[str, str], field: str, message: str
) -> None:
    organisation_create(name="Unity Union")

    response = client.post("/affiliate/", _form(**change))

    assert response.status_code == 400
    assert response.context["form"].errors[field][0].startswith(message)
    assert Application.objects.count() == 0


def test_accepted_by_a_committee_ballot_the_organisation_gains_its_seats(
    client: Client, committee: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    organiser = role_holder_create(Role.ORGANISER)
    client.post("/affiliate/", _form())
    application = Application.objects.get()
    seats_before = committee_get().seats
    organiser_client = Client()
    organiser_client.force_login(organiser)

    organiser_client.post(f"/organise/applications/{application.pk}/ballot/")
    application.refresh_from_db()
    ballot = application.ballot
    assert (ballot.method, ballot.electorate) == (Method.YES_NO, Electorate.COMMITTEE)
    assert sorted(u.name for u in electorate_users(ballot=ballot)) == ["Rita Rep", "Rob Rep"]
    _vote(ballot, ["Yes", "Yes"], django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"/organise/applications/{application.pk}/decide/")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    organisation = Organisation.objects.get(name="Leeds Tenants Union")
    assert organisation.status == AffiliationStatus.AFFILIATED
    assert committee_get().seats == seats_before + 1
    [message] = mail.outbox
    assert message.to == ["cara@example.org"]
    assert "It has 1 seat on the committee" in message.body
    link = message.body.split("http://testserver", 2)[-1].split()[0]

    page = Client().get(link).content.decode()
    assert "1 seat on the organising committee still to fill" in page
    with django_capture_on_commit_callbacks(execute=True):
        named = Client().post(
            link, {"name": "Tess Tenant", "email": "tess@example.org", "method": "agm"}
        )
    assert named.status_code == 302
    seat = Representative.objects.get(organisation=organisation)
    assert (seat.name, seat.email, seat.named_at) == ("Tess Tenant", "tess@example.org", None)
    assert mail.outbox[-1].to == ["tess@example.org"]
    refused = Client().post(link, {"name": "Too Many", "email": "x@example.org", "method": "agm"})
    assert refused.status_code == 400
    actions = list(
        AuditEntry.objects.filter(object_type="application")
        .order_by("pk")
        .values_list("action", "summary")
    )
    assert actions == [
        ("application.submit", "local, 2 CLPs"),
        ("application.ballot", f"ballot {ballot.pk}"),
        ("application.decide", f"accepted by ballot {ballot.pk}"),
    ]


def test_a_ballot_with_more_no_than_yes_declines(
    client: Client, committee: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    organiser = role_holder_create(Role.ORGANISER)
    client.post("/affiliate/", _form())
    application = services.application_ballot_create(
        actor=organiser, application=Application.objects.get()
    )
    _vote(application.ballot, ["No", "No"], django_capture_on_commit_callbacks)

    services.application_decide(actor=organiser, application=application, site_url="")

    assert Application.objects.get().status == ApplicationStatus.DECLINED
    assert not Organisation.objects.filter(name="Leeds Tenants Union").exists()


def test_no_decision_before_the_ballot_is_published(client: Client, committee: list[Any]) -> None:
    organiser = role_holder_create(Role.ORGANISER)
    client.post("/affiliate/", _form())
    application = services.application_ballot_create(
        actor=organiser, application=Application.objects.get()
    )

    with pytest.raises(DomainError) as refused:
        services.application_decide(actor=organiser, application=application, site_url="")

    assert refused.value.message == "The committee's ballot is not published yet."


def test_a_forged_naming_link_shows_nothing(client: Client) -> None:
    response = client.get("/affiliate/representatives/forged/")

    assert response.status_code == 404


def test_erasing_the_contact_empties_the_application(client: Client, clp: Constituency) -> None:
    from grassroots.web.people.services import person_erase

    contact = supporter_create(clp=clp, email="cara@example.org")
    client.post("/affiliate/", _form())

    person_erase(person=contact.user)

    application = Application.objects.get()
    assert (application.contact_name, application.contact_email) == ("", "")
