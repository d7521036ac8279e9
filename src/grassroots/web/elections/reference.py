"""The reference case: the Labour Party's NEC elections, as data.

The CLP section elects nine by STV with at least four women, and a candidate needs five CLP
nominations to reach the ballot (docs: Labour's 2018 NEC FAQ; LabourList, Jan 2024, in
``data/README.md``). The youth, disabled members', BAME, Welsh and Scottish members' reps are
one seat each, counted here by instant runoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    name: str
    seats: int
    rule: str
    quotas: dict[str, Any] = field(default_factory=dict)
    threshold: int = 5


NEC_SECTIONS = (
    SectionSpec("clp", "CLP representatives", 9, "scottish", {"F": {"min": 4}}, 5),
    SectionSpec("youth", "Youth representative", 1, "irv"),
    SectionSpec("disabled", "Disabled members' representative", 1, "irv"),
    SectionSpec("bame", "BAME representative", 1, "irv"),
    SectionSpec("welsh", "Welsh representative", 1, "irv"),
    SectionSpec("scottish", "Scottish representative", 1, "irv"),
)
