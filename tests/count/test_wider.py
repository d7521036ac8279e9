"""Wider checks on 50 more real Scottish wards, whose results are not given.

Every rule must count each ward without error, fill every seat, conserve the
vote at every stage, and, under Scottish STV, elect from the candidates an
independent reading of the rules would: that last check is done against Droop
in docs/verification.md; here we hold the invariants.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grassroots.count import count
from grassroots.count.formats.blt import read_blt
from tests.shared import ELECTIONS

DATA = ELECTIONS


@pytest.mark.slow
@pytest.mark.parametrize("rule", ["scottish", "ers97", "meek"])
@pytest.mark.parametrize(
    "blt", sorted((DATA / "scotland-more").glob("*.blt")), ids=lambda p: p.stem
)
def test_more_scottish_wards_count_cleanly(blt: Path, rule: str) -> None:
    profile = read_blt(blt)
    result = count(profile, rule=rule)
    assert len(result.elected) == profile.seats
    for stage in result.stages:
        total = sum(stage.votes.values()) + stage.exhausted + stage.loss
        assert total == result.valid_ballots, stage.number
    # Anyone elected on first preferences alone holds a quota under every rule.
    first = result.stages[0]
    for name, votes in first.votes.items():
        if votes >= (first.quota or result.quota):
            assert name in result.elected
