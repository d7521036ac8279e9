"""The alliance's demo data: believable, fictional and idempotent."""

from __future__ import annotations

import pytest

from grassroots.web.alliance.models import (
    GroupRequest,
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    Representative,
)
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


def test_alliance_demo_confirms_members_of_three_organisations_once() -> None:
    demo_create()
    memberships = list(OrganisationMembership.objects.select_related("organisation"))

    demo_create()

    by_organisation: dict[str, int] = {}
    for membership in memberships:
        by_organisation[membership.organisation.name] = (
            by_organisation.get(membership.organisation.name, 0) + 1
        )
    assert by_organisation == {
        "Fair Health Fellowship": 9,
        "Renters' Voice Network": 6,
        "Green Work Coalition": 4,
    }
    assert {m.status for m in memberships} == {MembershipStatus.CONFIRMED}
    assert len({m.supporter_id for m in memberships}) == len(memberships)  # no one in two
    assert all(m.consent_wording and m.confirmed_at > m.claimed_at for m in memberships)
    assert OrganisationMembership.objects.count() == len(memberships)
