"""Writing representatives' reports: recording a representative, publishing a report (which
emails each follower from a task), following and unfollowing. Each service runs in one
transaction with its audit row; the summaries name no supporter."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from grassroots.web.alliance.models import Representative
from grassroots.web.audit.services import audit_record
from grassroots.web.errors import DomainError
from grassroots.web.people.models import User
from grassroots.web.reports.models import Follow, Report, Reporter, ReportVote, Vote

MAX_VOTES = 100


def votes_parse(text: str) -> list[tuple[str, Vote]]:
    """The votes typed one a line as ``item | vote`` (for, against, abstain or absent);
    a refusal naming the line that is wrong."""
    words = {choice.value: choice for choice in Vote} | {"abstained": Vote.ABSTAIN}
    votes: list[tuple[str, Vote]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        item, bar, vote = line.rpartition("|")
        if not bar or not item.strip():
            raise DomainError(
                f"Line {number}: write the item, a bar and the vote, e.g. “Motion 3 | for”.",
                field="votes",
            )
        word = vote.strip().lower()
        if word not in words:
            raise DomainError(
                f"Line {number}: “{vote.strip()}” is not a vote: write for, against, abstain "
                "or absent.",
                field="votes",
            )
        if len(item.strip()) > 300:
            raise DomainError(
                f"Line {number}: the item is longer than 300 characters.", field="votes"
            )
        votes.append((item.strip(), words[word]))
    if len(votes) > MAX_VOTES:
        raise DomainError(f"At most {MAX_VOTES} votes in one report.", field="votes")
    return votes


@transaction.atomic(durable=True)
def reporter_create(
    *,
    actor: User,
    name: str,
    role: str,
    bio: str = "",
    representative: Representative | None = None,
) -> Reporter:
    """Give a representative a public page of reports; audit."""
    if not name.strip() or not slugify(name):
        raise DomainError("Enter the representative's name.", field="name")
    if not role.strip():
        raise DomainError("Say what they sit on.", field="role")
    if Reporter.objects.filter(slug=slugify(name)[:150]).exists():
        raise DomainError("A representative with this name has a page already.", field="name")
    reporter = Reporter.objects.create(
        name=name.strip(),
        role=role.strip(),
        bio=bio.strip(),
        representative=representative,
        created_by=actor,
    )
    audit_record(
        actor_id=actor.pk,
        action="reporter.create",
        object_type="reporter",
        object_id=reporter.pk,
        summary="committee seat linked" if representative else "named by organisers",
    )
    return reporter


@transaction.atomic(durable=True)
def report_publish(
    *,
    actor: User,
    reporter: Reporter,
    meeting: str,
    met_on: datetime.date,
    decisions: str,
    votes: Sequence[tuple[str, Vote]] = (),
    body: str = "",
    site_url: str = "",
) -> Report:
    """Publish a report after a meeting, with its votes in order; audit; after the commit,
    a task emails it to each follower (``reports.delivery``)."""
    if not meeting.strip():
        raise DomainError("Name the meeting.", field="meeting")
    if met_on > timezone.localdate():
        raise DomainError("Report on a meeting once it has happened.", field="met_on")
    if not decisions.strip():
        raise DomainError("Say what the meeting decided.", field="decisions")
    report = Report.objects.create(
        reporter=reporter,
        meeting=meeting.strip(),
        met_on=met_on,
        decisions=decisions.strip(),
        body=body.strip(),
        published_by=actor,
    )
    ReportVote.objects.bulk_create(
        ReportVote(report=report, item=item, vote=vote, position=position)
        for position, (item, vote) in enumerate(votes)
    )
    audit_record(
        actor_id=actor.pk,
        action="report.publish",
        object_type="report",
        object_id=report.pk,
        summary=f"reporter {reporter.pk}, {len(votes)} votes",
    )
    from grassroots.web.reports.tasks import report_deliver

    report_id = report.pk
    transaction.on_commit(lambda: report_deliver.enqueue(report_id, site_url))
    return report


@transaction.atomic(durable=True)
def reporter_follow(*, user: User, reporter: Reporter) -> bool:
    """Follow a reporter; True if new. Audited as the supporter's own act."""
    _, created = Follow.objects.get_or_create(user=user, reporter=reporter)
    if created:
        audit_record(
            actor_id=user.pk,
            action="reporter.follow",
            object_type="reporter",
            object_id=reporter.pk,
        )
    return created


@transaction.atomic(durable=True)
def reporter_unfollow(*, user: User, reporter: Reporter) -> bool:
    deleted, _ = Follow.objects.filter(user=user, reporter=reporter).delete()
    if deleted:
        audit_record(
            actor_id=user.pk,
            action="reporter.unfollow",
            object_type="reporter",
            object_id=reporter.pk,
        )
    return bool(deleted)
