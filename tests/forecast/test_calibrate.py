"""Calibration: the voter model's parameters recovered from ballots it drew itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grassroots.count import count
from grassroots.count.formats.blt import write_blt
from grassroots.forecast import ScenarioError, scenario_from_mapping
from grassroots.forecast.calibrate import (
    calibrate_file,
    calibrate_profile,
    slates_from_names,
)
from grassroots.forecast.simulate import _draw_profile

KNOWN = {
    "seats": 5,
    "voters": 120_000,
    "uncertainty": 0.0,
    "popularity_spread": 0.0,
    "ranking": {"mean_length": 4.0, "stop_at_slate_end": 0.5, "full_ranking_share": 0.15},
    "slates": [
        {
            "name": "Left",
            "share": 0.42,
            "loyalty": 0.7,
            "candidates": [
                {"name": "L1", "strength": 0.5},
                {"name": "L2", "strength": 0.1},
                {"name": "L3", "strength": -0.2},
                {"name": "L4", "strength": -0.5},
            ],
        },
        {
            "name": "Right",
            "share": 0.33,
            "loyalty": 0.5,
            "candidates": [
                {"name": "R1", "strength": 0.3},
                {"name": "R2", "strength": -0.1},
                {"name": "R3", "strength": -0.3},
            ],
        },
    ],
    "independents": [{"name": "I1", "strength": 0.2}, {"name": "I2", "strength": -0.4}],
}
SLATES = {"Left": ["L1", "L2", "L3", "L4"], "Right": ["R1", "R2", "R3"]}


def test_calibration_recovers_the_parameters_that_drew_the_ballots() -> None:
    truth = scenario_from_mapping(KNOWN)
    profile = _draw_profile(truth, seed=5, run=0)

    fitted = calibrate_profile(profile, SLATES, seed=1)

    for known, found in zip(truth.slates, fitted.scenario.slates, strict=True):
        assert found.share == pytest.approx(known.share, abs=0.02), known.name
        assert found.loyalty == pytest.approx(known.loyalty, abs=0.05), known.name
        order = [c.name for c in found.candidates]
        assert order == [c.name for c in known.candidates]  # most liked first
    ranking = fitted.scenario.ranking
    assert ranking.mean_length == pytest.approx(4.0, abs=0.3)
    assert ranking.stop_at_slate_end == pytest.approx(0.5, abs=0.05)
    assert ranking.full_ranking_share == pytest.approx(0.15, abs=0.03)
    assert fitted.first_distance < 0.02
    assert fitted.transfer_distance < 0.03
    rows = fitted.transfer_table()
    assert ("Left", "Left") in {(a, b) for a, b, _, _ in rows}


def test_a_count_sheet_gives_shares_and_loyalty_and_says_what_it_kept(tmp_path: Path) -> None:
    truth = scenario_from_mapping({**KNOWN, "voters": 20_000})
    profile = _draw_profile(truth, seed=6, run=0)
    sheet = count(profile, rule="scottish").to_dict()
    path = tmp_path / "sheet.json"
    path.write_text(json.dumps(sheet), encoding="utf-8")

    fitted = calibrate_file(path, SLATES)

    assert fitted.source == "count sheet"
    assert fitted.first_distance < 0.02
    left = fitted.scenario.slates[0]
    assert left.share + fitted.scenario.slates[1].share < 1.0
    assert 0.3 <= left.loyalty <= 1.0
    assert any("ranking lengths" in line for line in fitted.kept)
    assert fitted.to_mapping()["transfer_distance"] is None


def test_a_ballot_file_with_parties_in_names_needs_no_slates(tmp_path: Path) -> None:
    truth = scenario_from_mapping(
        {
            **KNOWN,
            "voters": 3_000,
            "seats": 2,
            "slates": [
                {"name": "Red", "share": 0.5, "candidates": ["Ann (Red)", "Bob (Red)"]},
                {"name": "Blue", "share": 0.4, "candidates": ["Cy (Blue)", "Di (Blue)"]},
            ],
            "independents": [],
        }
    )
    path = tmp_path / "ward.blt"
    write_blt(_draw_profile(truth, seed=1, run=0), path)
    assert slates_from_names(["Ann (Red)", "Cy (Blue)", "Eve"]) == {
        "Red": ["Ann (Red)"],
        "Blue": ["Cy (Blue)"],
    }

    fitted = calibrate_file(path)

    assert [s.name for s in fitted.scenario.slates] == ["Red", "Blue"]
    # Two-candidate slates are identified less well (see the module): a looser check.
    assert fitted.scenario.slates[0].share == pytest.approx(0.5, abs=0.08)


def test_slates_must_name_candidates_of_the_source() -> None:
    profile = _draw_profile(scenario_from_mapping({**KNOWN, "voters": 200}), seed=1, run=0)
    with pytest.raises(ScenarioError, match=r'Left: "Zed" is not a candidate in the source'):
        calibrate_profile(profile, {"Left": ["L1", "Zed"]})
    with pytest.raises(ScenarioError, match="say which candidates stand for which slate"):
        calibrate_profile(profile, None)
