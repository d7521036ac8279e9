"""Emailing a published report to the reporter's followers, in batches, from the task queue.
Each email goes through ``email_to_supporter`` (topic REPORTS) with the key
``report:<id>:<user id>``, so a task run twice sends once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse

from grassroots.web.people.models import Topic, User
from grassroots.web.people.subscriptions import email_to_supporter
from grassroots.web.reports.models import Report
from grassroots.web.reports.selectors import follower_ids

BATCH = 200


def report_batches(*, report_id: int, site_url: str) -> int:
    """Queue one task per ``BATCH`` followers; how many followers."""
    from grassroots.web.reports.tasks import report_deliver_batch

    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return 0
    ids = follower_ids(reporter_id=report.reporter_id)
    for start in range(0, len(ids), BATCH):
        report_deliver_batch.enqueue(report_id, ids[start : start + BATCH], site_url)
    return len(ids)


def report_text(*, report: Report, url: str) -> str:
    """The report as plain text for its email."""
    lines = [f"{report.reporter.name} reports on {report.meeting} ({report.met_on:%-d %B %Y}).", ""]
    lines += ["What was decided:", report.decisions, ""]
    votes = list(report.votes.order_by("position"))
    if votes:
        lines.append("How they voted:")
        lines += [f"- {vote.item}: {vote.get_vote_display()}" for vote in votes]
        lines.append("")
    if report.body:
        lines += [report.body, ""]
    lines.append(f"Read it on the site: {url}")
    return "\n".join(lines) + "\n"


def report_send(*, report_id: int, user_ids: Iterable[int], site_url: str) -> int:
    """Queue the report to each follower in ``user_ids`` still following; how many."""
    report = Report.objects.select_related("reporter").filter(pk=report_id).first()
    if report is None:
        return 0
    url = site_url.rstrip("/") + reverse(
        "reports:report_detail", args=[report.reporter.slug, report.pk]
    )
    body = report_text(report=report, url=url)
    still = User.objects.filter(pk__in=list(user_ids), follows__reporter_id=report.reporter_id)
    queued = 0
    for user in still.select_related("supporter"):
        with transaction.atomic():
            queued += email_to_supporter(
                topic=Topic.REPORTS,
                user=user,
                subject=f"Report from {report.reporter.name}: {report.meeting}",
                body=f"Hello {user.name},\n\n{body}",
                key=f"report:{report.pk}:{user.pk}",
                site_url=site_url,
            )
    return queued
