"""Evaluating and searching a vote plan in the worker, from the plan's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from grassroots.web.campaign import services
from grassroots.web.campaign.models import PlanRun, VotePlan
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services as election_services
from grassroots.web.elections.models import ForecastStatus
from tests.web.campaign_factories import Campaign, campaign_create
from tests.web.election_factories import candidates_create, slate_with
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db

OTHERS = [
    ("Eve Elm", "F"),
    ("Fay Fir", "F"),
    ("Gus Gum", "M"),
    ("Hal Hazel", "M"),
    ("Ivy Ilex", "F"),
    ("Jo Juniper", "F"),
]


@pytest.fixture
def plan() -> tuple[Campaign, VotePlan]:
    campaign = campaign_create()
    dee = election_services.candidate_create(
        actor=None, section=campaign.section, name="Dee Dale", gender="F"
    )
    election_services.slate_membership_add(actor=None, slate=campaign.slate, candidate=dee)
    others = candidates_create(campaign.section, OTHERS)
    slate_with(campaign.section.election, "Their Slate", list(others.values()), colour="#0000aa")
    for name in ("Leeds East", "Leeds East", "Cardiff East"):
        supporter_create(clp=Constituency.objects.get(name=name))
    made = services.plan_create(
        actor=campaign.organiser, slate=campaign.slate, section=campaign.section, rule="region"
    )
    return campaign, made


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_plan_page_shows_expected_first_preferences(plan: tuple[Campaign, VotePlan]) -> None:
    campaign, made = plan

    response = _client(campaign.organiser).get(f"/organise/campaign/plans/{made.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="first-preferences"' in body
    assert "Dee Dale" in body.split('id="first-preferences"')[1]


def test_an_evaluation_runs_in_the_worker_and_compares_with_no_plan(
    plan: tuple[Campaign, VotePlan],
) -> None:
    campaign, made = plan
    client = _client(campaign.organiser)

    response = client.post(
        f"/organise/campaign/plans/{made.pk}/runs/",
        {"kind": "evaluate", "follow": "80", "runs": "10"},
    )

    run = PlanRun.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/organise/campaign/plans/{made.pk}/runs/{run.pk}/"
    assert run.status == ForecastStatus.DONE, run.error
    comparison = run.result["comparison"]
    assert comparison["follow"] == 0.8
    assert comparison["runs"] == 10
    assert abs(sum(comparison["with_plan"]["seat_chances"]) - 1) < 1e-3
    assert set(comparison["with_plan"]["chances"]) == {"Ann Ash", "Bea Birch", "Dee Dale"}
    page = client.get(response["Location"]).content.decode()
    assert "Expected seats for Our Slate" in page
    assert 'id="seat-chances"' in page
    chart = page.split('id="comparison-chart">', 1)[1].split("</figure>", 1)[0]
    assert chart.startswith("<svg")
    expected = comparison["without_plan"]["expected_seats"]
    assert f"no plan ({expected:.2f} expected)" in chart


def test_a_search_runs_in_the_worker_and_its_orders_can_be_used(
    plan: tuple[Campaign, VotePlan],
) -> None:
    campaign, made = plan
    client = _client(campaign.organiser)
    client.post(
        f"/organise/campaign/plans/{made.pk}/runs/",
        {"kind": "search", "follow": "80", "runs": "10"},
    )
    run = PlanRun.objects.get()
    assert run.status == ForecastStatus.DONE, run.error
    found = {g["name"]: g["order"] for g in run.result["plan"]["groups"]}

    client.post(f"/organise/campaign/plans/{made.pk}/runs/{run.pk}/apply/")

    made.refresh_from_db()
    assert {g.name: g.order for g in made.groups.all()} == found
    assert made.explanation == run.result["explanation"] != ""


def test_a_run_with_a_bad_follow_share_is_refused(plan: tuple[Campaign, VotePlan]) -> None:
    campaign, made = plan

    _client(campaign.organiser).post(
        f"/organise/campaign/plans/{made.pk}/runs/", {"kind": "evaluate", "follow": "150"}
    )

    assert not PlanRun.objects.exists()
