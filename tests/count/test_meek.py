"""Meek STV (Algorithm 123) against Droop's Meek and the worked examples in shared/data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from grassroots.count import Action, DecisionKind, Profile, Quotas
from grassroots.count.formats.blt import read_blt
from grassroots.count.result import Result
from grassroots.count.rules import meek
from tests.shared import ELECTIONS

DATA = ELECTIONS
CASES = Path(__file__).parent / "cases"
MEEK_CASES = sorted(CASES.glob("meek-*.yaml"))

# Algorithm 123 stops when every elected candidate's vote is within 1e-5 of the
# quota (relative); Droop iterates on to a total surplus below 1e-9. The stage
# figures may therefore differ by about 1e-5 x quota; we allow twice that.
DROOP_TOLERANCE = Decimal("0.00002")


def _case(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        case: dict[str, Any] = yaml.safe_load(handle)
    return case


def _count_file(relative: str, **options: Any) -> Result:
    return meek.count(read_blt(DATA / relative), **options)


def _exclusion_stages(result: Result) -> list[tuple[str, int]]:
    """(excluded candidate, number of the stage whose votes decided it) for each exclusion."""
    return [
        (stage.subjects[0], stage.number - 1)
        for stage in result.stages
        if stage.action is Action.EXCLUSION
    ]


@pytest.mark.parametrize("path", MEEK_CASES, ids=[p.stem for p in MEEK_CASES])
def test_meek_exclusion_order_matches_droop(path: Path) -> None:
    case = _case(path)

    result = _count_file(case["ballots"])

    ours = [name for name, _ in _exclusion_stages(result)]
    assert ours == [entry["excluded"] for entry in case["exclusions"]]
    assert sorted(result.elected) == case["droop_elected"]


@pytest.mark.parametrize("path", MEEK_CASES, ids=[p.stem for p in MEEK_CASES])
def test_meek_stage_votes_within_tolerance_of_droop(path: Path) -> None:
    case = _case(path)

    result = _count_file(case["ballots"])

    stages = {s.number: s for s in result.stages}
    for (name, number), entry in zip(_exclusion_stages(result), case["exclusions"], strict=True):
        stage = stages[number]
        droop_quota = Decimal(entry["quota"])
        allowed = DROOP_TOLERANCE * droop_quota
        assert stage.quota is not None
        assert abs(stage.quota - droop_quota) <= allowed, (name, "quota")
        for candidate, figure in entry["votes"].items():
            assert abs(stage.votes[candidate] - Decimal(figure)) <= allowed, (name, candidate)


def test_meek_sc_vm_12_elects_a_b_x() -> None:
    # README and droop-SC-Vm-12.meek-o10-rational-d12.report.txt: exact Meek elects
    # A, B, X; X, Y, Z differ by about 1e-7 after A's and B's surpluses, which 9
    # decimals resolve and Algorithm 123 (no "tied within the surplus" rule) honours.
    result = _count_file("reference/droop-SC-Vm-12.blt")

    assert sorted(result.elected) == ["A", "B", "X"]
    assert [s.subjects for s in result.stages if s.action is Action.EXCLUSION] == [("Z",)]


@pytest.mark.parametrize(
    ("relative", "elected"),
    [
        (
            "glasgow2007-droop/Linn-2007.blt",
            ["David Ritchie", "John McKenzie", "Margot Clark", "Sadie Docherty"],
        ),
        (
            "glasgow2007-droop/Partick-West-2007.blt",
            ["Aileen Colleran", "Christopher Mason", "Kenny McLean", "Stuart Clay"],
        ),
        (
            "glasgow2007-droop/Calton-2007.blt",
            ["Alison E Thewliss", "George Redmond", "Ruth Simpson"],
        ),
        (
            "glasgow2007-droop/Govan-2007.blt",
            ["Allison Hunter", "John Flanagan", "Shaukat Butt", "Stephen Dornan"],
        ),
        (
            "glasgow2007-droop/Hillhead-2007.blt",
            ["George A Roberts", "Hanzala Malik", "Kenneth Elder", "Martha Ferguson Wardrop"],
        ),
        ("reference/droop-42.blt", ["Castor", "Helen"]),
        ("reference/droop-513.blt", ["Castor", "Helen"]),
    ],
)
def test_meek_elected_set_glasgow_and_reference(relative: str, elected: list[str]) -> None:
    result = _count_file(relative)

    assert sorted(result.elected) == elected


@pytest.mark.parametrize(
    "relative",
    ["glasgow2007-droop/Linn-2007.blt", "reference/droop-SC-Vm-12.blt"],
)
def test_meek_votes_conserved_every_stage(relative: str) -> None:
    result = _count_file(relative)

    for stage in result.stages:
        total = sum(stage.votes.values(), Decimal(0)) + stage.exhausted + stage.loss
        assert total == result.valid_ballots, stage.number
        assert stage.loss == 0


def test_meek_transfers_account_for_the_subjects_loss() -> None:
    result = _count_file("glasgow2007-droop/Calton-2007.blt")

    previous = result.stages[0]
    for stage in result.stages[1:]:
        if stage.action is Action.EXCLUSION:
            (subject,) = stage.subjects
            moved = sum((t.votes for t in stage.transfers), Decimal(0))
            assert moved == previous.votes[subject] - stage.votes[subject]
        previous = stage


def _gender_profile() -> Profile:
    # Three seats, two women (D, E) with few first preferences.
    return Profile.from_rankings(
        ["A", "B", "C", "D", "E"],
        3,
        [[0, 1], [1, 0], [2, 1], [3, 4], [4, 3]],
        [40, 30, 25, 20, 10],
        categories=["M", "M", "M", "F", "F"],
    )


def test_meek_quota_minimum_changes_result() -> None:
    profile = _gender_profile()

    free = meek.count(profile)
    constrained = meek.count(profile, quotas=Quotas.build({"F": 2}))

    assert free.elected == ("A", "B", "D")
    assert constrained.elected == ("A", "D", "E")
    quota_stage = constrained.stages[1]
    assert quota_stage.action is Action.QUOTA_EXCLUSION
    assert quota_stage.subjects == ("B", "C")
    doomed = [d.candidates for d in quota_stage.decisions if d.kind is DecisionKind.DOOMED]
    assert doomed == [("B",), ("C",)]


def test_meek_quota_changes_between_stages() -> None:
    result = meek.count(_gender_profile())

    quotas = [stage.quota for stage in result.stages]
    assert quotas[0] == Decimal("31.25")
    assert quotas[2] is not None
    assert quotas[2] < quotas[0]
    assert result.stages[2].exhausted > 0


def test_meek_first_stage_counts_first_preferences() -> None:
    result = meek.count(_gender_profile())

    first = result.stages[0]
    assert first.action is Action.FIRST
    assert dict(first.votes) == {
        "A": Decimal(40),
        "B": Decimal(30),
        "C": Decimal(25),
        "D": Decimal(20),
        "E": Decimal(10),
    }
    assert first.elected == ("A",)


def test_meek_same_seed_same_result() -> None:
    # Four candidates tied on first preferences: who goes is decided by lot.
    profile = Profile.from_rankings(["A", "B", "C", "D"], 2, [[0], [1], [2], [3]], [5, 5, 5, 5])

    first = meek.count(profile, seed=7)
    again = meek.count(profile, seed=7)

    assert first.to_dict() == again.to_dict()
    ties = [d for d in first.decisions if d.kind is DecisionKind.TIE]
    assert ties
    assert all("by lot (seed 7)" in d.reason for d in ties)


def test_meek_withdrawn_candidate_gets_nothing() -> None:
    profile = Profile.from_rankings(
        ["A", "B", "C"], 1, [[0, 1], [1], [2, 1]], [4, 3, 2], withdrawn=[0]
    )

    result = meek.count(profile)

    assert "A" not in result.stages[0].votes
    assert result.stages[0].votes["B"] == 7
    assert result.elected == ("B",)


def test_meek_rule_constants() -> None:
    assert meek.RULE == "meek"
    assert meek.FIXED.decimals == 9
    assert "Algorithm 123" in meek.TITLE
