"""ERS97 STV against OpenSTV's ERS97 counts, and the rules the booklet adds to Gregory STV."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from grassroots.count import Action, DecisionKind, Profile, Quotas, count
from grassroots.count.formats.blt import parse_blt, read_blt
from grassroots.count.result import Result
from grassroots.count.rules import ers97
from tests.shared import ELECTIONS

DATA = ELECTIONS
CASES = Path(__file__).parent / "cases"


def _case_files() -> list[Path]:
    return sorted(CASES.glob("ers97-*.yaml"))


def _load(case: dict[str, Any]) -> Profile:
    """The case's ballots (ERBS's notes after M135's title are ignored by the reader)."""
    return read_blt(DATA / case["file"])


def _m135() -> Profile:
    return _load({"file": "reference/droop-M135.blt"})


def _count(path: str, **options: Any) -> Result:
    return ers97.count(read_blt(DATA / path), **options)


# -- agreement with OpenSTV, stage by stage -------------------------------------


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: p.stem)
def test_ers97_stages_equal_openstv(path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    profile = _load(case)
    assert profile.seats == case["seats"]

    result = count(profile, rule=case["rule"])

    assert result.quota == Decimal(case["quota"])
    assert result.valid_ballots == case["valid_ballots"]
    assert sorted(result.elected) == sorted(case["elected"])
    assert len(result.stages) == len(case["stages"])
    for stage, votes, lost in zip(
        result.stages, case["stages"], case["non_transferable"], strict=True
    ):
        assert {name: str(v) for name, v in stage.votes.items()} == votes, f"stage {stage.number}"
        assert stage.exhausted + stage.loss == Decimal(lost), f"stage {stage.number}"


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(DATA)
        for folder in ("glasgow2007-droop", "scotland", "reference")
        for p in (DATA / folder).glob("*.blt")
        if ".orig" not in p.name and "M135" not in p.name
    ),
    ids=str,
)
def test_ers97_votes_are_conserved_at_every_stage(path: Path) -> None:
    result = _count(str(path))
    for stage in result.stages:
        total = sum(stage.votes.values()) + stage.exhausted + stage.loss
        assert total == result.valid_ballots, f"stage {stage.number}"
    assert len(result.elected) == result.seats


# -- the steps of the rule -------------------------------------------------------


def test_ers97_quota_is_rounded_up_to_two_places() -> None:
    # ERS97 5.1.6, and the booklet's model election: 753 valid, 6 places.
    assert ers97.ers97_quota(ers97.FIXED.from_int(753), 6) == 10758
    # An exact division is the quota itself.
    assert ers97.ers97_quota(ers97.FIXED.from_int(5199), 3) == 129975


def test_ers97_surplus_transfer_value_truncated_to_two_places() -> None:
    result = _count("glasgow2007-droop/Calton-2007.blt")
    stage = result.stages[1]

    assert stage.action is Action.SURPLUS
    assert stage.subjects == ("George Redmond",)
    # 682.25 over 1,521 transferable papers = 0.4485..., remainder ignored (5.3.7).
    assert stage.transfer_value == Decimal("0.44")
    assert stage.loss == Decimal("13.01")  # the non-transferable difference (6.11)
    assert stage.exhausted == Decimal("0.00")
    assert stage.votes["George Redmond"] == Decimal("1299.75")


def test_ers97_exclusion_batches_are_stages_highest_value_first() -> None:
    result = _count("glasgow2007-droop/Calton-2007.blt")
    third, fourth = result.stages[2], result.stages[3]

    assert (third.action, fourth.action) == (Action.EXCLUSION, Action.EXCLUSION)
    assert third.subjects == fourth.subjects == ("Gary Barton",)
    assert (third.transfer_value, fourth.transfer_value) == (Decimal("1.00"), Decimal("0.44"))
    assert third.excluded == ("Gary Barton",)
    assert third.votes["Gary Barton"] == Decimal("3.08")  # the 0.44 batch still to go
    assert fourth.votes["Gary Barton"] == Decimal("0.00")


def test_ers97_elects_on_total_active_vote_below_quota() -> None:
    result = _count("glasgow2007-droop/Calton-2007.blt")
    stage = result.stages[7]

    assert stage.elected == ("Alison E Thewliss",)
    assert stage.votes["Alison E Thewliss"] == Decimal("1241.00") < result.quota
    [decision] = [d for d in stage.decisions if d.kind is DecisionKind.ELECTED]
    assert "total active vote" in decision.reason
    assert "5.4.9" in decision.reason


def test_ers97_surplus_deferred_when_lowest_cannot_be_saved() -> None:
    result = _count("glasgow2007-droop/Partick-West-2007.blt")
    stage = result.stages[1]

    [deferred] = [d for d in stage.decisions if d.kind is DecisionKind.DEFERRED]
    assert deferred.candidates == ("Kenny McLean",)
    assert "5.2.2(b)" in deferred.reason
    # ERS97 5.2.5: the three lowest go together in one stage.
    assert stage.action is Action.EXCLUSION
    assert set(stage.excluded) == {"Andrew Gray", "George Aytoun Atkinson", "Jimmy Ross"}
    assert result.stages[2].action is Action.SURPLUS


