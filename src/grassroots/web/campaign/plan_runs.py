"""Evaluating a vote plan, and searching for one, in the worker.

An evaluation simulates the section's election many times (``grassroots.forecast``), too long
for a request. The plan's page stores the inputs as a ``PlanRun`` and queues
``campaign.tasks.plan_run_compute``; the worker runs the engine
(``grassroots.forecast.vote_management``), recording how many runs are done for the page's
progress bar, and stores the result. An evaluation compares the plan with no plan on the
same draws (the same seed streams), so the difference is the plan's and not chance's.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_tasks_db import DatabaseBackend

from grassroots.forecast import Scenario, ScenarioError, scenario_from_mapping, scenario_to_mapping
from grassroots.web.campaign.models import PlanRule, PlanRun, RunKind, VotePlan
from grassroots.web.elections.forecasting import section_scenario
from grassroots.web.elections.models import ForecastStatus
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User

logger = logging.getLogger(__name__)

SEED = 1
DEFAULT_RUNS = 200
SEARCH_TRIES = 6  # the search's forecasts: no plan, then up to five plans
MAX_RUNS = 500


def _vote_management() -> Any:
    """The engine's vote-management module (imported when used: it loads numpy)."""
    try:
        from grassroots.forecast import vote_management
    except ImportError as err:  # an engine older than vote management
        raise DomainError("This site's forecast engine cannot evaluate vote plans.") from err
    return vote_management


def plan_scenario(*, plan: VotePlan) -> Scenario:
    """The section's forecast scenario, which must include the plan's slate."""
    scenario = section_scenario(section=plan.section).scenario
    if plan.slate.name not in {s.name for s in scenario.slates}:
        raise DomainError(
            f"{plan.slate.name} has no candidate standing in this section's forecast.",
        )
    return scenario


def plan_mapping(*, plan: VotePlan) -> dict[str, Any]:
    """The plan in the engine's JSON form (``VotingPlan.to_mapping``)."""
    return {
        "slate": plan.slate.name,
        "groups": [
            {"name": g.name, "share": g.share, "order": list(g.order)} for g in plan.groups.all()
        ],
    }


def engine_plan(*, plan: VotePlan, scenario: Scenario) -> Any:
    """The engine's ``VotingPlan``; a ``DomainError`` saying what is wrong with it."""
    try:
        return _vote_management().plan_from_mapping(plan_mapping(plan=plan), scenario)
    except ScenarioError as err:
        raise DomainError(f"The plan cannot be evaluated: {err}") from err


def first_preferences(*, plan: VotePlan) -> list[dict[str, Any]]:
    """The expected first preferences of each slate candidate under the plan, in percent of
    all votes (worked out, not simulated: cheap enough for the page)."""
    scenario = plan_scenario(plan=plan)
    shares = _vote_management().plan_first_preferences(
        scenario, engine_plan(plan=plan, scenario=scenario), plan.follow / 100
    )
    return [{"name": name, "percent": round(100 * share, 1)} for name, share in shares.items()]


def plan_run_request(
    *, plan: VotePlan, kind: str, follow: int, runs: int, by: User | None
) -> PlanRun:
    """Store a run of the plan with its inputs and queue it for the worker."""
    scenario = plan_scenario(plan=plan)
    inputs: dict[str, Any] = {
        "seed": SEED,
        "scenario": scenario_to_mapping(scenario),
        "follow": follow,
        "runs": runs,
    }
    if kind == RunKind.EVALUATE:
        engine_plan(plan=plan, scenario=scenario)  # refused now, not in the worker
        inputs["plan"] = plan_mapping(plan=plan)
        total = 2 * runs
    else:
        inputs["slate"] = plan.slate.name
        inputs["groups"] = [[g.name, g.share] for g in plan.groups.all()]
        total = SEARCH_TRIES * runs  # at most: plans alike are tried once
    queue_in_transaction = isinstance(_task().get_backend(), DatabaseBackend)
    with transaction.atomic():
        run = PlanRun.objects.create(
            plan=plan, kind=kind, inputs=inputs, runs_total=total, requested_by=by
        )
        if queue_in_transaction:
            _task().enqueue(run.pk)
    if not queue_in_transaction:
        _task().enqueue(run.pk)
    run.refresh_from_db()
    return run


def _task() -> Any:
    from grassroots.web.campaign.tasks import plan_run_compute

    return plan_run_compute


def plan_run_compute(*, run_id: int) -> str:
    """Run a stored evaluation or search and store its result; what happened, in a word.
    A run already done is left alone; one left running by a stopped worker starts again."""
    run = PlanRun.objects.filter(pk=run_id).first()
    if run is None:
        return "gone"
    if run.status == ForecastStatus.DONE:
        return "done already"
    PlanRun.objects.filter(pk=run_id).exclude(status=ForecastStatus.DONE).update(
        status=ForecastStatus.RUNNING, runs_done=0, error=""
    )
    total = run.runs_total

    def told(done: int) -> None:
        PlanRun.objects.filter(pk=run_id, status=ForecastStatus.RUNNING).update(
            runs_done=min(done, total)
        )

    try:
        result = run_result(run.kind, run.inputs, progress=told)
    except ScenarioError as err:
        return _failed(run_id, str(err))
    except Exception as err:  # recorded for the organiser; the worker's log has the trace
        logger.exception("plan run %s failed", run_id)
        return _failed(
            run_id,
            f"The run stopped with an unexpected error ({type(err).__name__}). "
            "The site's operator can find it in the worker's log.",
        )
    PlanRun.objects.filter(pk=run_id).exclude(status=ForecastStatus.DONE).update(
        status=ForecastStatus.DONE,
        result=result,
        runs_done=F("runs_total"),
        finished_at=timezone.now(),
    )
    return "done"


