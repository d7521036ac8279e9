"""Forecasts of a party election: how many seats each slate may win, and how many to stand.

Built on the counting engine and the synthetic voter model; imports nothing
from the web layer, so it runs from the command line on a scenario file::

    >>> from grassroots.forecast import scenario_from_mapping, simulate
    >>> scenario = scenario_from_mapping({
    ...     "seats": 2,
    ...     "voters": 500,
    ...     "slates": [
    ...         {"name": "Left", "share": 0.6, "loyalty": 0.9, "candidates": ["Ann", "Bob"]},
    ...         {"name": "Right", "share": 0.4, "loyalty": 0.9, "candidates": ["Cy", "Di"]},
    ...     ],
    ... })
    >>> forecast = simulate(scenario, runs=20, seed=1)
    >>> forecast.runs, round(forecast.expected_seats("Left") + forecast.expected_seats("Right"))
    (20, 2)
"""

from __future__ import annotations

from grassroots.forecast.scenario import (
    Candidate,
    Ranking,
    Scenario,
    ScenarioError,
    Slate,
    read_scenario,
    scenario_from_mapping,
    scenario_to_mapping,
)
from grassroots.forecast.simulate import (
    INDEPENDENT,
    Forecast,
    OrderAdvice,
    SizeAdvice,
    chances_table,
    default_orders,
    simulate,
    slate_orders,
    slate_sizes,
)

__all__ = [
    "INDEPENDENT",
    "Candidate",
    "Forecast",
    "OrderAdvice",
    "Ranking",
    "Scenario",
    "ScenarioError",
    "SizeAdvice",
    "Slate",
    "chances_table",
    "default_orders",
    "read_scenario",
    "scenario_from_mapping",
    "scenario_to_mapping",
    "simulate",
    "slate_orders",
    "slate_sizes",
]
