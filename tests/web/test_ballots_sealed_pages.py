"""Sealed ballots' pages through the client: the officer names trustees and the threshold,
a trustee sees each step's command and sends files (a bad one refused beside the field),
and the board and bundle are published."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grassroots.seal.trustee import trustee_keys_make
from grassroots.web.ballots.models import SealedElection, Trustee
from grassroots.web.mail.models import Email
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_create
from tests.web.factories import role_holder_create
from tests.web.sealed_factories import election_id, sealed_ballot_create, voter_create

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_officer_names_trustees_and_threshold_on_the_management_page() -> None:
    officer = role_holder_create(Role.ORGANISER)
    ballot = ballot_create(actor=officer, sealed=True)
    people = [voter_create(f"Tess {i}") for i in (1, 2, 3)]
    client = _client(officer)

    for person in people:
        client.post(f"/ballots/{ballot.slug}/manage/trustee/", {"trustee-email": person.email})
    response = client.post(f"/ballots/{ballot.slug}/manage/threshold/", {"threshold": "3"})

    assert response.status_code == 302
    assert list(Trustee.objects.filter(ballot=ballot).values_list("index", "person")) == [
        (1, people[0].pk),
        (2, people[1].pk),
        (3, people[2].pk),
    ]
    assert SealedElection.objects.get(ballot=ballot).threshold == 3
    page = client.get(f"/ballots/{ballot.slug}/manage/").content.decode()
    assert "Tess 2" in page
    assert "The ballot opens once every trustee has made and confirmed their keys" in page
    # Each trustee is told once, with their page's address.
    told = Email.objects.filter(key__startswith="trustee:").order_by("to")
    assert [email.to for email in told] == sorted(person.email for person in people)
    assert all(f"/ballots/{ballot.slug}/trustee/" in email.body for email in told)
    assert "You are trustee 2 of a sealed ballot" in told.get(to=people[1].email).subject


def test_threshold_above_the_trustees_is_shown_beside_the_field() -> None:
    officer = role_holder_create(Role.ORGANISER)
    ballot = ballot_create(actor=officer, sealed=True)

    response = _client(officer).post(
        f"/ballots/{ballot.slug}/manage/threshold/", {"threshold": "5"}
    )

    assert response.status_code == 400
    assert "The threshold is from 2 to the number of trustees (0)." in response.content.decode()


def test_trustee_page_shows_the_keygen_command_and_takes_the_public_file() -> None:
    ceremony = sealed_ballot_create(trustees=2, threshold=2)
    slug = ceremony.ballot.slug
    client = _client(ceremony.people[1])

    page = client.get(f"/ballots/{slug}/trustee/").content.decode()
    assert (
        f"grassroots trustee keygen --election {election_id(ceremony.ballot)} --index 2 "
        f"--secret {slug}-secret-2.json --public {slug}-trustee-2.json"
    ) in page
    _, public = trustee_keys_make(election_id(ceremony.ballot), 2)
    upload = SimpleUploadedFile("t.json", json.dumps(public.to_json()).encode())

    response = client.post(f"/ballots/{slug}/trustee/keys/", {"file": upload})

    assert response.status_code == 302
    assert ceremony.trustee(2).public == public.to_json()


def test_trustee_file_of_another_number_is_refused_beside_the_field() -> None:
    ceremony = sealed_ballot_create(trustees=2, threshold=2)
    slug = ceremony.ballot.slug
    _, public = trustee_keys_make(election_id(ceremony.ballot), 1)
    upload = SimpleUploadedFile("t.json", json.dumps(public.to_json()).encode())

    response = _client(ceremony.people[1]).post(f"/ballots/{slug}/trustee/keys/", {"file": upload})

    assert response.status_code == 400
    assert "The key file is for trustee 1; you are trustee 2." in response.content.decode()
    assert ceremony.trustee(2).public is None


def test_setup_file_waits_for_every_key() -> None:
    ceremony = sealed_ballot_create(trustees=2, threshold=2)

    response = _client(ceremony.people[0]).get(
        f"/ballots/{ceremony.ballot.slug}/trustee/files/setup.json"
    )

    assert response.status_code == 409
    assert response.content.decode() == "Trustee(s) 1, 2 have not sent their key yet.\n"


def test_new_ballot_form_offers_sealing_off_by_default_and_slate_form_on() -> None:
    from grassroots.web.ballots.forms import BallotCreateForm
    from grassroots.web.slates.forms import SlateBallotForm

    assert BallotCreateForm().fields["sealed"].initial in (None, False)
    assert SlateBallotForm.base_fields["sealed"].initial is True
