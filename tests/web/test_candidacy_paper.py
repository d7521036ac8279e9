"""The ballot paper: each voter's own random order (the same on every visit), the ballot's
order when it is fixed, links to candidates' pages, and the quotas in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from grassroots.web.ballots.models import Ballot, BallotOption, Method
from grassroots.web.ballots.paper import ballot_paper, options_shuffled, quota_words
from grassroots.web.candidacy import services
from grassroots.web.candidacy.models import BallotPaperSettings
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens

pytestmark = pytest.mark.django_db

NINE = [(f"Candidate {n}", "F" if n % 2 else "M") for n in range(1, 10)]


def _order_on_page(client: Client, ballot: Ballot, token: str) -> list[str]:
    page_url = client.get(f"/ballots/{ballot.slug}/vote/{token}/")["Location"]
    page = client.get(page_url).content.decode()
    return [
        name
        for _, name in sorted(
            (page.index(f'data-name="{o.name}"'), o.name) for o in ballot.options.all()
        )
    ]


@pytest.fixture
def nine_voters(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> tuple[Ballot, list[str]]:
    for _ in range(9):
        make_supporter(clp=clp)
    ballot = ballot_create(options=NINE, seats=4, quotas={"F": {"min": 2}})
    return ballot, ballot_open_with_tokens(ballot)


def test_a_voter_sees_the_same_order_on_every_visit(nine_voters: tuple[Ballot, list[str]]) -> None:
    ballot, tokens = nine_voters
    client = Client()

    first = _order_on_page(client, ballot, tokens[0])
    again = _order_on_page(client, ballot, tokens[0])

    assert first == again
    assert sorted(first) == sorted(name for name, _ in NINE)


def test_voters_see_different_orders(nine_voters: tuple[Ballot, list[str]]) -> None:
    ballot, tokens = nine_voters

    orders = {tuple(_order_on_page(Client(), ballot, token)) for token in tokens}

    # Nine voters drawing from 9! orders: all the same would be a broken shuffle.
    assert len(orders) >= 5


def test_a_fixed_order_ballot_shows_every_voter_its_own_order(
    nine_voters: tuple[Ballot, list[str]],
) -> None:
    ballot, tokens = nine_voters
    BallotPaperSettings.objects.create(ballot=ballot, fixed_order=True)

    orders = {tuple(_order_on_page(Client(), ballot, token)) for token in tokens[:4]}

    assert orders == {tuple(name for name, _ in NINE)}


def test_the_shuffle_is_stable_per_seed_and_fair_over_many_seeds() -> None:
    """Over many voters each option comes first about equally often, and one voter's
    order never changes."""
    options = [BallotOption(pk=pk, name=f"O{pk}") for pk in range(1, 6)]
    firsts: dict[int, int] = dict.fromkeys(range(1, 6), 0)

    for voter in range(5000):
        order = options_shuffled(options, seed=f"7:{voter:064x}")
        firsts[order[0].pk] += 1

    stable = {tuple(o.pk for o in options_shuffled(options, seed="7:abc")) for _ in range(20)}
    assert len(stable) == 1
    # Each of the 5 comes first 1000 times on average; 800 is over six standard deviations off.
    assert min(firsts.values()) > 800
    assert max(firsts.values()) < 1200


def test_a_yes_or_no_question_keeps_yes_first() -> None:
    ballot = ballot_create(method=Method.YES_NO, seats=1, options=[("Yes", ""), ("No", "")])
    options = list(ballot.options.all())

    orders = {
        tuple(
            o.name for o in ballot_paper(ballot=ballot, options=options, voter_seed=str(n)).options
        )
        for n in range(20)
    }

    assert orders == {("Yes", "No")}


@pytest.mark.parametrize(
    ("quotas", "seats", "words"),
    [
        ({"F": {"min": 4}}, 9, ["At least 4 of the 9 elected must be women."]),
        ({"F": {"min": 1}}, 3, ["At least 1 of the 3 elected must be a woman."]),
        (
            {"F": {"min": 2}, "M": {"max": 3}},
            5,
            [
                "At least 2 of the 5 elected must be women.",
                "At most 3 of the 5 elected may be men.",
            ],
        ),
        (
            {"BAME": {"min": 2}},
            6,
            ["At least 2 of the 6 elected must be candidates in category “BAME”."],
        ),
        ({"M": {"max": 0}}, 2, ["None of the 2 elected may be men."]),
        ({}, 9, []),
    ],
)
def test_quotas_in_words(quotas: dict[str, Any], seats: int, words: list[str]) -> None:
    ballot = Ballot(method=Method.STV, seats=seats, quotas=quotas)

    assert quota_words(ballot) == words


def test_the_voting_page_states_the_quota_and_links_each_candidates_page(
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    make_role_holder: Callable[[Role], User],
) -> None:
    make_supporter(clp=clp)
    organiser = make_role_holder(Role.ORGANISER)
    ballot = ballot_create(options=NINE, seats=5, quotas={"F": {"min": 3}})
    questionnaire = services.questionnaire_create(
        actor=organiser, ballot=ballot, title="Questions", questions=["Why?"]
    )
    [token] = ballot_open_with_tokens(ballot)
    client = Client()

    page = client.get(client.get(f"/ballots/{ballot.slug}/vote/{token}/")["Location"])
    html = page.content.decode()

    assert "At least 3 of the 5 elected must be women." in html
    for profile in questionnaire.profiles.all():
        assert f'href="/candidates/profile/{profile.pk}/" target="_blank" rel="noopener"' in html


def test_a_ranking_cast_from_a_shuffled_paper_is_stored_in_the_voters_order(
    nine_voters: tuple[Ballot, list[str]],
) -> None:
    from grassroots.web.ballots.models import CastBallot

    ballot, tokens = nine_voters
    client = Client()
    page_url = client.get(f"/ballots/{ballot.slug}/vote/{tokens[0]}/")["Location"]
    by_name = {o.name: o.pk for o in ballot.options.all()}

    response = client.post(
        page_url,
        {
            f"option_{by_name['Candidate 9']}": "1",
            f"option_{by_name['Candidate 2']}": "2",
            f"option_{by_name['Candidate 5']}": "3",
        },
    )

    assert response.status_code == 200
    [cast] = CastBallot.objects.filter(ballot=ballot)
    assert cast.ranking == [by_name["Candidate 9"], by_name["Candidate 2"], by_name["Candidate 5"]]


def test_the_officer_sets_a_fixed_order_only_while_the_ballot_is_a_draft(
    client: Client, make_role_holder: Callable[[Role], User], nine_voters: tuple[Ballot, list[str]]
) -> None:
    organiser = make_role_holder(Role.ORGANISER)
    draft = ballot_create(actor=organiser)
    client.force_login(organiser)

    response = client.post(f"/ballots/{draft.slug}/paper/", {"fixed_order": "fixed"})
    opened, _ = nine_voters

    assert response.status_code == 302
    assert BallotPaperSettings.objects.get(ballot=draft).fixed_order is True
    with pytest.raises(DomainError, match="has opened"):
        services.ballot_paper_set(actor=organiser, ballot=opened, fixed_order=True)
