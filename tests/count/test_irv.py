"""Instant runoff against a published result: Burlington, Vermont, mayor 2009."""

from __future__ import annotations

from decimal import Decimal

from grassroots.count import Action, count
from grassroots.count.formats.csv import read_csv
from tests.shared import ELECTIONS

BURLINGTON = ELECTIONS / "irv" / "us_vt_btv_2009_03_mayor.normalized.csv"


def test_irv_burlington_2009_final_round_matches_official() -> None:
    """The city's final round: Kiss 4,313, Wright 4,061; Kiss elected.

    Wright comes out one lower here (4,060): the published normalised file
    differs from the city's by that one ballot (docs/formats.md), the rule does not.
    """
    result = count(read_csv(BURLINGTON, seats=1), rule="irv")

    assert result.elected == ("Bob Kiss",)
    final = result.stages[-1]
    assert final.votes["Bob Kiss"] == Decimal(4313)
    assert final.votes["Kurt Wright"] == Decimal(4061 - 1)
    assert {name for name, votes in final.votes.items() if votes} == {"Bob Kiss", "Kurt Wright"}
    # Lowest first, one at a time; Montroll, the Condorcet winner, goes last.
    assert [s.subjects for s in result.stages if s.action is Action.EXCLUSION] == [
        ("James Simpson",),
        ("Write-in",),
        ("Dan Smith",),
        ("Andy Montroll",),
    ]
    assert sum(final.votes.values()) + final.exhausted == result.valid_ballots
