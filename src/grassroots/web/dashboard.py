"""The public dashboard's figures, gathered from each app's selectors.

Affiliates are affiliated national organisations and local groups are affiliated local
groups (``alliance.selectors.affiliate_count`` and ``local_group_count``).
"""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.web.alliance import selectors as alliance_selectors
from grassroots.web.people import selectors as people_selectors


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    length: int  # bar length in the SVG's units, the largest value at BAR_MAX
    y: int  # position in the SVG chart


@dataclass(frozen=True)
class Dashboard:
    supporters: int
    clps_covered: int
    affiliates: int
    local_groups: int
    by_region: list[Bar]


BAR_HEIGHT = 28
BAR_MAX = 340


def dashboard_get() -> Dashboard:
    """Public figures and supporters by region, ready for the template's SVG chart."""
    regions = people_selectors.supporter_count_by_region()
    largest = max((row.supporters for row in regions), default=0) or 1
    bars = [
        Bar(row.region, row.supporters, round(BAR_MAX * row.supporters / largest), i * BAR_HEIGHT)
        for i, row in enumerate(regions)
    ]
    return Dashboard(
        supporters=people_selectors.supporter_count(),
        clps_covered=people_selectors.clps_covered_count(),
        affiliates=alliance_selectors.affiliate_count(),
        local_groups=alliance_selectors.local_group_count(),
        by_region=bars,
    )
