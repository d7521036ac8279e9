"""The public dashboard's figures, gathered from each app's selectors.

The alliance app adds its figures by replacing the two zeros below with its own selectors
(``alliance.selectors.affiliate_count`` and ``local_group_count``); the template shows them
already.
"""

from __future__ import annotations

from dataclasses import dataclass

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
        affiliates=0,
        local_groups=0,
        by_region=bars,
    )
