"""Forecasts of a section: the scenario built from what the site knows, checked by hand."""

from __future__ import annotations

import datetime
import html
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from grassroots.forecast import scenario_from_mapping
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services
from grassroots.web.elections.forecasting import DEFAULT_LOYALTY, section_scenario
from grassroots.web.elections.models import Candidate, Section
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from tests.web.election_factories import (
    candidates_create,
    election_create,
    section_get,
    slate_with,
)
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db

SMALL_BLT = Path(__file__).parent / "data" / "elections-small.blt"
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def section() -> Section:
    """The small election of test_elections_results: Red = Ann, Bea; Blue = Cal; Dee on none."""
    election = election_create()
    section = section_get(election)
    section.seats = 2
    section.quotas = {"F": {"min": 1}}
    section.save()
    people = candidates_create(
        section, [("Ann Ash", "F"), ("Bea Birch", "F"), ("Cal Cedar", "M"), ("Dee Dale", "M")]
    )
    slate_with(election, "Red", [people["Ann Ash"], people["Bea Birch"]])
    slate_with(election, "Blue", [people["Cal Cedar"]])
    return section


def _nominate(section: Section, counts: dict[str, int]) -> None:
    clps = list(Constituency.objects.with_clp().order_by("gss_code")[: max(counts.values())])
    for name, count in counts.items():
        candidate = Candidate.objects.get(section=section, name=name)
        for clp in clps[:count]:
            services.nomination_record(
                actor=None, section=section, candidate=candidate, clp=clp, nominated_on=DAY
            )


def _strengths(scenario_candidates: tuple, support: dict[str, float], damping: float) -> None:
    mean = math.exp(sum(math.log(v) for v in support.values()) / len(support))
    for candidate in scenario_candidates:
        expected = damping * math.log(support[candidate.name] / mean)
        assert candidate.strength == pytest.approx(expected)


def test_scenario_from_a_stored_result(section: Section) -> None:
    services.result_count_import(
        actor=None, section=section, filename="small.blt", data=SMALL_BLT.read_bytes()
    )
    built = section_scenario(section=section)
    scenario = built.scenario
    assert built.basis.startswith("the stored result")
    # First preferences (by hand, tests/web/test_elections_results.py): Ann 16, Bea 3,
    # Cal 7, Dee 4 of 30. Red 19/30, Blue 7/30; Dee's 4 are the unaligned voters'.
    assert [(s.name, s.share) for s in scenario.slates] == [
        ("Red", pytest.approx(19 / 30)),
        ("Blue", pytest.approx(7 / 30)),
    ]
    assert scenario.unaligned_share == pytest.approx(4 / 30)
    # Red passed on 5 votes to continuing candidates, 3.75 of them to Bea: loyalty 0.75.
    # Blue passed on nothing: the default.
    assert scenario.slates[0].loyalty == pytest.approx(0.75)
    assert scenario.slates[1].loyalty == DEFAULT_LOYALTY
    assert [c.name for c in scenario.slates[0].candidates] == ["Ann Ash", "Bea Birch"]
    assert [c.name for c in scenario.independents] == ["Dee Dale"]
    _strengths(
        scenario.candidates,
        {"Ann Ash": 16, "Bea Birch": 3, "Cal Cedar": 7, "Dee Dale": 4},
        damping=1.0,
    )
    assert (scenario.seats, scenario.rule, dict(scenario.quotas)) == (
        2,
        "scottish",
        {"F": {"min": 1}},
    )
    assert [c.category for c in scenario.candidates] == ["F", "F", "M", "M"]


def test_scenario_from_nominations(section: Section) -> None:
    _nominate(section, {"Ann Ash": 3, "Bea Birch": 1, "Cal Cedar": 2})
    built = section_scenario(section=section)
    scenario = built.scenario
    assert built.basis == "the CLP nominations recorded so far"
    # Nominations 3 + 1 for Red, 2 for Blue, of 6; Dee has none.
    assert [s.share for s in scenario.slates] == [pytest.approx(4 / 6), pytest.approx(2 / 6)]
    assert scenario.unaligned_share == pytest.approx(0.0)
    assert any("Loyalty is 60%" in note for note in built.notes)
    # Dee's support is floored at a twentieth of the mean, so he can still be drawn.
    ann, bea, cal, dee = (c.strength for c in scenario.candidates)
    assert ann > cal > bea > dee