def test_ers97_surplus_deferred_by_the_two_lowest() -> None:
    result = _count("glasgow2007-droop/Hillhead-2007.blt")

    [deferred] = [d for d in result.decisions if d.kind is DecisionKind.DEFERRED]
    assert deferred.candidates == ("George A Roberts",)
    assert "5.2.2(a)" in deferred.reason


def test_ers97_later_surplus_comes_from_last_batch_at_present_value() -> None:
    result = _count("glasgow2007-droop/Partick-West-2007.blt")
    stage = result.stages[5]

    # Mason's last batch came from Sullivan's papers at 1.00; the transferable
    # ones are worth less than his surplus of 374.85, so they keep their value.
    assert stage.subjects == ("Christopher Mason",)
    assert stage.transfer_value == Decimal("1.00")
    assert stage.exhausted - result.stages[4].exhausted == Decimal("170.85")
    assert stage.elected == ("Stuart Clay",)
    # ERS97 5.5.2: with every place filled, the rest are formally excluded.
    assert stage.excluded == ("Irene Graham",)


def test_ers97_quota_reduced_when_papers_exhaust_before_any_election() -> None:
    profile = Profile.from_rankings(["A", "B", "C"], 1, [[0]] * 4 + [[1]] * 3 + [[2]] * 2)

    result = ers97.count(profile)

    assert result.quota == Decimal("4.50")
    assert result.stages[1].quota == Decimal("3.50")  # (9 - 2) / 2, ERS97 5.4.8
    assert result.stages[1].elected == ("A",)
    assert any("5.4.8" in note for note in result.notes)


# -- empty papers (the M135 note) -------------------------------------------------


def test_ers97_empty_papers_are_not_valid_votes() -> None:
    """ERBS counted M135's 2 empty papers (quota 84.88); ERS97 5.1.2 and 6.9 set them aside."""
    profile = _m135()
    assert profile.n_ballots == 679

    result = ers97.count(profile)

    assert result.valid_ballots == 677
    assert result.quota == Decimal("84.63")  # 677 / 8 = 84.625, rounded up
    assert result.stages[0].exhausted == Decimal("0.00")


def test_ers97_empty_papers_do_not_change_the_count() -> None:
    ballots = [[0, 1]] * 5 + [[1]] * 4 + [[2, 1]] * 3
    plain = Profile.from_rankings(["A", "B", "C"], 1, ballots)
    padded = Profile.from_rankings(["A", "B", "C"], 1, [*ballots, [], []])

    assert ers97.count(padded).to_dict() == ers97.count(plain).to_dict()


# -- ties -------------------------------------------------------------------------


def _earliest_stage_tie() -> Profile:
    """B and C tie for exclusion at stage 3; B was lower at stage 1, higher at stage 2."""
    ballots = [[0]] * 12 + [[1, 0]] * 6 + [[2]] * 8 + [[3, 1, 0]] * 3 + [[4, 2]] + [[4, 0]] * 4
    return Profile.from_rankings(["A", "B", "C", "D", "E"], 1, ballots)


def test_ers97_exclusion_tie_broken_at_earliest_unequal_stage() -> None:
    result = ers97.count(_earliest_stage_tie())
    stage = result.stages[3]

    assert stage.votes["B"] == Decimal("0.00")  # ... B's papers passed on
    assert result.stages[2].votes["B"] == result.stages[2].votes["C"] == Decimal("9.00")
    [tie] = [d for d in stage.decisions if d.kind is DecisionKind.TIE]
    assert tie.candidates == ("B",)
    assert "stage 1" in tie.reason  # not stage 2, where C was the lower
    assert result.elected == ("A",)
    # A reaches the quota with B's papers; C is formally excluded (5.5.2).
    assert stage.excluded == ("B", "C")


def test_ers97_tie_for_last_place_elects_none_then_lot_is_reproducible() -> None:
    profile = Profile.from_rankings(["A", "B"], 1, [[0], [1]])

    first = ers97.count(profile, seed=7)
    again = ers97.count(profile, seed=7)
    winners = {ers97.count(profile, seed=seed).elected for seed in range(20)}

    assert first.to_dict() == again.to_dict()
    assert winners == {("A",), ("B",)}
    [stage] = first.stages
    kinds = [d.kind for d in stage.decisions]
    # ERS97 5.6.2: both reach the quota 1.00 with one place: neither is deemed
    # elected; 5.2.5: the exclusion goes to lot; 5.5.1: the other is elected.
    assert kinds == [
        DecisionKind.TIE,
        DecisionKind.TIE,
        DecisionKind.EXCLUDED,
        DecisionKind.ELECTED,
    ]
    assert "5.6.2" in stage.decisions[0].reason
    assert f"lot (seed {first.seed})" in stage.decisions[1].reason


