"""Category quotas by guard and doom: the timing the issue fixes, on hand-made counts."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from grassroots.count import DecisionKind, Profile, QuotaError, Quotas, count
from grassroots.count.formats.blt import read_blt
from grassroots.count.quota import QuotaGuard
from tests.shared import ELECTIONS

DATA = ELECTIONS
RULES = ["scottish", "ers97", "meek"]


def _profile(seats: int, ballots: list[tuple[int, list[str]]], women: set[str]) -> Profile:
    names = sorted({name for _, ranking in ballots for name in ranking})
    index = {name: i for i, name in enumerate(names)}
    profile = Profile.from_rankings(
        names,
        seats,
        [[index[n] for n in ranking] for _, ranking in ballots],
        [weight for weight, _ in ballots],
    )
    return profile.with_categories({n: "F" if n in women else "M" for n in names})


def test_quota_guard_dooms_men_when_seats_left_equal_need() -> None:
    guard = QuotaGuard(Quotas.build({"F": 2}), ["M", "M", "F", "F", "F"], 3, list("abcde"))
    assert guard.doomed(elected=[0], continuing=[1, 2, 3, 4]) == [1]
    assert guard.doomed(elected=[], continuing=[0, 1, 2, 3, 4]) == []


def test_quota_guard_protects_last_women_from_exclusion() -> None:
    guard = QuotaGuard(Quotas.build({"F": 2}), ["M", "M", "F", "F", "M"], 3, list("abcde"))
    assert not guard.can_exclude(2, elected=[0], continuing=[1, 2, 3, 4])
    assert guard.can_exclude(4, elected=[0], continuing=[1, 2, 3, 4])


def test_quota_guard_maximum_dooms_category_once_full() -> None:
    guard = QuotaGuard(Quotas.build(maximum={"M": 1}), ["M", "M", "F", "F"], 2, list("abcd"))
    assert guard.doomed(elected=[0], continuing=[1, 2, 3]) == [1]


def test_quota_impossible_with_too_few_candidates_is_refused() -> None:
    profile = _profile(3, [(10, ["Ann", "Bob"]), (5, ["Cy"]), (4, ["Dan"])], women={"Ann"})
    with pytest.raises(QuotaError, match="quota impossible: at least 2 of category 'F'"):
        count(profile, quotas=Quotas.build({"F": 2}))


def test_quota_unknown_category_is_refused() -> None:
    profile = _profile(1, [(10, ["Ann", "Bob"])], women={"Ann"})
    with pytest.raises(QuotaError, match="no candidate is in category 'W'"):
        count(profile, quotas=Quotas.build({"W": 1}))


def test_quota_impossible_together_though_each_category_has_enough() -> None:
    """Two seats cannot hold two women and a man, though two of each stand."""
    profile = _profile(
        2, [(10, ["Ann"]), (9, ["Bea"]), (8, ["Cy"]), (7, ["Dan"])], women={"Ann", "Bea"}
    )
    with pytest.raises(
        QuotaError,
        match=r"quota impossible: no choice of 2 of the candidates meets the quotas",
    ):
        count(profile, quotas=Quotas.build({"F": 2, "M": 1}))


# Two men reach the quota at stage 1 with one men's seat left (3 seats, F >= 2):
# the higher is elected, the other doomed and excluded before any surplus moves.
TWO_MEN = [
    (30, ["M1", "F1"]),
    (28, ["M2", "F3"]),
    (15, ["F1"]),
    (14, ["F2"]),
    (13, ["F3"]),
]


def test_scottish_without_quota_elects_two_men() -> None:
    result = count(_profile(3, TWO_MEN, {"F1", "F2", "F3"}), rule="scottish")
    assert result.elected == ("M1", "M2", "F1")


def test_scottish_quota_dooms_second_man_reaching_quota() -> None:
    profile = _profile(3, TWO_MEN, {"F1", "F2", "F3"})
    result = count(profile, rule="scottish", quotas=Quotas.build({"F": 2}))
    assert result.elected == ("M1", "F3", "F1")
    first, second = result.stages[0], result.stages[1]
    assert first.elected == ("M1",)
    assert second.action == "quota_exclusion"
    assert second.excluded == ("M2",)
    assert second.decisions[0].kind is DecisionKind.DOOMED
    assert "F ≥ 2" in second.decisions[0].reason
    # M2's 28 papers move at full value to F3, who is then elected.
    assert second.votes["F3"] == 41
    assert second.elected == ("F3",)


# The lowest candidate is a woman whom the quota needs: she is guarded and
# the lowest man goes instead (3 seats, F >= 1).
GUARDED = [
    (30, ["M1"]),
    (22, ["M2"]),
    (20, ["M3"]),
    (18, ["M4", "M3"]),
    (10, ["F1"]),
]


def test_scottish_quota_guards_lowest_woman() -> None:
    result = count(_profile(3, GUARDED, {"F1"}), rule="scottish", quotas=Quotas.build({"F": 1}))
    assert result.elected == ("M1", "M3", "F1")
    guarded = [d for d in result.decisions if d.kind is DecisionKind.GUARDED]
    assert [d.candidates for d in guarded] == [("F1",)]
    exclusion = next(s for s in result.stages if s.action == "exclusion")
    assert exclusion.excluded == ("M4",)
    doomed = [d for d in result.decisions if d.kind is DecisionKind.DOOMED]
    assert [d.candidates for d in doomed] == [("M2",)]


def test_scottish_without_quota_excludes_lowest_woman() -> None:
    result = count(_profile(3, GUARDED, {"F1"}), rule="scottish")
    assert "F1" not in result.elected


def _synthetic_cases() -> list[Path]:
    return sorted((DATA / "synthetic-quota").glob("case-*.blt"))


@pytest.mark.slow
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("blt", _synthetic_cases(), ids=lambda p: p.stem)
def test_synthetic_quota_cases_meet_minimum(blt: Path, rule: str) -> None:
    gender = json.loads(blt.with_suffix(".gender.json").read_text(encoding="utf-8"))
    profile = read_blt(blt).with_categories(gender)
    minimum = math.ceil(0.45 * profile.seats)
    result = count(profile, rule=rule, quotas=Quotas.build({"F": minimum}))
    assert len(result.elected) == profile.seats
    assert sum(gender[name] == "F" for name in result.elected) >= minimum
    for stage in result.stages:
        total = sum(stage.votes.values()) + stage.exhausted + stage.loss
        assert abs(total - result.valid_ballots) == 0, stage.number
