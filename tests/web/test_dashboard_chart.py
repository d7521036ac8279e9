"""The dashboard's chart of supporters by region."""

from __future__ import annotations

import pytest

from grassroots.web.dashboard import dashboard_get
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db

# England's nine regions, Scotland and Wales (Northern Ireland has no CLPs).
GB_REGIONS = 11


def test_dashboard_chart_has_one_bar_per_region(clp, other_clp) -> None:
    supporter_create(clp=clp)
    supporter_create(clp=other_clp)

    labels = [bar.label for bar in dashboard_get().by_region]

    assert len(labels) == GB_REGIONS
    assert sorted(labels) == sorted(set(labels))
    assert labels[:2] == ["Wales", "Yorkshire and The Humber"]