# A's surplus brings B to 26.50; D's exclusion brings C level with B. Both then
# reach the total active vote over two (53.00 / 2) with one place left. B was
# ahead at stage 1, the earliest stage where they differed, so B is elected.
EQUAL_FOR_LAST_PLACE_BUT_NOT_BEFORE = """4 2
30 1 2 0
30 1 3 0
10 2 0
7 3 0
3 4 3 0
1 4 0
0
"A"
"B"
"C"
"D"
"ERS97 5.6.2 with an earlier difference"
"""


def test_ers97_equal_for_the_last_place_elects_who_was_ahead_earliest() -> None:
    result = ers97.count(parse_blt(EQUAL_FOR_LAST_PLACE_BUT_NOT_BEFORE))

    stage = result.stages[2]
    assert stage.votes["B"] == stage.votes["C"] == Decimal("26.50")
    assert (result.stages[0].votes["B"], result.stages[0].votes["C"]) == (10, 7)
    assert result.elected == ("A", "B")
    assert stage.elected == ("B",)
    [elected] = [d for d in stage.decisions if d.kind is DecisionKind.ELECTED]
    assert "ahead of equal candidates at an earlier stage (ERS97 5.4.9)" in elected.reason
    [held_back] = [d for d in stage.decisions if d.kind is DecisionKind.TIE]
    assert held_back.candidates == ("C",)
    assert held_back.reason.startswith(
        "equal votes with too few places left, and behind B at an earlier stage"
    )


# -- category quotas ----------------------------------------------------------------


def _quota_profile() -> Profile:
    """Four seats; without a quota three men and one woman are elected."""
    names = ["M1", "M2", "M3", "M4", "F1", "F2"]
    ballots = [[0, 4]] * 30 + [[1]] * 16 + [[2]] * 15 + [[3]] * 14 + [[4]] * 17 + [[5]] * 8
    profile = Profile.from_rankings(names, 4, ballots)
    return profile.with_categories({n: n[0] for n in names})


def test_ers97_without_quota_elects_three_men() -> None:
    result = ers97.count(_quota_profile())

    assert sorted(result.elected) == ["F1", "M1", "M2", "M3"]


def test_ers97_quota_min_two_women_guards_and_dooms() -> None:
    result = ers97.count(_quota_profile(), quotas=Quotas.build(minimum={"F": 2}))

    assert sorted(result.elected) == ["F1", "F2", "M1", "M2"]
    guarded = {c for d in result.decisions if d.kind is DecisionKind.GUARDED for c in d.candidates}
    doomed = [d for d in result.decisions if d.kind is DecisionKind.DOOMED]
    assert guarded == {"F2"}
    assert [d.candidates for d in doomed] == [("M3",)]
    assert "F ≥ 2" in doomed[0].reason
    quota_stages = [s for s in result.stages if s.action is Action.QUOTA_EXCLUSION]
    assert [s.excluded for s in quota_stages] == [("M3",)]
    for stage in result.stages:
        assert sum(stage.votes.values()) + stage.exhausted + stage.loss == result.valid_ballots


def test_ers97_equal_candidates_for_last_place_are_not_elected_by_lot() -> None:
    """Voting matters 12: two equal candidates reach the last place together.

    ERS97 5.6.2 elects neither at that stage (OpenSTV 1.7 draws lots here
    instead); the later exclusion between them is what goes to lot (5.2.5).
    """
    result = _count("reference/droop-SC-Vm-12.blt")
    stage = result.stages[3]

    [held_back] = [d for d in stage.decisions if "5.6.2" in d.reason]
    assert held_back.kind is DecisionKind.TIE
    assert len(held_back.candidates) == 2
    assert stage.elected == ()
    last = result.stages[-1]
    assert set(last.elected) | set(last.excluded) == set(held_back.candidates)
    assert len(result.elected) == 3


def test_ers97_equal_candidates_split_into_tiers_recursively() -> None:
    """ERS97 5.6.2 applied within a tier: candidates 0-3 are equal now; stage 0 splits
    {1, 2, 3} (10) from {0} (5); among those three, stage 1 splits {1, 3} (8) from {2} (7),
    and stage 2 never separates 1 from 3, so they stay one tier, in number order."""
    from types import SimpleNamespace

    from grassroots.count.rules.ers97 import _Count

    history = [[5, 10, 10, 10], [9, 8, 7, 8], [9, 4, 9, 4]]
    counting = object.__new__(_Count)
    counting.tally = SimpleNamespace(history=history)  # type: ignore[assignment]
    assert counting.rank_by_history([3, 2, 1, 0]) == [[1, 3], [2], [0]]
    assert counting.rank_by_history([0, 2]) == [[2], [0]]
    assert counting.rank_by_history([1, 3]) == [[1, 3]]
