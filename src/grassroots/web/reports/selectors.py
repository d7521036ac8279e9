"""Reading representatives' reports: their pages, votes over time, and who follows (counted,
and listed only to the task that emails them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet

from grassroots.web.people.models import User
from grassroots.web.reports.models import Follow, Report, Reporter, ReportVote


def reporter_list() -> QuerySet[Reporter]:
    return Reporter.objects.annotate(report_count=Count("reports")).order_by("name", "id")


def reporter_get(*, slug: str) -> Reporter | None:
    return Reporter.objects.select_related("representative").filter(slug=slug).first()


def report_list(*, reporter: Reporter) -> QuerySet[Report]:
    """The reporter's reports, the latest meeting first, each with its votes."""
    return reporter.reports.prefetch_related(
        Prefetch("votes", queryset=ReportVote.objects.order_by("position"))
    ).order_by("-met_on", "-id")


def report_get(*, reporter: Reporter, report_id: int) -> Report | None:
    return report_list(reporter=reporter).filter(pk=report_id).first()


@dataclass(frozen=True)
class VoteRow:
    met_on: date
    meeting: str
    report_id: int
    item: str
    vote: str


def vote_history(*, reporter: Reporter) -> list[VoteRow]:
    """Every vote the reporter reported, the latest meeting first (one query)."""
    votes = (
        ReportVote.objects.filter(report__reporter=reporter)
        .select_related("report")
        .order_by("-report__met_on", "-report_id", "position")
    )
    return [
        VoteRow(v.report.met_on, v.report.meeting, v.report_id, v.item, v.get_vote_display())
        for v in votes
    ]


def follows(*, user: User, reporter: Reporter) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, reporter=reporter).exists()


def follower_count(*, reporter: Reporter) -> int:
    return reporter.follows.count()


def follower_ids(*, reporter_id: int) -> list[int]:
    """For the task that emails a report only."""
    return list(
        Follow.objects.filter(reporter_id=reporter_id)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def follow_export(person: User) -> list[dict[str, str]]:
    """The representatives the person follows, for their data export."""
    return [
        {"representative": follow.reporter.name, "since": follow.created_at.isoformat()}
        for follow in Follow.objects.filter(user=person).select_related("reporter").order_by("pk")
    ]
