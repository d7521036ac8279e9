"""Scenario files: what they hold, and the exact error for each kind of bad one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grassroots.forecast import (
    ScenarioError,
    read_scenario,
    scenario_from_mapping,
    scenario_to_mapping,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "forecast-nec.json"


def _base() -> dict[str, Any]:
    return {
        "seats": 3,
        "quotas": {"F": {"min": 1}},
        "slates": [
            {"name": "A", "share": 0.5, "loyalty": 0.8, "candidates": ["A1", "A2"]},
            {
                "name": "B",
                "share": 0.3,
                "candidates": [{"name": "B1", "category": "F"}, {"name": "B2"}],
            },
        ],
        "independents": [{"name": "I1", "gender": "F", "strength": 0.5}],
    }


def test_example_scenario_reads() -> None:
    scenario = read_scenario(EXAMPLE)
    assert scenario.seats == 9
    assert [s.name for s in scenario.slates] == [
        "Grassroots Alliance",
        "Labour Together Now",
        "Open Left",
    ]
    assert len(scenario.candidates) == 17
    assert scenario.quota_limits().limits["F"].minimum == 4
    assert scenario.unaligned_share == pytest.approx(0.08)


def test_defaults_and_shorthands() -> None:
    scenario = scenario_from_mapping(_base())
    assert [c.name for c in scenario.candidates] == ["A1", "A2", "B1", "B2", "I1"]
    assert scenario.slates[1].loyalty == 0.6  # the default
    assert scenario.independents[0].category == "F"  # "gender" is read as the category
    assert scenario.independents[0].strength == 0.5
    assert scenario.rule == "scottish"
    assert scenario.voters == 5_000
    assert scenario.unaligned_share == pytest.approx(0.2)


def test_round_trip() -> None:
    scenario = read_scenario(EXAMPLE)
    assert scenario_from_mapping(scenario_to_mapping(scenario)) == scenario


def test_slate_size_keeps_the_slate_order() -> None:
    scenario = scenario_from_mapping(_base()).with_slate_size("A", 1)
    assert [c.name for c in scenario.candidates] == ["A1", "B1", "B2", "I1"]
    with pytest.raises(ScenarioError, match="a size from 1 to 2 is needed, got 3"):
        scenario_from_mapping(_base()).with_slate_size("B", 3)
    with pytest.raises(ScenarioError, match='no slate is called "C"'):
        scenario_from_mapping(_base()).with_slate_size("C", 1)


def _change(path: list[Any], value: Any) -> dict[str, Any]:
    data = _base()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["seats"], _DELETE, "seats: is required"),
        (["seats"], "3", "seats: must be a whole number, got '3'"),
        (["seats"], 9, "seats: must be from 1 to the 5 candidates standing, got 9"),
        (["rule"], "borda", 'rule: unknown rule "borda": choose scottish, ers97, meek, irv'),
        (["rule"], "irv", "rule: instant runoff fills one seat; use an STV rule"),
        (["slates"], [], "slates: must be a non-empty list"),
        (["slates", 0, "share"], 0.8, "slates: the slates' shares add up to 1.100, more than 1"),
        (["slates", 0, "share"], -0.1, "slates[0].share: must be from 0.0 to 1.0, got -0.1"),
        (["slates", 1, "share"], _DELETE, "slates[1].share: is required"),
        (["slates", 0, "loyalty"], 2, "slates[0].loyalty: must be from 0.0 to 1.0, got 2"),
        (["slates", 0, "candidates"], [], "slates[0].candidates: must be a non-empty list"),
        (
            ["slates", 0, "candidates", 1],
            {"x": 1},
            'slates[0].candidates[1]: each candidate needs a "name"',
        ),
        (["slates", 0, "candidates", 1], "B1", "slates: named twice: B1"),
        (
            ["independents", 0, "strength"],
            "high",
            "independents[0].strength: must be a number, got 'high'",
        ),
        (
            ["quotas"],
            {"F": {"min": 3}},
            'quotas: at least 3 "F" must be elected, but 2 stand for 3 seats',
        ),
        (["quotas"], {"F": 4}, 'quotas: must look like {"F": {"min": 4}}'),
        (["voters"], 0, "voters: must be from 1 to 200,000, got 0"),
        (["uncertainty"], 0.5, "uncertainty: must be at least 0 and below 0.5, got 0.5"),
        (["ranking"], {"mean_length": 0.5}, "ranking.mean_length: must be at least 1.0, got 0.5"),
    ],
)
def test_bad_scenarios_name_their_field(path: list[Any], value: Any, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_mapping(_change(path, value), path="s.json")
    assert str(caught.value) == f"s.json: {message}"


def test_bad_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"seats": 3,\n  "slates": [}\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken.json: not JSON: .* at line 2, column 14"):
        read_scenario(broken)
    with pytest.raises(ScenarioError, match=r"missing.json: cannot read the file"):
        read_scenario(tmp_path / "missing.json")
    deep = tmp_path / "deep.json"  # a crafted file once crashed the reader (RecursionError)
    deep.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"deep.json: .*nested too deeply"):
        read_scenario(deep)
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps(_base()).replace("A1", "Zo\u00eb").encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"latin\.json: the file is not UTF-8 text"):
        read_scenario(latin)
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"list\.json: a scenario is a JSON object"):
        read_scenario(listed)