def _failed(run_id: int, error: str) -> str:
    PlanRun.objects.filter(pk=run_id).exclude(status=ForecastStatus.DONE).update(
        status=ForecastStatus.FAILED, error=error, finished_at=timezone.now()
    )
    return "failed"


def run_result(kind: str, inputs: Mapping[str, Any], *, progress: Any = None) -> dict[str, Any]:
    """The engine's answer for a stored run, as JSON the page shows."""
    engine = _vote_management()
    scenario = scenario_from_mapping(inputs["scenario"])
    follow = inputs["follow"] / 100
    if kind == RunKind.EVALUATE:
        plan = engine.plan_from_mapping(inputs["plan"], scenario)
        comparison = engine.plan_evaluate(
            scenario,
            plan,
            follow=follow,
            runs=inputs["runs"],
            seed=inputs["seed"],
            progress=progress,
        )
        result = {"comparison": comparison.to_mapping()}
    else:
        found, explanation = engine.plan_search(
            scenario,
            inputs["slate"],
            [(name, share) for name, share in inputs["groups"]],
            follow=follow,
            runs=inputs["runs"],
            seed=inputs["seed"],
            progress=progress,
        )
        result = {"plan": found.to_mapping(), "explanation": explanation}
    loaded: dict[str, Any] = json.loads(json.dumps(result))
    return loaded


def plan_is_table(plan: VotePlan) -> bool:
    """Whether supporters pick their own row (a published rule) rather than being told."""
    return plan.rule != PlanRule.REGION


def result_context(run: PlanRun) -> dict[str, Any]:
    """What the run's page shows of its stored result: for an evaluation, the slate's
    expected seats and the chance of each seat count with and without the plan, and each
    candidate's chance; for a search, the orders found and why."""
    result = run.result or {}
    if run.kind == RunKind.SEARCH:
        return {"found": result.get("plan", {}), "explanation": result.get("explanation", "")}
    comparison = result.get("comparison", {})
    with_plan = comparison.get("with_plan", {})
    without = comparison.get("without_plan", {})
    planned, unplanned = with_plan.get("seat_chances", []), without.get("seat_chances", [])
    seats = [
        {
            "seats": k,
            "with_plan": round(100 * planned[k]) if k < len(planned) else 0,
            "without_plan": round(100 * unplanned[k]) if k < len(unplanned) else 0,
        }
        for k in range(max(len(planned), len(unplanned)))
        if (k < len(planned) and planned[k]) or (k < len(unplanned) and unplanned[k])
    ]
    firsts_with = with_plan.get("first_preferences", {})
    firsts_without = without.get("first_preferences", {})
    chances_without = without.get("chances", {})
    candidates = [
        {
            "name": name,
            "with_plan": round(100 * chance),
            "without_plan": round(100 * chances_without.get(name, 0)),
            "first_with": round(100 * firsts_with.get(name, 0), 1),
            "first_without": round(100 * firsts_without.get(name, 0), 1),
        }
        for name, chance in with_plan.get("chances", {}).items()
    ]
    return {
        "comparison": comparison,
        "comparison_chart": _comparison_chart(comparison, planned, unplanned),
        "expected_with": with_plan.get("expected_seats"),
        "expected_without": without.get("expected_seats"),
        "seat_rows": seats,
        "candidate_rows": candidates,
    }


def _comparison_chart(
    comparison: dict[str, Any], planned: list[float], unplanned: list[float]
) -> SafeString | None:
    """The engine's chart of the slate's seats with no plan and with the plan, drawn from the
    stored result (the same chart as ``grassroots forecast plan --plot``)."""
    from grassroots.forecast.charts import grouped_bars

    if not planned or not unplanned:
        return None
    seats = max(len(planned), len(unplanned))
    slate = str(comparison.get("slate", "the slate"))
    with_seats = float(comparison["with_plan"]["expected_seats"])
    without_seats = float(comparison["without_plan"]["expected_seats"])
    svg = grouped_bars(
        f"{slate}: seats with no plan and with the plan",
        f"The same simulated elections with and without the plan: {without_seats:.2f} seats "
        f"expected with no plan, {with_seats:.2f} with it.",
        [str(k) for k in range(seats)],
        [
            (f"no plan ({without_seats:.2f} expected)", unplanned),
            (f"plan ({with_seats:.2f} expected)", planned),
        ],
        x_label="seats won by the slate",
        y_label="share of runs",
    )
    return mark_safe(svg)  # noqa: S308  # drawn by the engine, every text in it escaped
