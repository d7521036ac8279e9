"""What the campaign app does when a person erases their account (``people.erasure``)."""

from __future__ import annotations

from grassroots.web.campaign.models import OutcomeReport, PlanRun, Volunteer
from grassroots.web.people.models import User


def person_erase_from_campaign(person: User) -> None:
    """Withdraw their offers to move a nomination; forget who reported an outcome or asked for
    a run (the confirmed nominations and the runs name no one)."""
    Volunteer.objects.filter(user=person).delete()
    OutcomeReport.objects.filter(reported_by=person).update(reported_by=None)
    PlanRun.objects.filter(requested_by=person).update(requested_by=None)
