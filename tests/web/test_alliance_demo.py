"""The alliance's demo data: believable, fictional and idempotent."""

from __future__ import annotations

import pytest

from grassroots.web.alliance.models import GroupRequest, Organisation, Representative
from grassroots.web.alliance.selectors import committee_get
from grassroots.web.audit.models import AuditEntry
from grassroots.web.demo import demo_create
from grassroots.web.people.roles import Role

pytestmark = pytest.mark.django_db


def test_alliance_demo_fills_most_seats_then_changes_nothing() -> None:
    demo_create()
    counts = (
        Organisation.objects.count(),
        Representative.objects.count(),
        GroupRequest.objects.count(),
        AuditEntry.objects.count(),
    )

    demo_create()

    committee = committee_get()
    assert Organisation.objects.filter(kind="national").count() == 12
    assert Organisation.objects.filter(kind="local").count() == 30
    assert 0 < committee.vacancies < committee.filled
    assert Representative.objects.filter(supporter__isnull=False).exists()
    represented = Representative.objects.filter(supporter__isnull=False).first()
    assert represented is not None
    assert represented.supporter is not None
    assert represented.supporter.user.groups.filter(name=Role.AFFILIATE_REPRESENTATIVE).exists()
    assert GroupRequest.objects.exists()
    assert (
        Organisation.objects.count(),
        Representative.objects.count(),
        GroupRequest.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
