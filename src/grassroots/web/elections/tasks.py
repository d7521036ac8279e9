"""The elections tasks the worker runs (``grassroots worker``). A task's arguments are plain
ids: the ``ForecastRun`` row holds the inputs and receives the result."""

from __future__ import annotations

from django_tasks import task

from grassroots.web.elections.forecast_runs import forecast_run_compute


@task()
def forecast_compute(run_id: int) -> str:
    """Run one stored forecast, once (``elections.forecast_runs.forecast_run_compute``)."""
    return forecast_run_compute(run_id=run_id)
