"""Scaling a section's quotas to a slate of another size.

A slate may hold fewer candidates than the section has seats (a "reduced slate"), so the
party's quota is scaled in proportion to the slate's size:

* a minimum is rounded **up**: ``min' = ceil(min × size / seats)``, so a reduced slate never
  holds proportionally fewer women than the section must elect (4 of 9 → 3 of 5, 1 of 2);
* a maximum is rounded **down**: ``max' = floor(max × size / seats)``, but never below the
  scaled minimum;
* a minimum is capped at the slate's size, and a scaled minimum of 0 is left out.

The rule is ours, not the party's: the party's quota is for the whole section.
"""

from __future__ import annotations

from collections.abc import Mapping


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def quotas_scale(
    quotas: Mapping[str, Mapping[str, int]], *, seats: int, slate_size: int
) -> dict[str, dict[str, int]]:
    """The section's quotas scaled from ``seats`` to ``slate_size``.

    >>> quotas_scale({"F": {"min": 4}}, seats=9, slate_size=5)
    {'F': {'min': 3}}
    >>> quotas_scale({"F": {"min": 4}}, seats=9, slate_size=9)
    {'F': {'min': 4}}
    """
    scaled: dict[str, dict[str, int]] = {}
    for category, limit in quotas.items():
        out: dict[str, int] = {}
        least = 0
        if "min" in limit:
            least = min(_ceil_div(int(limit["min"]) * slate_size, seats), slate_size)
            if least > 0:
                out["min"] = least
        if limit.get("max") is not None:
            out["max"] = max(int(limit["max"]) * slate_size // seats, least)
        if out:
            scaled[category] = out
    return scaled
