"""Forecasts: reproducible, right where the answer can be worked out by hand, quota-safe."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from grassroots.forecast import (
    INDEPENDENT,
    ScenarioError,
    default_orders,
    scenario_from_mapping,
    simulate,
    slate_orders,
    slate_sizes,
)


def _two_slates(share_a: float = 0.7, **extra: Any) -> dict[str, Any]:
    """Every voter loyal, ranking only their own slate; nothing uncertain but the ballots."""
    return {
        "seats": 3,
        "voters": 2_000,
        "uncertainty": 0.0,
        "popularity_spread": 0.0,
        "ranking": {"stop_at_slate_end": 1.0},
        "slates": [
            {"name": "A", "share": share_a, "loyalty": 1.0, "candidates": ["A1", "A2", "A3"]},
            {"name": "B", "share": 1 - share_a, "loyalty": 1.0, "candidates": ["B1", "B2", "B3"]},
        ],
        **extra,
    }


def test_seats_follow_the_droop_quota_when_every_voter_is_loyal() -> None:
    # 70% and 30% of first preferences, 3 seats, quota 25%: A fills two quotas
    # and B one, whatever the order within each slate.
    forecast = simulate(scenario_from_mapping(_two_slates()), runs=20, seed=3)
    assert forecast.expected_seats("A") == 2.0
    assert forecast.expected_seats("B") == 1.0
    assert forecast.seat_chances("A") == [0.0, 0.0, 1.0, 0.0]
    assert forecast.seats_range("B") == (1, 1)
    assert forecast.first_preferences.mean(axis=0) == pytest.approx([0.7, 0.3], abs=0.02)
    assert (forecast.elected.sum(axis=1) == 3).all()


def test_same_seed_same_forecast_other_seed_other_draws() -> None:
    scenario = scenario_from_mapping(_two_slates(0.55, uncertainty=0.1))
    first = simulate(scenario, runs=15, seed=7)
    again = simulate(scenario, runs=15, seed=7)
    other = simulate(scenario, runs=15, seed=8)
    np.testing.assert_array_equal(first.elected, again.elected)
    np.testing.assert_array_equal(first.first_preferences, again.first_preferences)
    assert not np.array_equal(first.first_preferences, other.first_preferences)


def test_uncertainty_spreads_the_shares() -> None:
    sure = simulate(scenario_from_mapping(_two_slates(0.5)), runs=40, seed=1)
    unsure = simulate(scenario_from_mapping(_two_slates(0.5, uncertainty=0.1)), runs=40, seed=1)
    assert sure.first_preferences[:, 0].std() < 0.02  # only the ballots' own sampling
    assert 0.06 < unsure.first_preferences[:, 0].std() < 0.14  # about the 0.1 asked for


def test_more_support_never_means_fewer_seats() -> None:
    seats = [
        simulate(
            scenario_from_mapping(_two_slates(share, uncertainty=0.05)), runs=30, seed=2
        ).expected_seats("A")
        for share in (0.3, 0.5, 0.7)
    ]
    assert seats[0] < seats[1] < seats[2]


def test_every_run_meets_the_quota() -> None:
    data = {
        "seats": 4,
        "voters": 1_500,
        "quotas": {"F": {"min": 2}},
        "slates": [
            {
                "name": "Men first",
                "share": 0.8,
                "loyalty": 0.9,
                "candidates": [
                    {"name": "M1", "category": "M", "strength": 1.0},
                    {"name": "M2", "category": "M", "strength": 1.0},
                    {"name": "M3", "category": "M", "strength": 1.0},
                    {"name": "W1", "category": "F", "strength": -1.0},
                ],
            }
        ],
        "independents": [
            {"name": "W2", "category": "F", "strength": -1.0},
            {"name": "M4", "category": "M"},
        ],
    }
    forecast = simulate(scenario_from_mapping(data), runs=25, seed=5)
    women = np.array([c.category == "F" for c in forecast.scenario.candidates])
    assert (forecast.elected[:, women].sum(axis=1) >= 2).all()
    assert forecast.chance("W1") == 1.0
    assert forecast.chance("W2") == 1.0
    assert forecast.groups == ("Men first", INDEPENDENT)


def test_slate_size_advice_in_a_case_worked_by_hand() -> None:
    # With 70% A wins two seats however many it stands beyond two; B wins one
    # however many it stands. The advice is the smallest size that wins them all.
    scenario = scenario_from_mapping(_two_slates())
    for_a = slate_sizes(scenario, "A", runs=10, seed=1)
    assert [size for size, _ in for_a.forecasts] == [1, 2, 3]
    assert [f.expected_seats("A") for _, f in for_a.forecasts] == [1.0, 2.0, 2.0]
    assert for_a.best_size == 2
    for_b = slate_sizes(scenario, "B", runs=10, seed=1)
    assert [f.expected_seats("B") for _, f in for_b.forecasts] == [1.0, 1.0, 1.0]
    assert for_b.best_size == 1
    assert for_b.to_dict()["sizes"][0]["chances"] == {"B1": 1.0}


def test_sizes_that_break_the_quota_are_left_out() -> None:
    data = _two_slates(quotas={"F": {"min": 1}})
    data["slates"][0]["candidates"] = ["A1", "A2", {"name": "A3", "category": "F"}]
    advice = slate_sizes(scenario_from_mapping(data), "A", runs=5, seed=1)
    assert [size for size, _ in advice.forecasts] == [3]  # only A3 is a woman


def test_summary_adds_up() -> None:
    forecast = simulate(scenario_from_mapping(_two_slates(0.6, uncertainty=0.05)), runs=10, seed=4)
    summary = forecast.to_dict()
    assert summary["runs"] == 10
    assert sum(s["expected_seats"] for s in summary["slates"]) == pytest.approx(3.0)
    for slate in summary["slates"]:
        assert sum(slate["seat_chances"]) == pytest.approx(1.0)
    assert sum(c["chance"] for c in summary["candidates"]) == pytest.approx(3.0)


def test_runs_are_bounded() -> None:
    with pytest.raises(ScenarioError, match="runs must be from 1 to 100,000, got 0"):
        simulate(scenario_from_mapping(_two_slates()), runs=0)


def _ordered(order_a: list[str]) -> dict[str, Any]:
    """Every voter loyal, follows their slate's order and stops at its end; one woman needed."""
    women = {"A2", "B2"}
    return {
        "seats": 2,
        "voters": 2_000,
        "uncertainty": 0.0,
        "popularity_spread": 0.0,
        "quotas": {"F": {"min": 1}},
        "ranking": {"stop_at_slate_end": 1.0},
        "slates": [
            {
                "name": name,
                "share": share,
                "loyalty": 1.0,
                "follow_order": 1.0,
                "candidates": [{"name": c, "category": "F" if c in women else "M"} for c in order],
            }
            for name, share, order in (("A", 0.6, order_a), ("B", 0.4, ["B1", "B2"]))
        ],
    }


