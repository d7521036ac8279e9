"""A slate ballot of several weighted organisations: the organiser names them on the slate
ballot's page, each with a weight; the ballot stores them through ``ballot_create`` and its
frozen roll weighs each organisation's members by the shares (docs/ballots.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots.models import (
    Ballot,
    BallotElectorateOrganisation,
    Electorate,
    VoterRollEntry,
)
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Section
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from grassroots.web.slates import services
from grassroots.web.slates.models import SlateSelection
from tests.web.ballot_factories import ballot_open_with_tokens
from tests.web.election_factories import election_create, section_get
from tests.web.factories import (
    organisation_create,
    representative_create,
    role_holder_create,
    supporter_create,
)
from tests.web.slate_factories import nominations_submit

pytestmark = pytest.mark.django_db

PEOPLE = [("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M"), ("Dev Dale", "M")]


@pytest.fixture
def section() -> Section:
    return section_get(election_create())  # the CLP section: 9 seats, at least 4 women


@pytest.fixture
def organiser(section: Section) -> User:
    organiser = role_holder_create(Role.ORGANISER)
    nominations_submit(
        actor=organiser, organisation=organisation_create(), section=section, people=PEOPLE
    )
    return organiser


def _organisation(name: str, members: int, clp: Constituency) -> Any:
    organisation = organisation_create(name=name)
    for _ in range(members):
        representative_create(organisation=organisation, supporter=supporter_create(clp=clp))
    return organisation


def _post(client: Client, section: Section, **overrides: str) -> Any:
    data = {
        "slate_size": "2",
        "closes_at": "2030-01-08T09:00",
        "electorate": Electorate.ORGANISATIONS.value,
        "organisations": "",
    }
    data.update(overrides)
    url = reverse("slates:slate_ballot", args=(section.election.slug, section.slug))
    return client.post(url, data)


def test_slate_ballot_page_with_weighted_organisations_freezes_a_weighted_roll(
    client: Client, section: Section, organiser: User, clp: Constituency
) -> None:
    unite = _organisation("Unite", 3, clp)
    momentum = _organisation("Momentum", 2, clp)
    nurses = _organisation("Nurses for the Left", 4, clp)
    client.force_login(organiser)

    response = _post(
        client, section, organisations="unite = 2\nMomentum = 1\nNurses for the Left = 1"
    )

    ballot = Ballot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ballots/{ballot.slug}/manage/"
    assert ballot.electorate == Electorate.ORGANISATIONS
    shares = BallotElectorateOrganisation.objects.filter(ballot=ballot).order_by("organisation_id")
    assert [(s.organisation, s.weight) for s in shares] == [(unite, 2), (momentum, 1), (nurses, 1)]
    assert SlateSelection.objects.get().ballot == ballot
    summary = AuditEntry.objects.get(action="slate_ballot.create").summary
    assert summary.endswith(", 3 weighted organisations")

    ballot_open_with_tokens(ballot)

    # By hand: L = lcm(3, 2, 4) = 12. Unite's 3 members weigh 2 × 12 / 3 = 8 each (24 in
    # all), Momentum's 2 weigh 1 × 12 / 2 = 6 (12), the Nurses' 4 weigh 1 × 12 / 4 = 3 (12):
    # 24 : 12 : 12 is 2 : 1 : 1, the shares. The roll is by user id, Unite's members first.
    weights = list(
        VoterRollEntry.objects.filter(ballot=ballot)
        .order_by("person_id")
        .values_list("weight", flat=True)
    )
    assert weights == [8, 8, 8, 6, 6, 3, 3, 3, 3]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"electorate": "organisations", "organisations": ""},
            "Name at least two organisations, one a line with its weight.",
            id="none",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite = 1"},
            "Name at least two organisations, one a line with its weight.",
            id="one",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite = 0\nMomentum = 1"},
            "Unite's weight must be a whole number from 1.",
            id="zero-weight",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite = -1\nMomentum = 1"},
            "'Unite = -1': write the organisation's name, = and a weight, a whole number: "
            "Unite = 2.",
            id="negative-weight",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite = 1\nMomentum = 2\nUNITE = 3"},
            "Unite is named twice: name it once.",
            id="twice",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite = 1\nNobody = 2"},
            "No affiliated organisation is called 'Nobody'.",
            id="unknown",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite = 1\nMomentun = 2"},
            "No affiliated organisation is called 'Momentun'. Did you mean Momentum?",
            id="misspelt",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite = 1\nGone = 2"},
            "Gone is no longer affiliated, so it cannot take part.",
            id="disaffiliated",
        ),
        pytest.param(
            {"electorate": "supporters", "organisations": "Unite = 1\nMomentum = 2"},
            "Only a ballot of several organisations lists them: choose that electorate, "
            "or leave this empty.",
            id="another-electorate",
        ),
    ],
)
def test_slate_ballot_page_refuses_bad_organisations_beside_the_field(
    client: Client,
    section: Section,
    organiser: User,
    overrides: dict[str, str],
    message: str,
) -> None:
    organisation_create(name="Unite")
    organisation_create(name="Momentum")
    organisation_create(name="Gone", status="disaffiliated")
    client.force_login(organiser)

    response = _post(client, section, **overrides)

    assert response.status_code == 400
    assert response.context["form"].errors == {"organisations": [message]}
    page = response.content.decode()
    error = page.split('<div id="id_organisations_error">')[1].split("</div>")[0]
    assert message.replace("'", "&#x27;") in error
    assert Ballot.objects.count() == 0
    assert SlateSelection.objects.count() == 0


def test_slate_ballot_create_refuses_an_organisation_twice_and_stores_nothing(
    section: Section, organiser: User
) -> None:
    unite = organisation_create(name="Unite")

    with pytest.raises(DomainError) as err:
        services.slate_ballot_create(
            actor=organiser,
            section=section,
            slate_size=2,
            closes_at=timezone.now() + timedelta(days=7),
            electorate=Electorate.ORGANISATIONS,
            organisations=[(unite, 1), (unite, 2)],
        )

    assert (err.value.field, err.value.message) == (
        "organisations",
        "Each organisation may be named once.",
    )
    assert Ballot.objects.count() == 0
    assert SlateSelection.objects.count() == 0
    assert (
        AuditEntry.objects.filter(action__in=["ballot.create", "slate_ballot.create"]).count() == 0
    )
