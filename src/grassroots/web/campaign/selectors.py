"""Reading the campaign: each target CLP's status, the view by region, the organiser's
to-do list, what a supporter sees of their own CLP, and the plan order a supporter is told.

Counts of supporters are of verified supporters (as everywhere on the site), and never say
who they are; whether a CLP has a volunteer is a yes or no.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from grassroots.web.campaign.models import (
    Drive,
    Meeting,
    OutcomeReport,
    PlanGroup,
    PlanRule,
    ReportStatus,
    Target,
    Volunteer,
    VotePlan,
)
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Nomination, SlateMembership
from grassroots.web.people.models import Supporter, User


def drive_list() -> QuerySet[Drive]:
    return Drive.objects.select_related("slate", "section__election").annotate(
        target_count=Count("targets", distinct=True)
    )


def drive_get(*, drive_id: int) -> Drive:
    try:
        return Drive.objects.select_related("slate", "section__election").get(pk=drive_id)
    except Drive.DoesNotExist:
        raise Http404("No such drive.") from None


def slate_candidate_names(*, drive: Drive | VotePlan) -> list[str]:
    """The slate's candidates in the section, in the order they joined the slate."""
    return list(
        SlateMembership.objects.filter(slate=drive.slate, candidate__section=drive.section)
        .order_by("pk")
        .values_list("candidate__name", flat=True)
    )


@dataclass
class ClpStatus:
    """One target CLP in the tracker."""

    clp: Constituency
    nominated: list[str] = field(default_factory=list)  # candidates, ours marked by for_us
    for_us: bool = False
    for_others: bool = False
    meets_on: datetime.date | None = None
    supporters: int = 0
    volunteer: bool = False
    pending_reports: int = 0

    @property
    def has_nominated(self) -> bool:
        return bool(self.nominated)


def target_status_list(*, drive: Drive, clps: list[Constituency] | None = None) -> list[ClpStatus]:
    """Every target CLP (or those of ``clps`` that are targets) with its status, by region and
    name. "For us": it nominated at least one of the slate's candidates; "for others": it
    nominated, but none of them. A fixed number of queries, however many CLPs."""
    targets = Target.objects.filter(drive=drive).select_related("clp")
    if clps is not None:
        targets = targets.filter(clp__in=clps)
    rows = {t.clp_id: ClpStatus(clp=t.clp) for t in targets}
    ours = set(
        SlateMembership.objects.filter(
            slate=drive.slate, candidate__section=drive.section
        ).values_list("candidate_id", flat=True)
    )
    nominations = (
        Nomination.objects.filter(section=drive.section, clp_id__in=rows)
        .select_related("candidate")
        .order_by("candidate__name")
    )
    for nomination in nominations:
        row = rows[nomination.clp_id]
        row.nominated.append(nomination.candidate.name)
        row.for_us = row.for_us or nomination.candidate_id in ours
    for row in rows.values():
        row.for_others = row.has_nominated and not row.for_us
    for clp_id, meets_on in Meeting.objects.filter(drive=drive, clp_id__in=rows).values_list(
        "clp_id", "meets_on"
    ):
        rows[clp_id].meets_on = meets_on
    counts = (
        Supporter.objects.filter(email_verified_at__isnull=False, constituency_id__in=rows)
        .values("constituency_id")
        .annotate(n=Count("pk"))
        .values_list("constituency_id", "n")
    )
    for clp_id, n in counts:
        rows[clp_id].supporters = n
    for clp_id in Volunteer.objects.filter(drive=drive, clp_id__in=rows).values_list(
        "clp_id", flat=True
    ):
        rows[clp_id].volunteer = True
    pending = (
        OutcomeReport.objects.filter(drive=drive, clp_id__in=rows, status=ReportStatus.PENDING)
        .values("clp_id")
        .annotate(n=Count("pk"))
        .values_list("clp_id", "n")
    )
    for clp_id, n in pending:
        rows[clp_id].pending_reports = n
    return sorted(rows.values(), key=lambda r: (r.clp.region, r.clp.name))


@dataclass(frozen=True)
class RegionRow:
    region: str
    targets: int
    for_us: int
    for_others: int
    meetings_to_come: int
    volunteers: int


def region_summary(*, rows: list[ClpStatus], today: datetime.date) -> list[RegionRow]:
    """The tracker by region, in counts: target CLPs, nominated for us, for others, meetings
    to come (today included) and CLPs with a volunteer."""
    by_region: dict[str, list[ClpStatus]] = defaultdict(list)
    for row in rows:
        by_region[row.clp.region].append(row)
    return [
        RegionRow(
            region=region,
            targets=len(group),
            for_us=sum(r.for_us for r in group),
            for_others=sum(r.for_others for r in group),
            meetings_to_come=sum(
                r.meets_on is not None and r.meets_on >= today and not r.has_nominated
                for r in group
            ),
            volunteers=sum(r.volunteer for r in group),
        )
        for region, group in sorted(by_region.items())
    ]