def test_an_order_followed_by_every_voter_decides_who_wins() -> None:
    # Quota: 1/3 of the votes. Listed A1 (a man) first, A's 60% all go to A1 and B's 40% to
    # B1: two men over the quota, so A1 (more votes) is elected and the guard excludes B1,
    # whose votes follow B's order to B2. Listing A2 (a woman) first, A2 and B1 are both
    # elected at once, one woman among them.
    men_first = simulate(scenario_from_mapping(_ordered(["A1", "A2"])), runs=10, seed=1)
    assert [men_first.chance(c) for c in ("A1", "A2", "B1", "B2")] == [1.0, 0.0, 0.0, 1.0]
    women_first = simulate(scenario_from_mapping(_ordered(["A2", "A1"])), runs=10, seed=1)
    assert [women_first.chance(c) for c in ("A1", "A2", "B1", "B2")] == [0.0, 1.0, 1.0, 0.0]


def test_order_advice_tries_the_listed_and_the_alternating_order() -> None:
    scenario = scenario_from_mapping(_ordered(["A1", "A2"]))
    assert default_orders(scenario, "A") == [
        ("as listed", ["A1", "A2"]),
        ("alternating, F first", ["A2", "A1"]),  # the reversed order is the same: once
    ]
    advice = slate_orders(scenario, "A", runs=5, seed=1)
    summary = advice.to_dict()
    assert [o["chances"] for o in summary["orders"]] == [
        {"A1": 1.0, "A2": 0.0},
        {"A2": 1.0, "A1": 0.0},
    ]
    assert advice.best == "as listed"  # one seat either way: the first order tried


def test_order_advice_needs_voters_who_follow_the_order() -> None:
    data = _ordered(["A1", "A2"])
    data["slates"][0]["follow_order"] = 0.0
    with pytest.raises(ScenarioError, match=r"slates\[0\]\.follow_order: none of A's voters"):
        slate_orders(scenario_from_mapping(data), "A", runs=2)
    with pytest.raises(ScenarioError, match="an order must name each of A's candidates once"):
        scenario_from_mapping(data).with_slate_order("A", ["A1", "A1"])


def test_sharing_the_runs_among_processes_changes_nothing() -> None:
    scenario = scenario_from_mapping(_two_slates(0.55, uncertainty=0.08))
    alone = simulate(scenario, runs=9, seed=3)
    shared = simulate(scenario, runs=9, seed=3, jobs=2)
    np.testing.assert_array_equal(alone.elected, shared.elected)
    np.testing.assert_array_equal(alone.seats, shared.seats)
    np.testing.assert_array_equal(alone.first_preferences, shared.first_preferences)
    with pytest.raises(ScenarioError, match="jobs must be at least 1, got 0"):
        simulate(scenario, runs=2, jobs=0)
