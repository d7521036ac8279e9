"""Who may do what with representatives' reports. Pages and feeds are public; following takes
a supporter with a confirmed address; publishing takes an organiser or administrator, or the
representative themselves through the account linked to their committee seat. Each function
returns the object or raises ``Http404``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from grassroots.web.people.models import Supporter, User
from grassroots.web.people.roles import Role, user_roles
from grassroots.web.reports.models import Report, Reporter
from grassroots.web.reports.selectors import report_get, reporter_get

NOT_FOUND = "No such page."
ORGANISERS = {Role.ORGANISER, Role.ADMINISTRATOR}


def reporter_for_viewer(slug: str) -> Reporter:
    reporter = reporter_get(slug=slug)
    if reporter is None:
        raise Http404(NOT_FOUND)
    return reporter


def report_for_viewer(slug: str, report_id: int) -> tuple[Reporter, Report]:
    reporter = reporter_for_viewer(slug)
    report = report_get(reporter=reporter, report_id=report_id)
    if report is None:
        raise Http404(NOT_FOUND)
    return reporter, report


def reporter_create_for_organiser(user: User | AnonymousUser) -> User:
    if not isinstance(user, User) or not ORGANISERS & user_roles(user):
        raise Http404(NOT_FOUND)
    return user


def may_publish(user: User | AnonymousUser, reporter: Reporter) -> bool:
    if not isinstance(user, User):
        return False
    if ORGANISERS & user_roles(user):
        return True
    seat = reporter.representative
    return seat is not None and seat.supporter_id is not None and seat.supporter_id == user.pk


def reporter_for_publisher(user: User | AnonymousUser, slug: str) -> tuple[User, Reporter]:
    reporter = reporter_for_viewer(slug)
    if not isinstance(user, User) or not may_publish(user, reporter):
        raise Http404(NOT_FOUND)
    return user, reporter


def follower(user: User | AnonymousUser) -> User:
    """The viewer, if they may follow (a supporter with a confirmed address)."""
    if (
        not isinstance(user, User)
        or not Supporter.objects.filter(user=user, email_verified_at__isnull=False).exists()
    ):
        raise Http404(NOT_FOUND)
    return user
