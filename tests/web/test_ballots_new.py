"""The form at /ballots/new/: organisers and administrators create a draft ballot through
``ballot_create``; bad input is shown beside its field and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots.models import Ballot, BallotElectorateOrganisation, Status
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.factories import organisation_create

pytestmark = pytest.mark.django_db


def _data(**overrides: str) -> dict[str, str]:
    data = {
        "question": "Who should be on the CLP slate?",
        "slug": "clp-slate",
        "description": "",
        "method": "stv",
        "rule": "scottish",
        "seats": "2",
        "options": "Ann, F\nBea, F\nCal, M\nDev, M\n",
        "quotas": "min F=1",
        "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-01-08T09:00",
        "electorate": "supporters",
        "organisations": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.ADMINISTRATOR])
def test_ballot_new_by_an_officer_stores_a_draft_and_audits(
    client: Client, make_role_holder: Callable[[Role], User], role: Role
) -> None:
    officer = make_role_holder(role)
    client.force_login(officer)

    response = client.post("/ballots/new/", _data())

    assert response.status_code == 302
    assert response["Location"] == "/ballots/clp-slate/manage/"
    ballot = Ballot.objects.get()
    assert ballot.status == Status.DRAFT
    assert ballot.returning_officer == officer
    assert ballot.seats == 2
    assert ballot.quotas == {"F": {"min": 1}}
    assert list(ballot.options.values_list("name", "category")) == [
        ("Ann", "F"),
        ("Bea", "F"),
        ("Cal", "M"),
        ("Dev", "M"),
    ]
    assert AuditEntry.objects.filter(action="ballot.create", actor_id=officer.pk).count() == 1


def test_ballot_new_with_weighted_organisations_stores_the_shares(
    client: Client, make_role_holder: Callable[[Role], User]
) -> None:
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    client.force_login(make_role_holder(Role.ORGANISER))

    response = client.post(
        "/ballots/new/",
        _data(
            method="irv",
            seats="1",
            quotas="",
            electorate="organisations",
            organisations="unite = 1\nMomentum = 2",
        ),
    )

    assert response.status_code == 302
    shares = BallotElectorateOrganisation.objects.order_by("weight")
    assert [(s.organisation, s.weight) for s in shares] == [(unite, 1), (momentum, 2)]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param({"quotas": "at least 4 women"}, "quotas", "write min F=4", id="quota-line"),
        pytest.param({"quotas": "min X=1"}, "quotas", "names no option", id="quota-category"),
        pytest.param({"options": "Ann, F"}, "options", "at least two", id="one-option"),
        pytest.param({"seats": "4"}, "seats", "fewer than the options", id="seats"),
        pytest.param(
            {"closes_at": "2029-12-31T09:00"}, "closes_at", "close after it opens", id="dates"
        ),
        pytest.param({"slug": "new"}, "slug", "taken by the site", id="reserved-slug"),
        pytest.param(
            {"electorate": "organisations", "organisations": "Nobody = 1"},
            "organisations",
            "No affiliated organisation",
            id="unknown-organisation",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite"},
            "organisations",
            "a weight",
            id="no-weight",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite = 0\nMomentum = 1"},
            "organisations",
            "whole number from 1",
            id="zero-weight",
        ),
        pytest.param(
            {
                "options": "Ann, F\nBea, F\nCal, F\nDev, M\nEve, M\nFay, M",
                "seats": "5",
                "quotas": "min F=4",
            },
            "quotas",
            "only 3 of the options are F",
            id="quota-more-than-stand",
        ),
        pytest.param(
            {"quotas": "min F=2\nmin M=1"},
            "quotas",
            "No result could meet these quotas",
            id="quota-minimums-above-seats",
        ),
        pytest.param(
            {"options": "Ann, F\n" + "B" * 151 + ", F\nCal, M"},
            "options",
            "at most 150 characters",
            id="option-name-too-long",
        ),
        pytest.param(
            {"options": "Ann, F\nBea, " + "F" * 31 + "\nCal, M", "quotas": ""},
            "options",
            "a category may have at most 30 characters",
            id="category-too-long",
        ),
        pytest.param(
            {"question": "Who should stand?\nBcc: everyone@example.org"},
            "question",
            "on one line",
            id="question-newline",
        ),
        pytest.param(
            {"electorate": "organisations", "organisations": "Unite = 2147483648\nMomentum = 1"},
            "organisations",
            "at most 2,147,483,647",
            id="weight-too-big",
        ),
    ],
)
def test_ballot_new_bad_input_is_shown_by_its_field_and_nothing_stored(
    client: Client,
    make_role_holder: Callable[[Role], User],
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    organisation_create(name="Unite")
    organisation_create(name="Momentum")
    client.force_login(make_role_holder(Role.ORGANISER))

    response = client.post("/ballots/new/", _data(**overrides))

    assert response.status_code == 400
    errors: Any = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert Ballot.objects.count() == 0
    assert AuditEntry.objects.filter(action="ballot.create").count() == 0


def test_ballot_new_is_not_found_for_a_supporter(
    client: Client, make_supporter: Callable[..., Supporter], clp: Any
) -> None:
    client.force_login(make_supporter(clp=clp).user)

    get = client.get("/ballots/new/")
    post = client.post("/ballots/new/", _data())

    assert (get.status_code, post.status_code) == (404, 404)
    assert Ballot.objects.count() == 0


def test_ballot_list_links_to_the_form_for_officers_only(
    client: Client, make_role_holder: Callable[[Role], User]
) -> None:
    anonymous = client.get("/ballots/").content.decode()
    client.force_login(make_role_holder(Role.ORGANISER))
    officer = client.get("/ballots/").content.decode()

    assert 'href="/ballots/new/"' not in anonymous
    assert 'href="/ballots/new/"' in officer
