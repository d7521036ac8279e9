"""Vote management: plans checked, first preferences worked out, and a lost seat won back."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from grassroots.count.profile import PAD
from grassroots.forecast import ScenarioError, scenario_from_mapping
from grassroots.forecast.simulate import Cards, _draw_profile
from grassroots.forecast.vote_management import (
    PlanGroup,
    VotingPlan,
    plan_evaluate,
    plan_first_preferences,
    plan_from_mapping,
    plan_search,
    regions_groups,
    slate_first_preferences,
)


def _lopsided(**extra: Any) -> dict[str, Any]:
    """A slate of 3 for 3 seats whose voters' own liking piles first preferences on A1.

    A has 74% of the voters, B 20%: three Droop quotas (25% each) are within A's reach if its
    votes stay on the slate. But A1 is so liked that it takes two thirds of all first
    preferences; its surplus goes out at a fraction of a vote, and the share of it held by
    voters who leave the slate after A1 leaks away or exhausts. A3, liked least, is then
    excluded and B takes the third seat.
    """
    return {
        "seats": 3,
        "voters": 2_000,
        "uncertainty": 0.02,
        "popularity_spread": 0.2,
        "ranking": {"stop_at_slate_end": 0.8, "mean_length": 2},
        "slates": [
            {
                "name": "A",
                "share": 0.74,
                "loyalty": 0.6,
                "candidates": [
                    {"name": "A1", "strength": 2.0},
                    "A2",
                    {"name": "A3", "strength": -1.5},
                ],
            },
            {"name": "B", "share": 0.2, "loyalty": 0.9, "candidates": ["B1", "B2", "B3"]},
        ],
        **extra,
    }


def _rotation(shares: tuple[float, float, float] = (0.5, 0.3, 0.2)) -> VotingPlan:
    return VotingPlan(
        slate="A",
        groups=(
            PlanGroup("North", shares[0], ("A3", "A2", "A1")),
            PlanGroup("South", shares[1], ("A2", "A3", "A1")),
            PlanGroup("West", shares[2], ("A1", "A3", "A2")),
        ),
    )


def test_the_planner_wins_back_the_seat_lost_to_early_exclusion() -> None:
    scenario = scenario_from_mapping(_lopsided())
    groups = regions_groups({"North": 45, "South": 35, "West": 20})

    plan, why = plan_search(scenario, "A", groups, follow=0.8, runs=60, seed=1)
    comparison = plan_evaluate(scenario, plan, follow=0.8, runs=60, seed=1)

    # Without a plan A3 is excluded and A wins 2 seats in nearly every run; with the
    # planner's cards it wins all 3 in most runs, by a margin far beyond the paired noise.
    assert comparison.expected_seats(planned=False) < 2.1
    assert comparison.expected_seats() > 2.6
    assert comparison.gain > 5 * comparison.gain_error
    assert comparison.seat_chances(planned=False)[3] < 0.1
    assert comparison.seat_chances()[3] > 0.6
    assert comparison.chances(planned=False)["A3"] < 0.1
    assert comparison.chances()["A3"] > 0.6
    # The weakest candidate heads the largest share of the groups.
    heads: dict[str, float] = {}
    for group in plan.groups:
        heads[group.order[0]] = heads.get(group.order[0], 0.0) + group.share
    assert max(heads, key=lambda name: heads[name]) == "A3"
    assert "A3 has the fewest" in why
    assert f"{comparison.expected_seats():.2f} seats on average with this plan" in why
    # Deterministic: the same seed gives the same plan.
    assert plan_search(scenario, "A", groups, follow=0.8, runs=60, seed=1)[0] == plan


def test_plan_and_no_plan_share_every_draw_but_the_cards() -> None:
    scenario = scenario_from_mapping(_lopsided(uncertainty=0.1, popularity_spread=0.5))
    comparison = plan_evaluate(scenario, _rotation(), follow=1.0, runs=12, seed=4)

    # Each slate's share of first preferences is the same run by run: the same voters are
    # loyal to the same slates; only the order within A differs.
    np.testing.assert_array_equal(
        comparison.planned.first_preferences, comparison.unplanned.first_preferences
    )
    assert not np.array_equal(comparison.planned.elected, comparison.unplanned.elected)


def test_nobody_following_the_plan_is_no_plan() -> None:
    scenario = scenario_from_mapping(_lopsided())
    comparison = plan_evaluate(scenario, _rotation(), follow=0.0, runs=10, seed=2)
    np.testing.assert_array_equal(comparison.planned.elected, comparison.unplanned.elected)
    assert comparison.gain == 0.0


def test_first_preferences_worked_out_match_the_ballots_drawn() -> None:
    data = _lopsided(uncertainty=0.0, popularity_spread=0.0, voters=60_000)
    data["slates"][1]["follow_order"] = 0.5
    scenario = scenario_from_mapping(data)
    plan = _rotation()
    expected = plan_first_preferences(scenario, plan, 0.7)
    cards = Cards("A", 0.7, (0.5, 0.3, 0.2), tuple(g.order for g in plan.groups))

    profile = _draw_profile(scenario, seed=3, run=0, cards=cards)
    top = profile.rankings[:, 0]
    firsts = np.bincount(top[top != PAD], weights=profile.weights[top != PAD], minlength=6)
    drawn = firsts / profile.weights.sum()
    for name, share in expected.items():
        assert drawn[profile.candidates.index(name)] == pytest.approx(share, abs=0.006)
    # The plan moves first preferences from A1 to A3, as worked out.
    before = slate_first_preferences(scenario, "A")
    assert expected["A3"] > before["A3"] + 0.1
    assert sum(expected.values()) == pytest.approx(sum(before.values()))


def test_a_plan_goes_to_json_and_back() -> None:
    scenario = scenario_from_mapping(_lopsided())
    plan = _rotation()
    assert plan_from_mapping(plan.to_mapping(), scenario) == plan
    assert plan.group_of("South").order == ("A2", "A3", "A1")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slate": "C"}, r'slates: no slate is called "C"'),
        ({"groups": []}, r"groups: must be a non-empty list"),
        ({"groups": [{"name": "N", "share": 1.0, "order": ["A1", "A2"]}]}, r"groups\[0\]\.order"),
        ({"groups": [{"name": "N", "share": "all", "order": []}]}, r"groups\[0\]\.share"),
        (
            {"groups": [{"name": "N", "share": 0.6, "order": ["A1", "A2", "A3"]}]},
            r"groups: the groups' shares add up to 0\.6000, not 1",
        ),
        (
            {
                "groups": [
                    {"name": "N", "share": 0.5, "order": ["A1", "A2", "A3"]},
                    {"name": "N", "share": 0.5, "order": ["A1", "A2", "A3"]},
                ]
            },
            r'groups\[1\]\.name: "N" is named twice',
        ),
    ],
)
def test_a_bad_plan_names_the_field(change: dict[str, Any], message: str) -> None:
    scenario = scenario_from_mapping(_lopsided())
    data = {**_rotation().to_mapping(), **change}
    with pytest.raises(ScenarioError, match=message):
        plan_from_mapping(data, scenario)


def test_follow_is_a_share() -> None:
    scenario = scenario_from_mapping(_lopsided())
    with pytest.raises(ScenarioError, match=r"follow: must be from 0 to 1, got 1.5"):
        plan_evaluate(scenario, _rotation(), follow=1.5, runs=2, seed=1)
    with pytest.raises(ScenarioError, match=r"follow: nobody follows a card"):
        plan_search(scenario, "A", [("All", 1.0)], follow=0.0, runs=2, seed=1)


def test_regions_become_groups_by_their_supporters() -> None:
    assert regions_groups({"North": 3, "South": 1, "Islands": 0}) == [
        ("North", 0.75),
        ("South", 0.25),
    ]
    with pytest.raises(ScenarioError, match="no group has any supporters"):
        regions_groups({"North": 0})


def test_progress_is_told_every_forecast_run() -> None:
    scenario = scenario_from_mapping(_lopsided(voters=300))
    told: list[int] = []
    plan_evaluate(scenario, _rotation(), follow=0.5, runs=30, seed=1, progress=told.append)
    assert told[-1] == 60
    assert told == sorted(told)


def test_the_summary_has_both_sides() -> None:
    scenario = scenario_from_mapping(_lopsided(voters=500))
    data = plan_evaluate(scenario, _rotation(), follow=0.8, runs=10, seed=1).to_mapping()
    assert data["plan"]["groups"][0]["order"] == ["A3", "A2", "A1"]
    for side in ("with_plan", "without_plan"):
        assert sum(data[side]["seat_chances"]) == pytest.approx(1.0)
        assert set(data[side]["chances"]) == {"A1", "A2", "A3"}
    assert data["gain"] == pytest.approx(
        data["with_plan"]["expected_seats"] - data["without_plan"]["expected_seats"], abs=0.002
    )
