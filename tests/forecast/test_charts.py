"""Charts: well-formed SVG with a title, a description and every value as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from grassroots.cli.main import cli
from grassroots.forecast import scenario_from_mapping, simulate, slate_sizes
from grassroots.forecast.charts import (
    plan_comparison_svg,
    seat_distribution_svg,
    slate_size_svg,
    write_chart,
)
from grassroots.forecast.vote_management import PlanGroup, VotingPlan, plan_evaluate

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "forecast-nec.json"
SCENARIO = {
    "seats": 3,
    "voters": 400,
    "slates": [
        {"name": "A", "share": 0.6, "loyalty": 0.8, "candidates": ["A1", "A2", "A3"]},
        {"name": "B", "share": 0.3, "loyalty": 0.8, "candidates": ["B1", "B2"]},
    ],
}


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}desc") is not None
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_the_seat_distribution_prints_each_chance() -> None:
    forecast = simulate(scenario_from_mapping(SCENARIO), runs=20, seed=1)
    texts = _texts(seat_distribution_svg(forecast))
    for slate in ("A", "B"):
        assert slate in texts  # the legend names each series
        for chance in forecast.seat_chances(slate):
            if chance >= 0.005:
                assert f"{100 * chance:.0f}%" in texts


def test_the_size_curve_and_the_plan_comparison_render() -> None:
    scenario = scenario_from_mapping(SCENARIO)
    advice = slate_sizes(scenario, "A", runs=10, seed=1)
    assert any("(best)" in t for t in _texts(slate_size_svg(advice)))
    plan = VotingPlan("A", (PlanGroup("All", 1.0, ("A3", "A2", "A1")),))
    comparison = plan_evaluate(scenario, plan, follow=0.5, runs=10, seed=1)
    svg = plan_comparison_svg(comparison)
    texts = _texts(svg)
    assert any(t.startswith("no plan (") for t in texts)
    assert any(t.startswith("plan (") for t in texts)


def test_png_without_the_extra_names_it(tmp_path: Path) -> None:
    try:
        import cairosvg  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        with pytest.raises(Exception, match=r"grassroots\[plot\]"):
            write_chart(str(tmp_path / "x.png"), "<svg/>")
    else:
        pytest.skip("cairosvg is installed")


def test_forecast_plot_writes_svg(tmp_path: Path) -> None:
    target = tmp_path / "seats.svg"
    result = CliRunner().invoke(
        cli, ["forecast", str(EXAMPLE), "--runs", "4", "--plot", str(target), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "Grassroots Alliance" in _texts(target.read_text(encoding="utf-8"))


def test_calibrate_command_prints_the_fit_and_writes_the_scenario(tmp_path: Path) -> None:
    ward = tmp_path / "ward.blt"
    ward.write_text(
        '4 2\n30 1 2 0\n20 2 1 0\n25 3 4 0\n10 4 3 0\n5 1 3 0\n0\n"Ann (Red)"\n"Bob (Red)"\n'
        '"Cy (Blue)"\n"Di (Blue)"\n"Ward"\n',
        encoding="utf-8",
    )
    out = tmp_path / "scenario.json"
    result = CliRunner().invoke(cli, ["forecast", "calibrate", str(ward), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "First preferences: source and model" in result.output
    assert '"name": "Red"' in out.read_text(encoding="utf-8")
