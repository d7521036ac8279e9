"""Editing a draft ballot: the same checks as a new one, every edit audited, refused once
open; candidates' statements shown under their names on the voting page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots.models import Ballot, BallotOption, Status
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_role_holder: Callable[[Role], User]) -> User:
    return make_role_holder(Role.ORGANISER)


def _when(value: Any) -> str:
    return str(timezone.localtime(value).strftime("%Y-%m-%dT%H:%M"))


def _form(ballot: Ballot, **changes: str) -> dict[str, str]:
    """The edit form as a returning officer would submit it unchanged, with ``changes``."""
    data = {
        "question": ballot.question,
        "description": ballot.description,
        "method": str(ballot.method),
        "rule": ballot.rule,
        "seats": str(ballot.seats),
        "options": "\n".join(f"{o.name}, {o.category}" for o in ballot.options.all()),
        "statements": "",
        "quotas": "",
        "opens_at": _when(ballot.opens_at),
        "closes_at": _when(ballot.closes_at),
        "electorate": str(ballot.electorate),
        "organisations": "",
    }
    return data | changes


def _options(ballot: Ballot) -> list[tuple[str, str, str]]:
    return list(
        BallotOption.objects.filter(ballot=ballot)
        .order_by("position")
        .values_list("name", "category", "statement")
    )


def test_ballot_edit_page_of_a_draft_is_filled_from_the_ballot(
    client: Client, officer: User
) -> None:
    ballot = ballot_create(actor=officer, quotas={"F": {"min": 1}})
    client.force_login(officer)

    manage = client.get(f"/ballots/{ballot.slug}/manage/").content.decode()
    page = client.get(f"/ballots/{ballot.slug}/edit/")

    assert f'href="/ballots/{ballot.slug}/edit/"' in manage
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ann, F\nBea, F\nCal, M" in body
    assert "min F=1" in body
    assert ballot.question in body


def test_ballot_edit_stores_question_options_statements_and_quotas_and_audits_them(
    client: Client, officer: User
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)

    response = client.post(
        f"/ballots/{ballot.slug}/edit/",
        _form(
            ballot,
            question="Who should stand for the NEC?",
            options="Ann, F\nBea, F\nCal, M\nDev, M",
            statements="Ann: Twenty years a steward.\nCal: I chair the CLP.",
            quotas="min F=1",
        ),
    )

    assert response.status_code == 302
    ballot.refresh_from_db()
    assert ballot.question == "Who should stand for the NEC?"
    assert ballot.quotas == {"F": {"min": 1}}
    assert _options(ballot) == [
        ("Ann", "F", "Twenty years a steward."),
        ("Bea", "F", ""),
        ("Cal", "M", "I chair the CLP."),
        ("Dev", "M", ""),
    ]
    entry = AuditEntry.objects.get(action="ballot.update")
    assert entry.actor_id == officer.pk
    assert entry.summary == "draft edited: question, quotas, options, statements"


def test_ballot_edit_refuses_what_a_new_ballot_refuses_and_keeps_the_draft(
    client: Client, officer: User
) -> None:
    ballot = ballot_create(actor=officer)
    client.force_login(officer)
    before = _options(ballot)

    impossible = client.post(f"/ballots/{ballot.slug}/edit/", _form(ballot, quotas="min F=4"))
    too_many_seats = client.post(f"/ballots/{ballot.slug}/edit/", _form(ballot, seats="5"))
    unknown_statement = client.post(
        f"/ballots/{ballot.slug}/edit/", _form(ballot, statements="Zed: I am not standing.")
    )

    assert impossible.status_code == 400
    assert "At least 4 of category F must be elected, but only 3" in impossible.content.decode()
    assert too_many_seats.status_code == 400
    assert "Seats must be at least 1 and fewer than the options." in (
        too_many_seats.content.decode()
    )
    assert unknown_statement.status_code == 400
    assert "&#x27;Zed&#x27; is not one of the options." in unknown_statement.content.decode()
    assert _options(ballot) == before
    assert Ballot.objects.get(pk=ballot.pk).quotas == {}
    assert not AuditEntry.objects.filter(action="ballot.update").exists()


def test_ballot_edit_once_open_is_refused_with_a_message_and_changes_nothing(
    client: Client, officer: User, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create(actor=officer)
    ballot_open_with_tokens(ballot)
    client.force_login(officer)

    page = client.get(f"/ballots/{ballot.slug}/edit/")
    posted = client.post(f"/ballots/{ballot.slug}/edit/", _form(ballot, question="Changed?"))

    assert (page.status_code, posted.status_code) == (409, 409)
    assert "only a draft can be edited" in posted.content.decode()
    ballot.refresh_from_db()
    assert (ballot.status, ballot.question) == (Status.OPEN, "Who should be on the slate?")
    assert "/edit/" not in client.get(f"/ballots/{ballot.slug}/manage/").content.decode()


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.SUPPORTER])
def test_ballot_edit_by_anyone_but_its_officer_is_not_found(
    *,
    client: Client,
    officer: User,
    make_role_holder: Callable[[Role], User],
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    role: Role,
) -> None:
    ballot = ballot_create(actor=officer)
    other = make_supporter(clp=clp).user if role == Role.SUPPORTER else make_role_holder(role)
    client.force_login(other)

    assert client.get(f"/ballots/{ballot.slug}/edit/").status_code == 404
    assert client.post(f"/ballots/{ballot.slug}/edit/", _form(ballot)).status_code == 404


def test_ballot_new_with_statements_shows_them_under_the_names_on_the_voting_page(
    client: Client, officer: User, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    client.force_login(officer)
    now = timezone.now()
    created = client.post(
        "/ballots/new/",
        {
            "question": "Who should be on the slate?",
            "slug": "slate-with-statements",
            "method": "stv",
            "rule": "scottish",
            "seats": "1",
            "options": "Ann, F\nCal, M",
            "statements": "Ann: Twenty years a steward.",
            "opens_at": _when(now),
            "closes_at": _when(now + timezone.timedelta(days=3)),
            "electorate": "supporters",
        },
    )
    ballot = Ballot.objects.get(slug="slate-with-statements")
    [token] = ballot_open_with_tokens(ballot)
    voter = Client()

    page = voter.get(voter.get(f"/ballots/{ballot.slug}/vote/{token}/")["Location"])

    assert created.status_code == 302
    body = page.content.decode()
    assert '<p class="statement">Twenty years a steward.</p>' in body
    # Under Ann's name, in her row (the options' order is each voter's own).
    ann = body[body.index('data-name="Ann"') :]
    assert ann.index("Twenty years a steward.") < ann.index("</li>")
    assert "Twenty years a steward." not in body[body.index('data-name="Cal"') :].split("</li>")[0]


def test_ballot_slug_mine_is_reserved_for_my_ballots(client: Client, officer: User) -> None:
    client.force_login(officer)

    response = client.post("/ballots/new/", {"slug": "mine", "question": "Q?"})

    assert "That address is taken by the site" in response.content.decode()