def test_candidates_below_the_threshold_do_not_stand(section: Section) -> None:
    section.nomination_threshold = 2
    section.save()
    _nominate(section, {"Ann Ash": 3, "Bea Birch": 1, "Cal Cedar": 2})
    built = section_scenario(section=section)
    assert [c.name for c in built.scenario.candidates] == ["Ann Ash", "Cal Cedar"]
    assert "2 candidate(s) below the threshold of 2 nominations are left out." in built.notes


def test_too_few_over_the_threshold_and_everyone_stands(section: Section) -> None:
    section.nomination_threshold = 3
    section.save()
    _nominate(section, {"Ann Ash": 3, "Bea Birch": 1, "Cal Cedar": 2})
    built = section_scenario(section=section)
    assert len(built.scenario.candidates) == 4
    assert (
        "Only 1 candidate(s) have 3 nominations so far, fewer than the seats: every "
        "candidate is assumed to stand." in built.notes
    )


def test_a_stored_result_decides_who_stood(section: Section) -> None:
    candidates_create(section, [("Eve Elm", "F")])  # added after the count: not on the ballot
    services.result_count_import(
        actor=None, section=section, filename="small.blt", data=SMALL_BLT.read_bytes()
    )
    names = [c.name for c in section_scenario(section=section).scenario.candidates]
    assert names == ["Ann Ash", "Bea Birch", "Cal Cedar", "Dee Dale"]


def test_overrides_and_nothing_recorded(section: Section) -> None:
    built = section_scenario(section=section, shares={"Blue": 0.5}, loyalty={"Red": 0.9})
    assert built.basis.startswith("nothing recorded yet")
    # Red keeps its share by candidates (2 of 4); Blue's is overridden.
    assert [(s.share, s.loyalty) for s in built.scenario.slates] == [
        (pytest.approx(0.5), 0.9),
        (0.5, DEFAULT_LOYALTY),
    ]


def test_a_candidate_on_two_slates_counts_with_the_first(section: Section) -> None:
    dee = Candidate.objects.get(section=section, name="Dee Dale")
    slate_with(section.election, "Green", [dee, Candidate.objects.get(name="Cal Cedar")])
    built = section_scenario(section=section)
    assert "Cal Cedar is on Blue and Green: counted with Blue." in built.notes
    assert [s.name for s in built.scenario.slates] == ["Red", "Blue", "Green"]
    assert [c.name for c in built.scenario.slates[2].candidates] == ["Dee Dale"]


def test_refusals(section: Section) -> None:
    with pytest.raises(DomainError, match=r"the slates' shares add up to 1\.400, more than 1"):
        section_scenario(section=section, shares={"Red": 0.9, "Blue": 0.5})
    section.quotas = {"F": {"min": 3}}
    section.save()
    with pytest.raises(DomainError, match='at least 3 "F" must be elected, but 2 stand'):
        section_scenario(section=section)


def test_no_slate_no_forecast() -> None:
    election = election_create()
    section = section_get(election)
    candidates_create(section, [("Ann Ash", "F")])
    with pytest.raises(DomainError, match="No candidate standing is on a slate"):
        section_scenario(section=section)


# The forecast page ---------------------------------------------------------------------------

URL = "/organise/elections/nec-test/clp/forecast/"


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 404), (Role.COMMITTEE, 404), (Role.ORGANISER, 200), (Role.ADMINISTRATOR, 200)],
)
def test_forecast_page_access(
    client: Client,
    make_role_holder: Callable[[Role], User],
    section: Section,
    role: Role | None,
    status: int,
) -> None:
    if role is not None:
        client.force_login(make_role_holder(role))
    assert reverse("elections:forecast", args=["nec-test", "clp"]) == URL
    assert client.get(URL).status_code == status
    run = {"run": "1", "uncertainty": "0", "runs": "10"}
    run |= {"share_0": "60", "loyalty_0": "100", "share_1": "40", "loyalty_1": "100"}
    assert client.get(URL, run).status_code == status
    asked = client.post(URL, run)
    assert asked.status_code == (303 if status == 200 else 404)
    # A run without the slates' figures is a bad form for those allowed, still 404 for others.
    assert client.post(URL, {"run": "1", "runs": "10"}).status_code == (
        400 if status == 200 else 404
    )
    download = client.get(URL, {**run, "format": "json"})
    assert download.status_code == status
    if status == 200:
        assert download["Content-Type"].startswith("application/json")