def todo_list(*, rows: list[ClpStatus], today: datetime.date) -> list[ClpStatus]:
    """The organiser's to-do list: target CLPs that have not nominated yet, where we have
    supporters but no volunteer and a meeting is coming up (today included), soonest first."""
    due = [
        r
        for r in rows
        if r.supporters
        and not r.volunteer
        and not r.has_nominated
        and r.meets_on is not None
        and r.meets_on >= today
    ]
    return sorted(due, key=lambda r: (r.meets_on, r.clp.name))


def report_list_pending(*, drive: Drive) -> list[OutcomeReport]:
    return list(
        OutcomeReport.objects.filter(drive=drive, status=ReportStatus.PENDING)
        .select_related("clp")
        .prefetch_related("nominees__candidate")
    )


@dataclass(frozen=True)
class SupporterDrive:
    """What a supporter sees of a drive on their dashboard: their own CLP's status."""

    drive: Drive
    status: ClpStatus
    volunteered: bool
    reported: bool  # they have a report waiting for an organiser


def supporter_drive_list(*, user: User) -> list[SupporterDrive]:
    """The drives that target the supporter's CLP, each with that CLP's status. Verified
    supporters only: the site acts for a CLP only on a confirmed address."""
    supporter = Supporter.objects.select_related("constituency").filter(user=user).first()
    if supporter is None or not supporter.is_verified:
        return []
    drives = Drive.objects.filter(targets__clp=supporter.constituency).select_related(
        "slate", "section__election"
    )
    found = []
    for drive in drives:
        status = target_status_list(drive=drive, clps=[supporter.constituency])[0]
        found.append(
            SupporterDrive(
                drive=drive,
                status=status,
                volunteered=Volunteer.objects.filter(drive=drive, user=user).exists(),
                reported=OutcomeReport.objects.filter(
                    drive=drive, reported_by=user, status=ReportStatus.PENDING
                ).exists(),
            )
        )
    return found


def plan_list() -> QuerySet[VotePlan]:
    return VotePlan.objects.select_related("slate", "section__election").annotate(
        group_count=Count("groups")
    )


def plan_get(*, plan_id: int) -> VotePlan:
    try:
        return VotePlan.objects.select_related("slate", "section__election").get(pk=plan_id)
    except VotePlan.DoesNotExist:
        raise Http404("No such plan.") from None


@dataclass(frozen=True)
class PlanCard:
    """What a supporter is told of a published plan: their own group's order, or for a
    published rule, the table they pick their row from."""

    plan: VotePlan
    group: PlanGroup | None  # rule "region": the supporter's group (None: their region has none)
    table: list[PlanGroup]  # rule "birth month": every row; otherwise empty


def plan_card_list(*, user: User) -> list[PlanCard]:
    """Each published plan as this supporter may see it, and nothing else: for a plan by
    region, only their region's order, never another group's, nor the plan's evaluation."""
    supporter = Supporter.objects.select_related("constituency").filter(user=user).first()
    if supporter is None or not supporter.is_verified:
        return []
    cards = []
    plans = VotePlan.objects.filter(published_at__isnull=False).select_related(
        "slate", "section__election"
    )
    for plan in plans:
        if plan.rule == PlanRule.REGION:
            group = PlanGroup.objects.filter(
                plan=plan, region=supporter.constituency.region
            ).first()
            cards.append(PlanCard(plan=plan, group=group, table=[]))
        else:
            cards.append(PlanCard(plan=plan, group=None, table=list(plan.groups.all())))
    return cards


def region_supporter_counts() -> dict[str, int]:
    """Verified supporters by region (regions with none left out)."""
    return dict(
        Supporter.objects.filter(email_verified_at__isnull=False)
        .values("constituency__region")
        .annotate(n=Count("pk"))
        .values_list("constituency__region", "n")
        .order_by()
    )


def region_list() -> list[str]:
    """Every region that has CLPs."""
    return list(
        Constituency.objects.with_clp()
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def campaign_export(person: User) -> dict[str, Any]:
    """What the campaign holds about ``person``, for their data export: where they offered to
    move the slate's nomination, and the meeting outcomes they reported. (Meeting dates keep
    no author; who entered one is in the audit log, which the export covers.)"""
    volunteering = (
        Volunteer.objects.filter(user=person)
        .select_related("drive__slate", "clp")
        .order_by("created_at", "pk")
    )
    reports = (
        OutcomeReport.objects.filter(reported_by=person)
        .select_related("drive__slate", "clp")
        .prefetch_related("nominees__candidate")
        .order_by("created_at", "pk")
    )
    return {
        "volunteered": [
            {
                "slate": v.drive.slate.name,
                "clp": v.clp.name,
                "since": v.created_at.isoformat(),
            }
            for v in volunteering
        ],
        "outcomes_reported": [
            {
                "slate": r.drive.slate.name,
                "clp": r.clp.name,
                "met_on": r.met_on.isoformat(),
                "source": r.source,
                "status": r.status,
                "nominated": [
                    {"candidate": n.candidate.name, "votes": n.votes} for n in r.nominees.all()
                ],
                "reported_at": r.created_at.isoformat(),
            }
            for r in reports
        ],
    }
