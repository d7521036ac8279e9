"""The voting pages' shortcuts (docs/reliability.md): the preference boxes written without the
template engine, and the per-process copy of an opened ballot, which must never show a
changed ballot nor spare the cast its own checks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django import forms
from django.test import Client

from grassroots.web.ballots import selectors, services
from grassroots.web.ballots.forms import RankInput
from grassroots.web.ballots.models import Ballot, CastBallot, Status
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [None, "", "3", 7, '"><script>'])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"inputmode": "numeric", "class": "rank", "size": 3, "min": 1, "max": 5},
        {"required": True, "disabled": False, "aria-invalid": "true", "title": 'a "b" <c>'},
    ],
)
def test_rank_input_writes_what_django_s_template_writes(
    value: object, attrs: dict[str, object]
) -> None:
    ours = RankInput(attrs=attrs).render("option_1", value, attrs={"id": "id_option_1"})
    django = forms.NumberInput(attrs=attrs).render("option_1", value, attrs={"id": "id_option_1"})

    assert ours == django


@pytest.fixture
def opened(make_supporter: Callable[..., Supporter], clp: Constituency) -> tuple[Ballot, str]:
    make_supporter(clp=clp)
    make_supporter(clp=clp)
    ballot = ballot_create()
    tokens = ballot_open_with_tokens(ballot)
    return ballot, tokens[0]


def test_voting_page_reads_an_opened_ballot_once_per_process(
    client: Client, opened: tuple[Ballot, str], django_assert_num_queries: Callable[..., object]
) -> None:
    ballot, token = opened
    selectors.voting_ballot_forget(ballot.pk)
    page = client.get(f"/ballots/{ballot.slug}/vote/{token}/")["Location"]

    # The credential; then the ballot paper's two (candidacy: a fixed order? pages to link?).
    # The ballot and its options were kept.
    with django_assert_num_queries(3):
        response = client.get(page)

    assert response.status_code == 200
    assert ballot.question in response.content.decode()


def test_a_ballot_saved_in_this_process_is_read_again(
    client: Client, opened: tuple[Ballot, str]
) -> None:
    ballot, token = opened
    page = client.get(f"/ballots/{ballot.slug}/vote/{token}/")["Location"]
    client.get(page)

    Ballot.objects.filter(pk=ballot.pk).update(question="Changed behind our back?")
    ballot.refresh_from_db()
    ballot.save()  # any save in this process drops the copy

    assert "Changed behind our back?" in client.get(page).content.decode()


def test_a_draft_is_never_kept_so_test_votes_see_every_edit(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    hashed = services.ballot_trial_credential_issue(actor=None, ballot=ballot)

    first = selectors.voting_pass_get(token_hash=hashed, trial=True)
    Ballot.objects.filter(pk=ballot.pk).update(question="Edited draft")
    second = selectors.voting_pass_get(token_hash=hashed, trial=True)

    assert first is not None
    assert second is not None
    assert (first.trial, first.ballot.question) == (True, "Who should be on the slate?")
    assert second.ballot.question == "Edited draft"
    assert selectors.voting_pass_get(token_hash=hashed) is None  # not a real credential


def test_the_cast_checks_the_ballot_itself_whatever_the_page_kept(
    client: Client, opened: tuple[Ballot, str]
) -> None:
    ballot, token = opened
    page = client.get(f"/ballots/{ballot.slug}/vote/{token}/")["Location"]
    form = client.get(page)
    assert form.status_code == 200
    # Closed by another process: this one's copy still says open.
    Ballot.objects.filter(pk=ballot.pk).update(status=Status.CLOSED)

    response = client.post(page, {f"option_{o.pk}": "1" for o in ballot.options.all()[:1]})

    assert response.status_code == 400
    assert services.NOT_OPEN in response.content.decode()
    assert CastBallot.objects.filter(ballot=ballot).count() == 0
