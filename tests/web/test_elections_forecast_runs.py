"""Forecast runs: the page queues the forecast and answers at once, the run's own page shows
its progress and then its stored result, and the same inputs reuse the same run."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from grassroots.forecast import scenario_from_mapping, simulate
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.forecast_runs import (
    SEED,
    forecast_result,
    forecast_run_compute,
)
from grassroots.web.elections.forecasting import section_scenario
from grassroots.web.elections.models import ForecastRun, ForecastStatus, Section
from grassroots.web.people.models import User
from grassroots.web.people.roles import Role
from grassroots.web.people.services import person_erase
from tests.web.election_factories import candidates_create, election_create, section_get, slate_with
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db

URL = "/organise/elections/nec-test/clp/forecast/"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ASK = {
    "share_0": "55",
    "loyalty_0": "70",
    "follow_0": "50",
    "share_1": "35",
    "loyalty_1": "80",
    "uncertainty": "5",
    "runs": "20",
    "sizes": "Red",
    "orders": "Red",
}


def _section() -> Section:
    """Two seats, a woman at least: Red = Ann, Bea (women), Eve; Blue = Cal; Dee on none."""
    election = election_create()
    section = section_get(election)
    section.seats = 2
    section.quotas = {"F": {"min": 1}}
    section.save()
    people = candidates_create(
        section,
        [
            ("Ann Ash", "F"),
            ("Bea Birch", "F"),
            ("Cal Cedar", "M"),
            ("Dee Dale", "M"),
            ("Eve Elm", "M"),
        ],
    )
    slate_with(election, "Red", [people["Ann Ash"], people["Bea Birch"], people["Eve Elm"]])
    slate_with(election, "Blue", [people["Cal Cedar"]])
    return section


@pytest.fixture
def section() -> Section:
    return _section()


@pytest.fixture
def organiser(client: Client, make_role_holder: Callable[[Role], User]) -> User:
    user = make_role_holder(Role.ORGANISER)
    client.force_login(user)
    return user


def _direct(section: Section, ask: dict[str, str]) -> dict[str, Any]:
    """The forecast as the page computed it inside the request before runs were queued."""
    built = section_scenario(
        section=section,
        shares={"Red": float(ask["share_0"]) / 100, "Blue": float(ask["share_1"]) / 100},
        loyalty={"Red": float(ask["loyalty_0"]) / 100, "Blue": float(ask["loyalty_1"]) / 100},
        follow_order={"Red": float(ask.get("follow_0", 0)) / 100, "Blue": 0.0},
        uncertainty=float(ask["uncertainty"]) / 100,
    )
    return forecast_result(
        built.scenario,
        election=section.election,
        runs=int(ask["runs"]),
        sizes=ask.get("sizes", ""),
        orders=ask.get("orders", ""),
    )


def test_asking_answers_at_once_with_the_run_queued_and_its_progress(
    client: Client, organiser: User, section: Section, settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE  # queued for the worker, not run in the request
    started = time.monotonic()
    asked = client.post(URL, ASK)
    assert time.monotonic() - started < 2  # the forecast itself takes longer than this
    assert asked.status_code == 303
    run = ForecastRun.objects.get()
    assert asked["Location"] == f"{URL}{run.pk}/"
    assert (run.status, run.runs_done, run.requested_by) == (ForecastStatus.QUEUED, 0, organiser)
    # 20 runs, then Red standing 1, 2 and 3, and listed as shown, alternating (Ann, Eve, Bea)
    # and reversed: 20 runs each.
    assert run.runs_total == 20 + 3 * 20 + 3 * 20
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [run.pk]

    page = client.get(asked["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    bar = 'id="forecast-progress-bar" aria-labelledby="forecast-progress-text"'
    assert f'<progress {bar} max="{run.runs_total}" value="0">' in html
    assert f"0 of {run.runs_total} runs done" in html
    assert f'hx-get="{URL}{run.pk}/progress/" hx-trigger="every 2s"' in html
    assert f'<a href="{URL}{run.pk}/">Refresh</a>' in html  # without JavaScript
    assert 'id="seats"' not in html
    assert 'name="share_0" value="55"' in html  # the figures it was asked with

    ForecastRun.objects.filter(pk=run.pk).update(status=ForecastStatus.RUNNING, runs_done=25)
    fragment = client.get(f"{URL}{run.pk}/progress/")
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text
    assert f'max="{run.runs_total}" value="25"' in text
    assert "The forecast is running. 25 of" in text
    assert 'hx-trigger="every 2s"' in text
    assert "HX-Refresh" not in fragment


def test_asking_again_with_the_same_inputs_reuses_the_run_and_queues_nothing(
    client: Client, organiser: User, section: Section, settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE
    first = client.post(URL, ASK)
    second = client.post(URL, {**ASK, "share_0": "55.0"})  # the same figure, written otherwise
    assert second.status_code == 303
    assert second["Location"] == first["Location"]
    assert (ForecastRun.objects.count(), DBTaskResult.objects.count()) == (1, 1)
    other = client.post(URL, {**ASK, "runs": "61"})
    assert other["Location"] != first["Location"]
    assert (ForecastRun.objects.count(), DBTaskResult.objects.count()) == (2, 2)


def test_the_stored_result_equals_the_forecast_computed_in_one_go(
    client: Client, organiser: User, section: Section
) -> None:
    asked = client.post(URL, ASK)  # the tests' task backend runs the task at once
    run = ForecastRun.objects.get()
    assert run.status == ForecastStatus.DONE, run.error
    assert run.runs_done == run.runs_total
    assert run.result == _direct(section, ASK)
    assert run.result["size_rows"]
    assert run.result["order_rows"]
    page = client.get(asked["Location"])
    html = page.content.decode()
    assert 'id="seats"' in html
    assert 'id="sizes"' in html
    assert 'id="orders"' in html
    # The engine's charts, drawn in the worker and kept with the result.
    assert run.result["seat_chart"].startswith("<svg")
    assert "Seats won: the chance of each number" in html
    assert 'id="size-chart"' in html
    assert "Red: expected seats by slate size" in html
    assert "<progress" not in html
    assert page.context["seat_rows"] == run.result["seat_rows"]
    # Done: the fragment tells the polling page to reload, and polls no more.
    fragment = client.get(f"{URL}{run.pk}/progress/")
    assert fragment["HX-Refresh"] == "true"
    assert "hx-trigger" not in fragment.content.decode()


def test_chunked_runs_give_the_same_figures_as_one_go(section: Section) -> None:
    scenario = section_scenario(section=section).scenario
    told: list[int] = []
    chunked = simulate(scenario, runs=60, seed=SEED, progress=told.append)
    whole = simulate(scenario, runs=60, seed=SEED)
    assert told == [25, 50, 60]
    assert np.array_equal(chunked.elected, whole.elected)
    assert np.array_equal(chunked.seats, whole.seats)
    assert np.array_equal(chunked.first_preferences, whole.first_preferences)


def test_a_task_for_a_run_already_done_does_nothing(
    client: Client, organiser: User, section: Section
) -> None:
    client.post(URL, ASK)
    run = ForecastRun.objects.get()
    ForecastRun.objects.filter(pk=run.pk).update(result={"kept": True})
    assert forecast_run_compute(run_id=run.pk) == "done already"
    assert ForecastRun.objects.get().result == {"kept": True}


def test_a_run_left_running_by_a_stopped_worker_is_run_again(
    client: Client, organiser: User, section: Section, settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE
    client.post(URL, ASK)
    ForecastRun.objects.update(status=ForecastStatus.RUNNING, runs_done=50)
    run = ForecastRun.objects.get()
    assert forecast_run_compute(run_id=run.pk) == "done"
    assert ForecastRun.objects.get().result == _direct(section, ASK)


def test_a_failed_run_shows_its_error_and_asking_again_queues_it_again(
    client: Client, organiser: User, section: Section, settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE
    asked = client.post(URL, ASK)
    run = ForecastRun.objects.get()
    broken = {**run.inputs, "scenario": {**run.inputs["scenario"], "seats": 99}}
    ForecastRun.objects.filter(pk=run.pk).update(inputs=broken)
    assert forecast_run_compute(run_id=run.pk) == "failed"
    html = client.get(asked["Location"]).content.decode()
    assert '<p id="run-error" role="alert">The forecast failed: ' in html
    assert "seats: must be from 1 to the 5 candidates standing, got 99" in html
    assert "<progress" not in html

    ForecastRun.objects.filter(pk=run.pk).update(inputs=run.inputs)
    again = client.post(URL, ASK)
    assert again["Location"] == asked["Location"]
    assert ForecastRun.objects.get().status == ForecastStatus.QUEUED
    assert DBTaskResult.objects.count() == 2
    assert forecast_run_compute(run_id=run.pk) == "done"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 404),
        ("supporter", 404),
        (Role.COMMITTEE, 404),
        (Role.ORGANISER, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_run_page_and_progress_are_for_organisers_only(  # noqa: PLR0917 (pytest's fixtures)
    client: Client,
    make_role_holder: Callable[[Role], User],
    section: Section,
    settings: Any,
    role: Role | str | None,
    status: int,
) -> None:
    settings.TASKS = DATABASE_QUEUE
    asker = Client()
    asker.force_login(make_role_holder(Role.ORGANISER))
    location = asker.post(URL, ASK)["Location"]  # another organiser's run: shared by address
    if role == "supporter":
        client.force_login(supporter_create(clp=Constituency.objects.with_clp().first()).user)
    elif isinstance(role, Role):
        client.force_login(make_role_holder(role))
    assert client.get(location).status_code == status
    assert client.get(f"{location}progress/").status_code == status
    assert client.post(URL, ASK).status_code == (303 if status == 200 else 404)


def test_a_run_is_found_only_under_its_own_section(
    client: Client, organiser: User, section: Section, settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE
    location = client.post(URL, ASK)["Location"]
    run = ForecastRun.objects.get()
    other = section.election.sections.create(name="Other", slug="other", seats=1)
    elsewhere = location.replace("/clp/", f"/{other.slug}/")
    assert client.get(elsewhere).status_code == 404
    assert client.get(f"{URL}{run.pk + 1}/").status_code == 404


def test_erasing_the_organiser_who_asked_keeps_the_run_without_them(
    client: Client, organiser: User, section: Section
) -> None:
    client.post(URL, ASK)
    person_erase(person=organiser)
    run = ForecastRun.objects.get()
    assert run.requested_by is None
    assert run.status == ForecastStatus.DONE


def test_the_run_page_downloads_the_scenario_it_ran(
    client: Client, organiser: User, section: Section
) -> None:
    import html as html_module
    import json
    import re

    asked = client.post(URL, ASK)
    page = client.get(asked["Location"]).content.decode()
    link = re.search(r'id="scenario-download" href="([^"]+)"', page)
    assert link is not None
    download = client.get(html_module.unescape(link.group(1)))
    assert download.status_code == 200
    scenario = scenario_from_mapping(json.loads(download.content))
    assert scenario_from_mapping(ForecastRun.objects.get().inputs["scenario"]) == scenario
