"""The campaign's tasks the worker runs (``grassroots worker``). Arguments are plain ids: the
rows hold the inputs and receive the results."""

from __future__ import annotations

from django_tasks import task

from grassroots.web.campaign.mailing import plan_emails_batch
from grassroots.web.campaign.plan_runs import plan_run_compute as compute


@task()
def plan_run_compute(run_id: int) -> str:
    """Run one stored evaluation or search, once (``campaign.plan_runs.plan_run_compute``)."""
    return compute(run_id=run_id)


@task()
def plan_emails_send(plan_id: int, site_url: str, after_user_id: int) -> int:
    """Email one batch of supporters their order of a published plan, then queue the next
    batch; how many emails this batch queued."""
    queued, last = plan_emails_batch(
        plan_id=plan_id, site_url=site_url, after_user_id=after_user_id
    )
    if last is not None:
        plan_emails_send.enqueue(plan_id, site_url, last)
    return queued
