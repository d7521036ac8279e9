"""Scottish STV against published results and against Droop's reference reports."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from grassroots.count import DecisionKind, count
from grassroots.count.formats.blt import parse_blt, read_blt
from grassroots.count.result import Result
from tests.count.droop_report import read_droop_stages
from tests.shared import ELECTIONS

DATA = ELECTIONS
CASES = Path(__file__).parent / "cases"


def _droop_pairs() -> list[tuple[Path, Path]]:
    pairs = [
        (blt, blt.with_suffix(".scotland-report.txt"))
        for blt in DATA.glob("glasgow2007-droop/*.blt")
    ]
    for report in sorted(DATA.glob("reference/*.scotland*report.txt")):
        stem = report.name.split(".")[0]
        pairs.append((DATA / "reference" / f"{stem}.blt", report))
    return sorted(pairs)


def _ours(result: Result) -> list[dict[str, Decimal]]:
    return [
        {**stage.votes, "exhausted": stage.exhausted, "loss": stage.loss} for stage in result.stages
    ]


def _drawn_by_lot(result: Result) -> set[str]:
    """Every candidate in a tie that went to lot (the reason names them all)."""
    drawn: set[str] = set()
    for decision in result.decisions:
        if decision.kind is DecisionKind.TIE and "broken by lot" in decision.reason:
            between = decision.reason.split(" between ", 1)[1].split(": broken by lot")[0]
            drawn.update(between.split(" (stage ")[0].split(", "))
    return drawn


@pytest.mark.parametrize(("blt", "report"), _droop_pairs(), ids=lambda p: p.name)
def test_scottish_stages_equal_droop_report(blt: Path, report: Path) -> None:
    profile = read_blt(blt)
    result = count(profile, rule="scottish")
    expected = read_droop_stages(report, list(profile.candidates))
    ours = _ours(result)
    # Droop draws lots in its own order, so a candidate drawn by lot here may be one it kept.
    # Every stage is still compared: the others' votes, the exhausted and the loss exactly,
    # and the votes of those in a drawn tie as a set of figures.
    drawn = _drawn_by_lot(result)
    assert len(ours) == len(expected)
    for number, (mine, theirs) in enumerate(zip(ours, expected, strict=True), start=1):
        assert {k: v for k, v in mine.items() if k not in drawn} == {
            k: v for k, v in theirs.items() if k not in drawn
        }, f"stage {number}"
        assert sorted(mine[k] for k in drawn) == sorted(theirs[k] for k in drawn), f"stage {number}"


def _published() -> list[dict[str, object]]:
    cases: list[dict[str, object]] = yaml.safe_load((CASES / "scotland-official.yaml").read_text())
    return cases


@pytest.mark.parametrize("case", _published(), ids=lambda c: str(c["file"]))
def test_scottish_elects_official_winners(case: dict[str, object]) -> None:
    result = count(read_blt(DATA / "scotland" / f"{case['file']}.blt"), rule="scottish")
    assert int(result.quota) == case["quota"]
    assert result.valid_ballots == case["valid"]
    elected = [name.split(" (")[0] for name in result.elected]
    assert sorted(elected) == sorted(case["elected"])  # type: ignore[arg-type]
    stage_of = {
        name.split(" (")[0]: stage.number for stage in result.stages for name in stage.elected
    }
    for name, stage in dict(case.get("elected_at", {})).items():  # type: ignore[call-overload]
        assert stage_of[name] == stage, name


def _whole(votes: Decimal, published: int) -> Decimal | int:
    """``published`` if it is ``votes`` truncated or rounded, else ``votes`` (to fail)."""
    if published in (int(votes), int(votes.quantize(Decimal(1), ROUND_HALF_UP))):
        return published
    return votes


@pytest.mark.parametrize(
    "case", [c for c in _published() if "stages" in c], ids=lambda c: str(c["file"])
)
def test_scottish_stage_figures_equal_published(case: dict[str, object]) -> None:
    """Published figures are whole votes, some truncated and some rounded by their sources.

    Either is accepted, which still pins every figure to within one vote; the
    five-decimal figures are compared with Droop's reports above.
    """
    result = count(read_blt(DATA / "scotland" / f"{case['file']}.blt"), rule="scottish")
    by_surname = {name.split(" (")[0].split()[-1]: name for name in result.candidates}
    for surname, figures in dict(case["stages"]).items():  # type: ignore[call-overload]
        name = by_surname[surname]
        ours = [
            None if figure is None else _whole(stage.votes[name], figure)
            for stage, figure in zip(result.stages, figures, strict=False)
        ]
        assert ours == figures, name


def test_scottish_votes_are_conserved_at_every_stage() -> None:
    result = count(read_blt(DATA / "glasgow2007-droop" / "Govan-2007.blt"), rule="scottish")
    for stage in result.stages:
        assert sum(stage.votes.values()) + stage.exhausted + stage.loss == result.valid_ballots


# B, C and D tie for exclusion at stage 3. Stage 2 sets D aside (B and C were
# equal lowest there); stage 1 then separates B from C. D was lowest of all three
# at stage 1, so a look-back that did not set D aside would exclude D.
LOOK_BACK_NARROWS = """6 1
20 1 0
12 2 0
14 3 0
10 4 0
3 5 2 0
3 5 3 0
2 5 4 0
2 6 2 0
5 6 4 0
0
"W"
"B"
"C"
"D"
"E"
"F"
"Look-back narrows a three-way tie"
"""


def test_scottish_exclusion_tie_narrowed_by_a_later_stage_then_broken_earlier() -> None:
    result = count(parse_blt(LOOK_BACK_NARROWS), rule="scottish")

    stage = result.stages[3]
    assert [result.stages[n].votes[c] for n in (0, 1, 2) for c in "BCD"] == [
        Decimal(v) for v in (12, 14, 10, 14, 14, 15, 17, 17, 17)
    ]
    assert stage.excluded == ("B",)
    [tie] = [d for d in stage.decisions if d.kind is DecisionKind.TIE]
    assert tie.candidates == ("B",)
    assert tie.reason == (
        "tie for exclusion (r.51) between B, C, D (stage 2 left B, C with the fewest votes): "
        "broken by stage 1, where B had the fewest votes"
    )
