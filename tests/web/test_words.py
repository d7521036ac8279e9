"""Pages show words, not the codes the engine and the database keep: quotas, counting rules, a
count's stages and decisions, nominations against the threshold, a slug field's label.

The downloads keep the codes: a recount of ``result.json`` needs them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from grassroots.web.ballots import services
from grassroots.web.ballots.models import Ballot, Electorate
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role
from grassroots.web.slates import services as slates_services
from grassroots.web.words import quota_words
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.election_factories import candidates_create, election_create, section_get
from tests.web.factories import organisation_create, role_holder_create
from tests.web.slate_factories import nominations_submit

pytestmark = pytest.mark.django_db

# Two seats, at least one woman. Cal reaches the quota at once; with one seat left and a
# woman still needed, the quota excludes Dev, the other man, before anyone else.
RANKINGS = [
    *[("Cal", "Dev")] * 4,
    *[("Dev", "Cal")] * 3,
    ("Ann", "Bea"),
    ("Bea", "Ann"),
    ("Eve", "Ann"),
]


@pytest.fixture
def published(make_supporter: Callable[..., Supporter], clp: Constituency) -> Ballot:
    for _ in RANKINGS:
        make_supporter(clp=clp)
    ballot = ballot_create(quotas={"F": {"min": 1}})
    tokens = ballot_open_with_tokens(ballot)
    for token, names in zip(tokens, RANKINGS, strict=True):
        services.ballot_cast(credential_token=token, ranking=option_ids(ballot, *names))
    services.ballot_close(actor=None, ballot=ballot)
    services.ballot_publish(actor=None, ballot=ballot)
    return ballot


@pytest.fixture
def organiser() -> User:
    return role_holder_create(Role.ORGANISER)


def test_quota_words_name_the_category_and_keep_its_code() -> None:
    assert quota_words({"F": {"min": 4}}) == "at least 4 women (F)"
    assert quota_words({"F": {"min": 1, "max": 2}, "M": {"max": 0}}) == (
        "at least 1 woman (F), at most 2 women (F), at most 0 men (M)"
    )
    assert quota_words({"BAME": {"min": 1}}) == "at least 1 candidate in category “BAME”"
    assert quota_words({}) == ""


def test_ballot_result_shows_stages_decisions_and_quotas_in_words(
    client: Client, published: Ballot
) -> None:
    response = client.get(reverse("ballots:result", args=[published.slug]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Category quotas: at least 1 woman (F)." in page
    assert "<small>first preferences</small>" in page
    assert "<small>excluded to meet the quota: Dev</small>" in page
    assert "Dev</strong> excluded <strong>because of the quota</strong>" in page
    for code in ("quota_exclusion", "doomed", "guarded", ">first<", "F at least"):
        assert code not in page


def test_ballot_result_json_keeps_the_engine_codes(client: Client, published: Ballot) -> None:
    response = client.get(reverse("ballots:result_json", args=[published.slug]))

    result = json.loads(response.content)
    assert result["quotas"] == {"F": {"min": 1}}
    assert [stage["action"] for stage in result["stages"]][:1] == ["first"]
    assert "quota_exclusion" in [stage["action"] for stage in result["stages"]]


def test_ballot_page_names_the_rule_and_the_quotas(client: Client, published: Ballot) -> None:
    response = client.get(reverse("ballots:detail", args=[published.slug]))

    page = response.content.decode()
    assert "2 seats (Scottish STV (SSI 2007/42), 5 decimal places)" in page
    assert "<dt>Quotas</dt><dd>at least 1 woman (F)</dd>" in page
    assert "scottish rules" not in page
    assert "F: at least" not in page


def test_slate_ballot_page_shows_the_quotas_in_words(client: Client, organiser: User) -> None:
    section = section_get(election_create())  # 9 seats, at least 4 women
    client.force_login(organiser)

    response = client.get(reverse("slates:slate_ballot", args=[section.election.slug, "clp"]))

    page = response.content.decode()
    assert "9 seats, quotas: at least 4 women (F)." in page
    assert "<td>5</td><td>at least 3 women (F)</td>" in page
    assert "{&#x27;F&#x27;" not in page
    assert "min 3" not in page


def test_slate_ballot_page_names_each_ballot_by_its_question(
    client: Client, organiser: User
) -> None:
    section = section_get(election_create())
    nominations_submit(
        actor=organiser,
        organisation=organisation_create(),
        section=section,
        people=[("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M")],
    )
    ballot = slates_services.slate_ballot_create(
        actor=organiser,
        section=section,
        slate_size=2,
        closes_at=timezone.now() + timedelta(days=7),
        electorate=Electorate.SUPPORTERS,
    )
    client.force_login(organiser)

    response = client.get(reverse("slates:slate_ballot", args=[section.election.slug, "clp"]))

    page = response.content.decode()
    assert f">{escape(ballot.question)}</a>" in page
    assert f">{ballot.slug}</a>" not in page


def test_tracker_shows_nominations_against_the_threshold_in_words(client: Client) -> None:
    section = section_get(election_create())
    candidates_create(section, [("Ann Ash", "F")])

    response = client.get(reverse("elections:nomination_tracker", args=["nec-test", "clp"]))

    page = response.content.decode()
    assert "0 nominations (5 needed)" in page
    assert "0 of 5" not in page


@pytest.mark.parametrize(
    "path",
    ["/organise/elections/new/", "/organise/elections/nec-test/sections/new/", "/ballots/new/"],
)
def test_new_forms_ask_for_a_web_address_not_a_slug(
    client: Client, organiser: User, path: str
) -> None:
    election_create()
    client.force_login(organiser)

    response = client.get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert ">Web address (short name)</label>" in page
    assert ">Slug</label>" not in page
    assert "&lt;slug&gt;" not in page


def test_new_ballot_form_names_the_counting_rules(client: Client, organiser: User) -> None:
    client.force_login(organiser)

    page = client.get("/ballots/new/").content.decode()

    assert '<option value="scottish" selected>Scottish STV (SSI 2007/42)' in page
    assert '<option value="meek">Meek STV' in page
    assert ">scottish</option>" not in page


def test_history_names_how_each_election_was_counted(client: Client) -> None:
    page = client.get(reverse("elections:history")).content.decode()

    assert "9 seats, first past the post." in page
    assert "9 seats, single transferable vote." in page
    assert "FPTP" not in page
