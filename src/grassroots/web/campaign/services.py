"""Writing the campaign: target CLPs, meeting dates, volunteers, outcome reports and their
confirmation, vote plans and their publication.

Each service takes keyword-only arguments and the actor, and writes the audit log in the same
transaction. Summaries hold ids, dates and the source a supporter gave (a link or a few words
on where the figure comes from), never names; the actor id is who did it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from grassroots.web.audit.services import audit_record
from grassroots.web.campaign import selectors
from grassroots.web.campaign.models import (
    Drive,
    Meeting,
    OutcomeNominee,
    OutcomeReport,
    PlanGroup,
    PlanRule,
    ReportStatus,
    Target,
    Volunteer,
    VotePlan,
)
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services as election_services
from grassroots.web.elections.imports import nomination_date_check
from grassroots.web.elections.models import Candidate, Nomination, Section, Slate
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Supporter, User

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BIRTH_MONTH_GROUPS = (2, 3, 4, 6, 12)


def _source_clean(source: str) -> str:
    source = " ".join(source.split())
    if not source:
        raise DomainError(
            "Say where this comes from: a link, or a few words such as "
            "“the CLP secretary's email of 3 May”.",
            field="source",
        )
    if len(source) > 200:
        raise DomainError("The source is too long (200 characters at most).", field="source")
    return source


@transaction.atomic
def drive_create(*, actor: User, slate: Slate, section: Section) -> Drive:
    """Start the slate's nominations drive in a section (one per slate and section)."""
    if slate.election_id != section.election_id:
        raise DomainError("The slate is in another election.", field="section")
    if Drive.objects.filter(slate=slate, section=section).exists():
        raise DomainError("This slate already has a drive in this section.", field="section")
    drive = Drive.objects.create(slate=slate, section=section)
    audit_record(
        actor_id=actor.pk,
        action="campaign.drive_create",
        object_type="drive",
        object_id=drive.pk,
        summary=f"slate {slate.pk}, section {section.pk}",
    )
    return drive


@transaction.atomic
def drive_targets_set(*, actor: User, drive: Drive, clps: Sequence[Constituency]) -> int:
    """Make ``clps`` the drive's target CLPs (adding and removing); how many there are now.
    What supporters entered for a CLP taken off stays, and shows again if it is put back."""
    wanted = {c.pk: c for c in clps}
    if any(not c.has_clp for c in wanted.values()):
        raise DomainError("There are no CLPs in Northern Ireland.", field="clps")
    current = set(Target.objects.filter(drive=drive).values_list("clp_id", flat=True))
    removed = current - set(wanted)
    added = [Target(drive=drive, clp=wanted[k]) for k in sorted(set(wanted) - current)]
    Target.objects.filter(drive=drive, clp_id__in=removed).delete()
    Target.objects.bulk_create(added)
    audit_record(
        actor_id=actor.pk,
        action="campaign.targets_set",
        object_type="drive",
        object_id=drive.pk,
        summary=f"{len(wanted)} targets: {len(added)} added, {len(removed)} removed",
    )
    return len(wanted)


def _target_clp(*, drive: Drive, supporter: Supporter) -> Constituency:
    """The supporter's CLP, if the drive targets it and their address is confirmed."""
    if not supporter.is_verified:
        raise DomainError("Confirm your email address first.")
    if not Target.objects.filter(drive=drive, clp=supporter.constituency).exists():
        raise DomainError("Your CLP is not one this drive asks to nominate.")
    return supporter.constituency


def _window_check(drive: Drive, when: datetime.date, field: str) -> None:
    if why := nomination_date_check(drive.section, when):
        raise DomainError(f"That date cannot be a nomination meeting: {why}.", field=field)


@transaction.atomic
def meeting_record(
    *, actor: User, supporter: Supporter, drive: Drive, meets_on: datetime.date, source: str
) -> Meeting:
    """Record (or correct) the date of the supporter's CLP's nomination meeting. The date
    shows at once; who entered it and the source go to the audit log."""
    clp = _target_clp(drive=drive, supporter=supporter)
    source = _source_clean(source)
    _window_check(drive, meets_on, "meets_on")
    meeting, _ = Meeting.objects.update_or_create(
        drive=drive,
        clp=clp,
        defaults={"meets_on": meets_on, "source": source, "updated_at": timezone.now()},
    )
    audit_record(
        actor_id=actor.pk,
        action="campaign.meeting_record",
        object_type="drive",
        object_id=drive.pk,
        summary=f"CLP {clp.gss_code} meets on {meets_on.isoformat()}; source: {source}",
    )
    return meeting


@transaction.atomic
def volunteer_add(*, actor: User, supporter: Supporter, drive: Drive) -> Volunteer:
    """The supporter agrees to move the slate's nomination at their CLP's meeting."""
    clp = _target_clp(drive=drive, supporter=supporter)
    volunteer, created = Volunteer.objects.get_or_create(
        drive=drive, user=actor, defaults={"clp": clp}
    )
    if created:
        audit_record(
            actor_id=actor.pk,
            action="campaign.volunteer_add",
            object_type="drive",
            object_id=drive.pk,
            summary=f"CLP {clp.gss_code}",
        )
    return volunteer


