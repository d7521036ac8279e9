"""The reports' background tasks, run by the worker (``grassroots worker``)."""

from __future__ import annotations

from django_tasks import task

from grassroots.web.reports import delivery


@task()
def report_deliver(report_id: int, site_url: str) -> int:
    """Split a new report's followers into batches (``delivery.report_batches``)."""
    return delivery.report_batches(report_id=report_id, site_url=site_url)


@task()
def report_deliver_batch(report_id: int, user_ids: list[int], site_url: str) -> int:
    """Email the report to one batch of followers (``delivery.report_send``)."""
    return delivery.report_send(report_id=report_id, user_ids=user_ids, site_url=site_url)
