"""Who may see and change what in the campaign: one function per object and role.

Drives and plans are run by organisers and administrators (as the party elections they
belong to). A supporter acts only on a drive that targets their own CLP, with a confirmed
address. Each function returns the object or raises ``Http404``: the same error for
"missing" and "forbidden".
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.campaign import selectors
from grassroots.web.campaign.models import Drive, OutcomeReport, PlanRun, Target, VotePlan
from grassroots.web.elections.access import organiser_check
from grassroots.web.people.models import Supporter, User

NOT_FOUND = "No such page."

__all__ = ["organiser_check"]


def drive_for_organiser(user: User | AnonymousUser, drive_id: int) -> Drive:
    organiser_check(user)
    return selectors.drive_get(drive_id=drive_id)


def report_for_organiser(
    user: User | AnonymousUser, drive_id: int, report_id: int
) -> OutcomeReport:
    drive = drive_for_organiser(user, drive_id)
    report = OutcomeReport.objects.select_related("clp", "drive__section").filter(
        drive=drive, pk=report_id
    )
    found = report.first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def plan_for_organiser(user: User | AnonymousUser, plan_id: int) -> VotePlan:
    organiser_check(user)
    return selectors.plan_get(plan_id=plan_id)


def plan_run_for_organiser(user: User | AnonymousUser, plan_id: int, run_id: int) -> PlanRun:
    plan = plan_for_organiser(user, plan_id)
    run = PlanRun.objects.filter(plan=plan, pk=run_id).first()
    if run is None:
        raise Http404(NOT_FOUND)
    run.plan = plan
    return run


def drive_for_supporter(user: User | AnonymousUser, drive_id: int) -> tuple[Drive, Supporter]:
    """A drive that targets the viewer's CLP, and the viewer's supporter record: verified
    supporters only."""
    if not isinstance(user, User):
        raise Http404(NOT_FOUND)
    supporter = Supporter.objects.select_related("constituency").filter(user=user).first()
    if supporter is None or not supporter.is_verified:
        raise Http404(NOT_FOUND)
    drive = selectors.drive_get(drive_id=drive_id)
    if not Target.objects.filter(drive=drive, clp=supporter.constituency).exists():
        raise Http404(NOT_FOUND)
    return drive, supporter