@transaction.atomic
def volunteer_withdraw(*, actor: User, drive: Drive) -> bool:
    deleted, _ = Volunteer.objects.filter(drive=drive, user=actor).delete()
    if deleted:
        audit_record(
            actor_id=actor.pk,
            action="campaign.volunteer_withdraw",
            object_type="drive",
            object_id=drive.pk,
        )
    return bool(deleted)


@transaction.atomic
def outcome_report(
    *,
    actor: User,
    supporter: Supporter,
    drive: Drive,
    met_on: datetime.date,
    source: str,
    nominees: Mapping[Candidate, int | None],
) -> OutcomeReport:
    """Report whom the supporter's CLP nominated (with the votes, where known). It waits for
    an organiser (``outcome_confirm``) before it counts; the reporter and source are
    audited."""
    clp = _target_clp(drive=drive, supporter=supporter)
    source = _source_clean(source)
    if not nominees:
        raise DomainError("Tick at least one candidate the CLP nominated.", field="candidates")
    if any(c.section_id != drive.section_id for c in nominees):
        raise DomainError("A candidate does not stand in this section.", field="candidates")
    if met_on > timezone.localdate():
        raise DomainError("The meeting has not happened yet.", field="met_on")
    _window_check(drive, met_on, "met_on")
    report = OutcomeReport.objects.create(
        drive=drive, clp=clp, met_on=met_on, source=source, reported_by=actor
    )
    OutcomeNominee.objects.bulk_create(
        OutcomeNominee(report=report, candidate=c, votes=v)
        for c, v in sorted(nominees.items(), key=lambda item: item[0].pk)
    )
    audit_record(
        actor_id=actor.pk,
        action="campaign.outcome_report",
        object_type="outcome_report",
        object_id=report.pk,
        summary=f"drive {drive.pk}, CLP {clp.gss_code}, {len(nominees)} nominee(s); "
        f"source: {source}",
    )
    return report


def outcome_confirm(*, actor: User, report: OutcomeReport) -> int:
    """Confirm a reported outcome: record each nomination through
    ``elections.services.nomination_record`` (each in its own transaction, as that service
    requires), then mark the report confirmed, auditing its report and source. Nominations
    already recorded are left as they are. How many were recorded now."""
    if report.status != ReportStatus.PENDING:
        raise DomainError("This report has already been decided.")
    nominees = list(report.nominees.select_related("candidate"))
    recorded_already = set(
        Nomination.objects.filter(
            clp=report.clp, candidate__in=[n.candidate for n in nominees]
        ).values_list("candidate_id", flat=True)
    )
    section = report.drive.section
    for nominee in nominees:  # checked before anything is recorded
        if nominee.candidate_id not in recorded_already and (
            why := nomination_date_check(section, report.met_on)
        ):
            raise DomainError(f"The nomination cannot be recorded: {why}.")
    recorded = 0
    for nominee in nominees:
        if nominee.candidate_id in recorded_already:
            continue
        election_services.nomination_record(
            actor=actor,
            section=section,
            candidate=nominee.candidate,
            clp=report.clp,
            nominated_on=report.met_on,
        )
        recorded += 1
    with transaction.atomic():
        changed = OutcomeReport.objects.filter(pk=report.pk, status=ReportStatus.PENDING).update(
            status=ReportStatus.CONFIRMED, decided_at=timezone.now()
        )
        if changed:
            audit_record(
                actor_id=actor.pk,
                action="campaign.outcome_confirm",
                object_type="outcome_report",
                object_id=report.pk,
                summary=f"{recorded} nomination(s) recorded; reported by the actor of "
                f"campaign.outcome_report {report.pk}; source: {report.source}",
            )
    report.refresh_from_db()
    return recorded


@transaction.atomic
def outcome_reject(*, actor: User, report: OutcomeReport) -> None:
    """Decline a reported outcome (wrong, or already recorded): it never counts."""
    changed = OutcomeReport.objects.filter(pk=report.pk, status=ReportStatus.PENDING).update(
        status=ReportStatus.REJECTED, decided_at=timezone.now()
    )
    if not changed:
        raise DomainError("This report has already been decided.")
    audit_record(
        actor_id=actor.pk,
        action="campaign.outcome_reject",
        object_type="outcome_report",
        object_id=report.pk,
        summary=f"source: {report.source}",
    )


def _birth_month_groups(count: int) -> list[tuple[str, float]]:
    size = 12 // count
    groups = []
    for start in range(0, 12, size):
        months = MONTHS[start : start + size]
        name = months[0] if size == 1 else f"{months[0]} to {months[-1]}"
        groups.append((f"Born in {name}", size / 12))
    return groups


