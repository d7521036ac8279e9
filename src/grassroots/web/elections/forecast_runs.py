"""Forecast runs: a section's forecast asked for on the forecast page, run by the worker.

A forecast of 500 runs takes up to half a minute, too long to hold a request. The page stores
the inputs as a ``ForecastRun`` and queues ``elections.tasks.forecast_compute``; the worker
runs the forecast a chunk of runs at a time, recording how many are done, and stores the
result the page shows. The inputs' hash (with the seed and ``FORECAST_VERSION``) is unique, so
asking again with the same inputs reuses the run and its result.

The result is the same as a forecast made in one go: every run draws from its own stream of
the seed (``grassroots.forecast.simulate``), however the runs are chunked.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks_db import DatabaseBackend

import grassroots
from grassroots.forecast import (
    Forecast,
    OrderAdvice,
    Scenario,
    ScenarioError,
    SizeAdvice,
    default_orders,
    scenario_from_mapping,
    scenario_to_mapping,
)
from grassroots.web.elections import selectors
from grassroots.web.elections.models import ForecastRun, ForecastStatus, PartyElection, Section
from grassroots.web.people.models import User

logger = logging.getLogger(__name__)

SEED = 1
SIZE_RUNS = 100  # runs per slate size or order: a comparison is paired, so fewer runs suffice
BAR_MAX = 340
BAR_HEIGHT = 28
# Part of every run's key: raise the number when a change to the engine or to the stored
# result's shape would make a stored result differ from a new one, so none is reused.
FORECAST_VERSION = f"{grassroots.__version__}/1"


def forecast_inputs(
    *, section: Section, scenario: Scenario, runs: int, sizes: str, orders: str
) -> dict[str, Any]:
    """What decides a forecast's figures, as JSON: the run's key is their hash."""
    return {
        "version": FORECAST_VERSION,
        "seed": SEED,
        "section": section.pk,
        "scenario": scenario_to_mapping(scenario),
        "runs": runs,
        "sizes": sizes,
        "orders": orders,
    }


def inputs_hash(inputs: Mapping[str, Any]) -> str:
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def forecast_run_request(
    *,
    section: Section,
    scenario: Scenario,
    runs: int,
    sizes: str,
    orders: str,
    form: Mapping[str, str],
    by: User | None,
) -> ForecastRun:
    """The run for these inputs: the stored one if asked before, else a new one with its task
    queued. A failed run is queued again. ``form`` is the page's fields as asked, to show."""
    inputs = forecast_inputs(
        section=section, scenario=scenario, runs=runs, sizes=sizes, orders=orders
    )
    key = inputs_hash(inputs)
    queue_in_transaction = isinstance(_task().get_backend(), DatabaseBackend)
    with transaction.atomic():
        run, created = ForecastRun.objects.get_or_create(
            input_hash=key,
            defaults={
                "section": section,
                "inputs": {**inputs, "form": dict(form)},
                "runs_total": planned_runs(scenario, runs=runs, sizes=sizes, orders=orders),
                "requested_by": by,
            },
        )
        if not created and run.status == ForecastStatus.FAILED:
            created = bool(
                ForecastRun.objects.filter(pk=run.pk, status=ForecastStatus.FAILED).update(
                    status=ForecastStatus.QUEUED, error="", runs_done=0, finished_at=None
                )
            )
        if created and queue_in_transaction:
            _task().enqueue(run.pk)  # committed with the run, or not at all
    if created and not queue_in_transaction:
        _task().enqueue(run.pk)
    run.refresh_from_db()
    return run


def _task() -> Any:
    from grassroots.web.elections.tasks import forecast_compute

    return forecast_compute


def planned_runs(scenario: Scenario, *, runs: int, sizes: str, orders: str) -> int:
    """How many runs the forecast and its comparisons make: the progress bar's end."""
    small = min(runs, SIZE_RUNS)
    total = runs
    if sizes:
        standing = len(scenario.slates[scenario.slate_index(sizes)].candidates)
        total += small * sum(_can_stand(scenario, sizes, n) for n in range(1, standing + 1))
    if orders and scenario.slates[scenario.slate_index(orders)].follow_order > 0:
        total += small * len(default_orders(scenario, orders))
    return total


def _can_stand(scenario: Scenario, slate: str, size: int) -> bool:
    try:
        scenario.with_slate_size(slate, size).check()
    except ScenarioError:
        return False
    return True


def forecast_run_compute(*, run_id: int) -> str:
    """Run a stored forecast and store its result; what happened, in a word.

    Idempotent: a run already done is left alone. A run shown as running (its worker was
    stopped, and the queue gave its task to another) is run again from the start.
    """
    run = ForecastRun.objects.select_related("section__election").filter(pk=run_id).first()
    if run is None:
        return "gone"
    if run.status == ForecastStatus.DONE:
        return "done already"
    ForecastRun.objects.filter(pk=run_id).exclude(status=ForecastStatus.DONE).update(
        status=ForecastStatus.RUNNING, runs_done=0, error=""
    )

    def told(done: int) -> None:
        ForecastRun.objects.filter(pk=run_id, status=ForecastStatus.RUNNING).update(runs_done=done)

    inputs = run.inputs
    try:
        result = forecast_result(
            scenario_from_mapping(inputs["scenario"]),
            election=run.section.election,
            runs=inputs["runs"],
            sizes=inputs["sizes"],
            orders=inputs["orders"],
            seed=inputs["seed"],
            progress=told,
        )
    except ScenarioError as err:
        return _failed(run_id, str(err))
    except Exception as err:  # recorded for the organiser; the worker's log has the trace
        logger.exception("forecast run %s failed", run_id)
        return _failed(
            run_id,
            f"The forecast stopped with an unexpected error ({type(err).__name__}). "
            "The site's operator can find it in the worker's log.",
        )
    ForecastRun.objects.filter(pk=run_id).exclude(status=ForecastStatus.DONE).update(
        status=ForecastStatus.DONE,
        result=result,
        runs_done=F("runs_total"),
        finished_at=timezone.now(),
    )
    return "done"