def test_supporter_cannot_see_a_forecast(client: Client, section: Section) -> None:
    supporter = supporter_create(clp=Constituency.objects.with_clp().first())
    client.force_login(supporter.user)
    assert client.get(URL).status_code == 404


def _organiser(client: Client, make_role_holder: Callable[[Role], User]) -> None:
    client.force_login(make_role_holder(Role.ORGANISER))


def _forecast(client: Client, query: dict[str, str]) -> HttpResponse:
    """Ask for a forecast as the page's form does, and open the run it redirects to (the
    tests' task backend runs it at once)."""
    asked = client.post(URL, query)
    assert asked.status_code == 303, asked.content.decode()
    return client.get(asked["Location"])


def test_forecast_page_shows_the_scenario_it_built(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    _organiser(client, make_role_holder)
    services.result_count_import(
        actor=None, section=section, filename="small.blt", data=SMALL_BLT.read_bytes()
    )
    html = client.get(URL).content.decode()
    assert "the stored result: first preferences and transfers by slate" in html
    assert "2 seats, at least 1 woman." in html
    assert 'name="share_0" value="63.3"' in html  # Red: 19 of 30
    assert 'name="loyalty_0" value="75.0"' in html  # Red kept 3.75 of 5 transfers
    assert 'name="share_1" value="23.3"' in html  # Blue: 7 of 30
    assert 'name="share_0" value="63.3"' in html  # 63.33...: shares are rounded down
    assert "<td>Ann Ash, Bea Birch</td>" in html
    assert 'id="seats"' not in html  # nothing is run until asked


def test_forecast_page_runs_and_compares_sizes(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    _organiser(client, make_role_holder)
    query = {
        "run": "1",
        "share_0": "60",
        "loyalty_0": "100",
        "share_1": "40",
        "loyalty_1": "100",
        "uncertainty": "0",
        "runs": "10",
        "sizes": "Red",
    }
    response = _forecast(client, query)
    assert response.status_code == 200
    html = response.content.decode()
    # Everyone follows a slate and ranks only its candidates: 60% and 40% of two seats,
    # quota one third. Blue's one candidate is elected; Red's 60% elect one of its two
    # (the other is excluded and transfers within Red). Red one seat, Blue one, every run.
    assert '<th scope="row">Red</th><td>' in html
    seats = response.context["seat_rows"]
    assert [(row["name"], row["expected"]) for row in seats] == [
        ("Red", "1.00"),
        ("Blue", "1.00"),
        ("independent", "0.00"),
    ]
    sizes = response.context["size_rows"]
    assert [(row["size"], row["expected"]) for row in sizes] == [(1, "1.00"), (2, "1.00")]
    assert [row["best"] for row in sizes] == [True, False]
    assert "How many should Red stand?" in html


def test_forecast_page_refuses_bad_figures_next_to_them(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    _organiser(client, make_role_holder)
    response = client.post(
        URL,
        {
            "run": "1",
            "share_0": "150",
            "loyalty_0": "60",
            "share_1": "20",
            "loyalty_1": "60",
            "uncertainty": "5",
            "runs": "5",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_share_0_error"' in html
    assert "Ensure this value is less than or equal to 100." in html
    assert "id_runs_error" in html  # below 10 runs
    response = client.post(
        URL,
        {
            "run": "1",
            "share_0": "80",
            "loyalty_0": "60",
            "share_1": "40",
            "loyalty_1": "60",
            "uncertainty": "5",
            "runs": "10",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The slates&#x27; shares add up to 120%" in html


def test_forecast_scenario_download_reads_back(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    _organiser(client, make_role_holder)
    response = client.get(
        URL,
        {
            "run": "1",
            "format": "json",
            "share_0": "55",
            "loyalty_0": "80",
            "share_1": "25",
            "loyalty_1": "60",
            "uncertainty": "4",
            "runs": "10",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="scenario.json"'
    scenario = scenario_from_mapping(json.loads(response.content))
    assert [(s.name, s.share, s.loyalty) for s in scenario.slates] == [
        ("Red", 0.55, 0.8),
        ("Blue", 0.25, 0.6),
    ]
    assert scenario.uncertainty == pytest.approx(0.04)
    assert (scenario.seats, dict(scenario.quotas)) == (2, {"F": {"min": 1}})


def test_forecast_page_without_slates_says_why(
    client: Client, make_role_holder: Callable[[Role], User]
) -> None:
    _organiser(client, make_role_holder)
    election = election_create()
    candidates_create(section_get(election), [("Ann Ash", "F")])
    html = client.get(URL).content.decode()
    assert "No candidate standing is on a slate: there is nothing to forecast." in html
    assert "forecast-form" not in html


def test_election_set_up_page_links_each_section_forecast(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    _organiser(client, make_role_holder)
    html = client.get(reverse("elections:election_organise", args=["nec-test"])).content.decode()
    assert f'href="{URL}"' in html


def test_shown_shares_never_add_up_to_more_than_100() -> None:
    from decimal import Decimal

    from grassroots.forecast import Slate
    from grassroots.web.elections.forecast_page import SlateFiguresForm

    slates = [
        Slate(name, share, 0.6, ()) for name, share in (("A", 0.3336), ("B", 0.3336), ("C", 0.3328))
    ]
    shown = SlateFiguresForm(slates=slates)
    initial = [shown.fields[f"share_{i}"].initial for i in range(3)]
    assert initial == [33.3, 33.3, 33.2]  # rounding to nearest would give 100.1%
    submitted = {f"share_{i}": str(v) for i, v in enumerate(initial)}
    submitted |= {f"loyalty_{i}": "60" for i in range(3)}
    form = SlateFiguresForm(submitted, slates=slates)
    assert form.is_valid(), form.errors
    assert sum(Decimal(v) for v in submitted.values() if v != "60") <= 100


def test_forecast_page_compares_orders_for_voters_who_follow_them(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    # As in tests/forecast: every voter loyal and following the slate's order, one woman
    # needed of two seats. Red as shown is Ann (F), Bea (F); reversed changes nothing about
    # its seats (one), but which of them wins.
    _organiser(client, make_role_holder)
    query = {
        "run": "1",
        "share_0": "60",
        "loyalty_0": "100",
        "follow_0": "100",
        "share_1": "40",
        "loyalty_1": "100",
        "uncertainty": "0",
        "runs": "10",
        "orders": "Red",
    }
    response = _forecast(client, query)
    assert response.status_code == 200
    rows = response.context["order_rows"]
    assert [(row["label"], row["expected"]) for row in rows] == [
        ("as listed", "1.00"),
        ("reversed", "1.00"),  # all of Red's candidates are women: no alternating order
    ]
    assert rows[0]["candidates"][0][1] == 100  # the first listed always wins
    assert rows[1]["candidates"][0][1] == 100
    assert rows[0]["candidates"][0][0] == rows[1]["candidates"][1][0]
    assert "In which order should Red list its candidates?" in response.content.decode()


def test_forecast_page_says_when_nobody_follows_the_order(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    _organiser(client, make_role_holder)
    query = {
        "run": "1",
        "share_0": "60",
        "loyalty_0": "60",
        "share_1": "30",
        "loyalty_1": "60",
        "uncertainty": "5",
        "runs": "10",
        "orders": "Blue",
    }
    html = _forecast(client, query).content.decode()
    assert "None of Blue&#x27;s loyal voters follow its order (set above)" in html
    assert 'id="orders"' not in html


def test_forecast_page_bounds_the_work_of_one_request(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    _organiser(client, make_role_holder)
    query = {
        "run": "1",
        "share_0": "50",
        "loyalty_0": "60",
        "share_1": "30",
        "loyalty_1": "60",
        "uncertainty": "5",
        "runs": "501",
    }
    response = client.post(URL, query)
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 500." in response.content.decode()


def test_the_download_link_before_any_run_gives_the_scenario_shown(
    client: Client, make_role_holder: Callable[[Role], User], section: Section
) -> None:
    _organiser(client, make_role_holder)
    services.result_count_import(
        actor=None, section=section, filename="small.blt", data=SMALL_BLT.read_bytes()
    )
    page = client.get(URL)
    link = re.search(r'id="scenario-download" href="([^"]+)"', page.content.decode())
    assert link is not None
    response = client.get(html.unescape(link.group(1)))
    assert response.status_code == 200
    scenario = scenario_from_mapping(json.loads(response.content))
    assert [(s.name, s.share, s.loyalty) for s in scenario.slates] == [
        ("Red", 0.633, 0.75),  # the shown 63.3% (rounded down) and 75.0%
        ("Blue", 0.233, 0.6),
    ]
