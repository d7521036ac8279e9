"""`grassroots demo`'s data: believable and idempotent."""

from __future__ import annotations

import pytest

from grassroots.web.audit.models import AuditEntry
from grassroots.web.demo import demo_create
from grassroots.web.people.models import Consent, Supporter, User

pytestmark = pytest.mark.django_db


def test_demo_creates_supporters_across_clps_then_changes_nothing() -> None:
    demo_create()
    counts = (User.objects.count(), Consent.objects.count(), AuditEntry.objects.count())

    demo_create()

    assert Supporter.objects.count() == 1700
    assert Supporter.objects.values("constituency").distinct().count() == 460
    assert not Supporter.objects.filter(constituency__nation="Northern Ireland").exists()
    assert (User.objects.count(), Consent.objects.count(), AuditEntry.objects.count()) == counts