def _failed(run_id: int, error: str) -> str:
    ForecastRun.objects.filter(pk=run_id).exclude(status=ForecastStatus.DONE).update(
        status=ForecastStatus.FAILED, error=error, finished_at=timezone.now()
    )
    return "failed"


def forecast_result(
    scenario: Scenario,
    *,
    election: PartyElection,
    runs: int,
    sizes: str = "",
    orders: str = "",
    seed: int = SEED,
    progress: Any = None,
) -> dict[str, Any]:
    """The forecast, and the size or order comparison asked for, as the page shows them (JSON).

    ``progress`` (optional) is told the runs done so far, over the forecast and comparisons.
    """
    from grassroots.forecast import simulate, slate_orders, slate_sizes
    from grassroots.forecast.charts import seat_distribution_svg, slate_size_svg

    def offset(before: int) -> Any:
        return None if progress is None else (lambda done: progress(before + done))

    forecast = simulate(scenario, runs=runs, seed=seed, progress=offset(0))
    result = _forecast_context(forecast, election)
    # The engine's own charts (the same as ``grassroots forecast --plot``), kept with the result.
    result["seat_chart"] = seat_distribution_svg(forecast)
    done = runs
    small = min(runs, SIZE_RUNS)
    if sizes:
        advice = slate_sizes(scenario, sizes, runs=small, seed=seed, progress=offset(done))
        done += small * len(advice.forecasts)
        result.update(
            advice={"slate": advice.slate},
            size_runs=small,
            size_rows=_size_rows(advice),
            size_chart=slate_size_svg(advice),
        )
    if orders:
        try:
            ordering = slate_orders(scenario, orders, runs=small, seed=seed, progress=offset(done))
        except ScenarioError:
            result["order_error"] = (
                f"None of {orders}'s loyal voters follow its order (set above), so every order "
                "forecasts alike."
            )
        else:
            result.update(
                ordering={"slate": ordering.slate},
                size_runs=small,
                order_rows=_order_rows(ordering),
            )
    # Through JSON, so a result made now and one read back from the database are alike.
    loaded: dict[str, Any] = json.loads(json.dumps(result))
    return loaded


def _forecast_context(forecast: Forecast, election: PartyElection) -> dict[str, Any]:
    """Rows of the seats table and chart, and the chances table, as the template shows them."""
    from grassroots.forecast import chances_table

    seats = forecast.scenario.seats
    columns = [k for k in range(seats + 1) if (forecast.seats == k).any()]
    colours = {s.name: s.colour for s in selectors.slate_list(election=election)}
    first = forecast.first_preferences.mean(axis=0)
    rows = []
    for index, group in enumerate(forecast.groups):
        low, high = forecast.seats_range(group)
        expected = forecast.expected_seats(group)
        chances = forecast.seat_chances(group)
        rows.append(
            {
                "name": group,
                "first_preferences": round(100 * float(first[index])),
                "expected": f"{expected:.2f}",
                "low": low,
                "high": high,
                "chances": [round(100 * chances[k]) or "" for k in columns],
                "bar": round(BAR_MAX * expected / seats),
                "colour": colours.get(group, selectors.GREY),
                "y": index * BAR_HEIGHT,
            }
        )
    return {
        "forecast": {"runs": forecast.runs, "seed": forecast.seed},
        "seat_columns": columns,
        "seat_rows": rows,
        "chart_height": BAR_HEIGHT * len(rows),
        "chances": [
            [name, slate, category, round(100 * chance)]
            for name, slate, category, chance in chances_table(forecast)
        ],
    }


def _size_rows(advice: SizeAdvice) -> list[dict[str, Any]]:
    rows = []
    for size, forecast in advice.forecasts:
        low, high = forecast.seats_range(advice.slate)
        slate = forecast.scenario.slates[forecast.scenario.slate_index(advice.slate)]
        rows.append(
            {
                "size": size,
                "expected": f"{forecast.expected_seats(advice.slate):.2f}",
                "low": low,
                "high": high,
                "last_chance": round(100 * forecast.chance(slate.candidates[-1].name)),
                "best": size == advice.best_size,
            }
        )
    return rows


def _order_rows(advice: OrderAdvice) -> list[dict[str, Any]]:
    rows = []
    for label, order, forecast in advice.forecasts:
        low, high = forecast.seats_range(advice.slate)
        rows.append(
            {
                "label": label,
                "expected": f"{forecast.expected_seats(advice.slate):.2f}",
                "low": low,
                "high": high,
                "candidates": [[name, round(100 * forecast.chance(name))] for name in order],
                "best": label == advice.best,
            }
        )
    return rows