@transaction.atomic
def plan_create(
    *, actor: User | None, slate: Slate, section: Section, rule: str, group_count: int = 6
) -> VotePlan:
    """Start a vote plan for the slate in the section. By region: one group per region with
    verified supporters, its share their share; by birth month: ``group_count`` groups of
    months (a divisor of 12), shares by months. Each group starts with the slate's order
    turned by one place more than the group before, so first preferences spread."""
    if slate.election_id != section.election_id:
        raise DomainError("The slate is in another election.", field="section")
    names = selectors.slate_candidate_names(drive=VotePlan(slate=slate, section=section))
    if len(names) < 2:
        raise DomainError(
            "The slate needs at least two candidates in this section to plan an order.",
            field="slate",
        )
    if rule == PlanRule.REGION:
        counts = selectors.region_supporter_counts()
        total = sum(counts.values())
        if not total:
            raise DomainError("There are no confirmed supporters to group by region.", field="rule")
        groups = [(region, region, n / total) for region, n in sorted(counts.items())]
    elif rule == PlanRule.BIRTH_MONTH:
        if group_count not in BIRTH_MONTH_GROUPS:
            raise DomainError("Choose 2, 3, 4, 6 or 12 groups of months.", field="group_count")
        groups = [(name, "", share) for name, share in _birth_month_groups(group_count)]
    else:
        raise DomainError("Choose how supporters are grouped.", field="rule")
    plan = VotePlan.objects.create(slate=slate, section=section, rule=rule)
    PlanGroup.objects.bulk_create(
        PlanGroup(
            plan=plan,
            position=i,
            name=name,
            region=region,
            share=share,
            order=names[i % len(names) :] + names[: i % len(names)],
        )
        for i, (name, region, share) in enumerate(groups)
    )
    audit_record(
        actor_id=actor.pk if actor is not None else None,
        action="campaign.plan_create",
        object_type="vote_plan",
        object_id=plan.pk,
        summary=f"slate {slate.pk}, section {section.pk}, {rule}, {len(groups)} groups",
    )
    return plan


def _unpublished(plan: VotePlan) -> None:
    if plan.published_at is not None:
        raise DomainError("The plan is published: start a new plan to change it.")


@transaction.atomic
def plan_orders_set(
    *, actor: User, plan: VotePlan, orders: Mapping[int, Sequence[str]], follow: int | None = None
) -> None:
    """Set each group's order (by group id): every one of the slate's candidates once."""
    _unpublished(plan)
    names = selectors.slate_candidate_names(drive=plan)
    groups = {g.pk: g for g in plan.groups.all()}
    for group_id, order in orders.items():
        group = groups.get(group_id)
        if group is None:
            raise DomainError("That group is not in this plan.")
        if sorted(order) != sorted(names):
            raise DomainError(
                f"{group.name}: give each of the slate's {len(names)} candidates exactly once.",
                field=f"group_{group_id}",
            )
        group.order = list(order)
        group.save(update_fields=["order"])
    if follow is not None:
        plan.follow = follow
        plan.save(update_fields=["follow"])
    audit_record(
        actor_id=actor.pk,
        action="campaign.plan_orders_set",
        object_type="vote_plan",
        object_id=plan.pk,
        summary=f"{len(orders)} group order(s)"
        + (f", follow {follow}%" if follow is not None else ""),
    )


@transaction.atomic
def plan_search_apply(
    *, actor: User, plan: VotePlan, orders: Mapping[str, Sequence[str]], explanation: str
) -> None:
    """Use a search's orders (by group name) and keep its explanation."""
    _unpublished(plan)
    by_name = {g.name: g.pk for g in plan.groups.all()}
    if set(orders) != set(by_name):
        raise DomainError("The search was made for other groups: search again.")
    plan_orders_set(actor=actor, plan=plan, orders={by_name[n]: o for n, o in orders.items()})
    plan.explanation = explanation
    plan.save(update_fields=["explanation"])


@transaction.atomic
def plan_publish(*, actor: User, plan: VotePlan, site_url: str) -> None:
    """Publish the plan: each supporter sees their group's order on their dashboard (for a
    published rule, the table), and once committed a task emails each supporter who agreed
    to hear from the alliance."""
    _unpublished(plan)
    names = sorted(selectors.slate_candidate_names(drive=plan))
    if any(sorted(g.order) != names for g in plan.groups.all()):
        raise DomainError("A group's order no longer matches the slate: set the orders again.")
    plan.published_at = timezone.now()
    plan.save(update_fields=["published_at"])
    audit_record(
        actor_id=actor.pk,
        action="campaign.plan_publish",
        object_type="vote_plan",
        object_id=plan.pk,
        summary=f"{plan.groups.count()} groups",
    )
    from grassroots.web.campaign.tasks import plan_emails_send

    plan_id = plan.pk
    transaction.on_commit(lambda: plan_emails_send.enqueue(plan_id, site_url, 0))
