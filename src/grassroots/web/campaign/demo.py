"""The demo's campaign: the alliance's nominations drive in the NEC demo's CLP section, with
meeting dates, volunteers and a report to confirm, and a vote plan by region, published."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from grassroots.web.campaign.models import (
    Drive,
    Meeting,
    OutcomeNominee,
    OutcomeReport,
    PlanRule,
    Target,
    Volunteer,
    VotePlan,
)
from grassroots.web.campaign.selectors import region_supporter_counts, slate_candidate_names
from grassroots.web.campaign.services import plan_create
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Nomination, Section, Slate
from grassroots.web.people.models import Supporter

MEETINGS = 12
VOLUNTEERS = 4


@transaction.atomic
def campaign_demo_create() -> str:
    """Create the demo drive and plan (once)."""
    section = Section.objects.filter(election__slug="nec-demo", slug="clp").first()
    slate = Slate.objects.filter(election__slug="nec-demo").order_by("position", "pk").first()
    if section is None or slate is None:
        return "campaign: no demo election; skipped"
    if Drive.objects.filter(slate=slate, section=section).exists():
        return "campaign: demo drive already there"
    today = timezone.localdate()
    drive = Drive.objects.create(slate=slate, section=section)
    Target.objects.bulk_create(
        Target(drive=drive, clp=clp) for clp in Constituency.objects.with_clp()
    )
    nominated = set(Nomination.objects.filter(section=section).values_list("clp_id", flat=True))
    homes = (
        Supporter.objects.filter(email_verified_at__isnull=False)
        .exclude(constituency_id__in=nominated)
        .order_by("constituency_id", "user_id")
    )
    first_by_clp: dict[str, Supporter] = {}
    for supporter in homes:
        first_by_clp.setdefault(supporter.constituency_id, supporter)
    chosen = list(first_by_clp.values())[: MEETINGS + 1]
    for number, supporter in enumerate(chosen[:MEETINGS]):
        Meeting.objects.create(
            drive=drive,
            clp=supporter.constituency,
            meets_on=today + datetime.timedelta(days=1 + 2 * number),
            source="Demo: the CLP's published agenda",
        )
        if number % 3 == 0 and number // 3 < VOLUNTEERS:
            Volunteer.objects.create(drive=drive, clp=supporter.constituency, user=supporter.user)
    if len(chosen) > MEETINGS:
        reporter = chosen[MEETINGS]
        report = OutcomeReport.objects.create(
            drive=drive,
            clp=reporter.constituency,
            met_on=today - datetime.timedelta(days=2),
            source="Demo: the CLP secretary's email",
            reported_by=reporter.user,
        )
        candidate = slate.memberships.filter(candidate__section=section).first()
        if candidate is not None:
            OutcomeNominee.objects.create(report=report, candidate=candidate.candidate, votes=34)
    plans = ""
    if region_supporter_counts() and len(slate_candidate_names(drive=drive)) >= 2:
        plan = plan_create(actor=None, slate=slate, section=section, rule=PlanRule.REGION)
        VotePlan.objects.filter(pk=plan.pk).update(published_at=timezone.now())
        plans = f", a vote plan of {plan.groups.count()} regions, published"
    return f"campaign: a drive targeting every CLP, {len(chosen[:MEETINGS])} meetings{plans}"
