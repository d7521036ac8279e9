"""The returning officer's page: the roll before opening, a confirmation before each action
that cannot be undone, and control only while they are an organiser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.web.ballots import services as ballot_services
from grassroots.web.ballots.models import Ballot, Electorate, Status
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Section
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from grassroots.web.people.services import role_revoke
from grassroots.web.slates.models import SlateSelection
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.election_factories import election_create, section_get
from tests.web.factories import organisation_create, representative_create, supporter_create
from tests.web.slate_factories import nominations_submit, slate_ballot_voted

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_role_holder: Callable[[Role], User]) -> User:
    return make_role_holder(Role.ORGANISER)


@pytest.fixture
def voters(make_supporter: Callable[..., Supporter], clp: Constituency) -> list[Supporter]:
    return [make_supporter(clp=clp) for _ in range(3)]


def _control(client: Client, ballot: Ballot, action: str, **data: str) -> Any:
    return client.post(f"/ballots/{ballot.slug}/manage/{action}/", data)


def _status(ballot: Ballot) -> str:
    return Ballot.objects.get(pk=ballot.pk).status


def test_ballot_open_unconfirmed_shows_the_roll_and_acts_only_when_confirmed(
    client: Client, officer: User, voters: list[Supporter], mailoutbox: list[object]
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)

    asked = _control(client, ballot, "open")
    status_after_asking = _status(ballot)
    confirmed = _control(client, ballot, "open", confirmed="yes")

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Open the ballot for 3 voters?" in page
    assert 'name="confirmed" value="yes"' in page
    assert "Open the ballot and email 3 voters" in page
    assert status_after_asking == Status.DRAFT
    assert confirmed.status_code == 302
    assert _status(ballot) == Status.OPEN


HEADINGS = {
    "close": "Close the ballot now?",
    "cancel": "Cancel the ballot?",
    "publish": "Count and publish?",
}


@pytest.mark.usefixtures("voters")
@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        pytest.param("close", Status.OPEN, Status.CLOSED, id="close"),
        pytest.param("cancel", Status.OPEN, Status.CANCELLED, id="cancel"),
        pytest.param("publish", Status.CLOSED, Status.PUBLISHED, id="publish"),
    ],
)
def test_ballot_control_unconfirmed_does_nothing_but_ask(
    client: Client, officer: User, action: str, before: str, after: str
) -> None:
    ballot = ballot_create(actor=officer)
    [token, *_] = ballot_open_with_tokens(ballot)
    ballot_services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann"))
    if before == Status.CLOSED:
        ballot_services.ballot_close(actor=officer, ballot=ballot)
    client.force_login(officer)

    asked = _control(client, ballot, action)
    status_after_asking = _status(ballot)
    confirmed = _control(client, ballot, action, confirmed="yes")

    assert asked.status_code == 200
    assert HEADINGS[action] in asked.content.decode()
    assert status_after_asking == before
    assert confirmed.status_code == 302
    assert _status(ballot) == after


def test_slate_publish_unconfirmed_does_nothing_but_ask(
    client: Client, officer: User, clp: Constituency
) -> None:
    section: Section = section_get(election_create())
    nominations_submit(
        actor=officer,
        organisation=organisation_create(),
        section=section,
        people=[("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M")],
    )
    supporter_create(clp=clp)
    ballot, _ = slate_ballot_voted(
        actor=officer, section=section, slate_size=2, rankings=[("Ann Ash", "Cal Cedar")]
    )
    ballot_services.ballot_publish(actor=officer, ballot=ballot)
    client.force_login(officer)
    url = reverse("slates:publish", args=(section.election.slug, section.slug, ballot.slug))

    asked = client.post(url)
    published_after_asking = SlateSelection.objects.get().published_at
    confirmed = client.post(url, {"confirmed": "yes"})

    assert asked.status_code == 200
    assert "Publish the slate?" in asked.content.decode()
    assert published_after_asking is None
    assert confirmed.status_code == 302
    assert SlateSelection.objects.get().published_at is not None


def test_ballot_manage_by_an_organiser_who_lost_the_role_is_not_found(
    client: Client, officer: User, voters: list[Supporter]
) -> None:
    ballot = ballot_create(actor=officer)
    role_revoke(actor=None, user=officer, role=Role.ORGANISER)
    client.force_login(officer)

    manage = client.get(f"/ballots/{ballot.slug}/manage/")
    control = _control(client, ballot, "open", confirmed="yes")
    detail = client.get(f"/ballots/{ballot.slug}/")

    assert (manage.status_code, control.status_code, detail.status_code) == (404, 404, 404)
    assert _status(ballot) == Status.DRAFT


def test_ballot_manage_of_a_draft_shows_the_committee_roll_and_who_is_left_out(
    client: Client,
    officer: User,
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
) -> None:
    unite = organisation_create(name="Unite")
    momentum = organisation_create(name="Momentum")
    for organisation, linked in ((unite, 2), (momentum, 1)):
        for _ in range(linked):
            representative_create(organisation=organisation, supporter=make_supporter(clp=clp))
    representative_create(organisation=unite, supporter=None, name="Pat Noaccount")
    ballot = ballot_create(actor=officer, electorate=Electorate.COMMITTEE)
    client.force_login(officer)

    response = client.get(f"/ballots/{ballot.slug}/manage/")

    preview = response.context["preview"]
    page = response.content.decode()
    assert preview.voters == 3
    assert preview.by_organisation == [("Momentum", 1, 1), ("Unite", 2, 1)]
    assert preview.left_out == [
        "Representative Pat Noaccount of Unite has no supporter account, so cannot vote."
    ]
    assert "3 voters" in page
    assert "Pat Noaccount of Unite has no supporter account" in page
    assert "0 of 0 on the roll" not in page


def test_ballot_manage_of_an_open_ballot_shows_turnout(
    client: Client, officer: User, voters: list[Supporter]
) -> None:
    ballot = ballot_create(actor=officer)
    ballot_open_with_tokens(ballot)
    client.force_login(officer)

    page = client.get(f"/ballots/{ballot.slug}/manage/").content.decode()

    assert "0 of 3 on the roll have voted" in page
    assert "The roll opening will freeze" not in page
