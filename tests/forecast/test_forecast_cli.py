"""`grassroots forecast`: a scenario file in, tables or JSON out, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from grassroots.cli.main import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "forecast-nec.json"
runner = CliRunner()


def test_forecast_json_of_the_example() -> None:
    result = runner.invoke(app, ["forecast", str(EXAMPLE), "--runs", "8", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["runs"] == 8
    assert data["seats"] == 9
    assert data["quotas"] == {"F": {"min": 4}}
    assert [s["name"] for s in data["slates"]] == [
        "Grassroots Alliance",
        "Labour Together Now",
        "Open Left",
        "independent",
    ]
    assert sum(s["expected_seats"] for s in data["slates"]) == 9
    assert len(data["candidates"]) == 17


def test_forecast_sizes_and_text_tables() -> None:
    result = runner.invoke(
        app, ["forecast", str(EXAMPLE), "--runs", "4", "--voters", "800", "--sizes", "Open Left"]
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Seats by slate" in text
    assert "Chance of election" in text
    assert "How many should Open Left stand?" in text
    assert "4 runs of 800 ballots" in text
    assert "◀ best" in text


def test_forecast_sizes_in_json() -> None:
    result = runner.invoke(
        app,
        ["forecast", str(EXAMPLE), "--runs", "3", "--sizes", "Open Left", "--format", "json"],
    )
    sizes = json.loads(result.stdout)["sizes"]
    assert [s["size"] for s in sizes["sizes"]] == [1, 2, 3]
    assert 1 <= sizes["best_size"] <= 3


def test_forecast_bad_scenario_exits_1_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["slates"][2]["share"] = 0.5
    bad.write_text(json.dumps(data), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "grassroots", "forecast", str(bad), "--runs", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"grassroots: error: {bad}: slates: the slates' shares add up to 1.280, more than 1"
    )


def test_forecast_unknown_slate_for_sizes_exits_1() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grassroots",
            "forecast",
            str(EXAMPLE),
            "--runs",
            "1",
            "--sizes",
            "Nobody",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert 'no slate is called "Nobody"' in done.stderr


def test_forecast_orders_in_text_and_json() -> None:
    result = runner.invoke(
        app,
        [
            "forecast",
            str(EXAMPLE),
            "--runs",
            "3",
            "--voters",
            "800",
            "--orders",
            "Grassroots Alliance",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "In which order should Grassroots Alliance list its candidates?" in result.stdout
    assert "alternating, F first" in result.stdout
    result = runner.invoke(
        app,
        [
            "forecast",
            str(EXAMPLE),
            "--runs",
            "3",
            "--voters",
            "800",
            "--orders",
            "Grassroots Alliance",
            "--format",
            "json",
        ],
    )
    orders = json.loads(result.stdout)["orders"]
    assert [o["label"] for o in orders["orders"]] == [
        "as listed",
        "alternating, F first",
        "reversed",
    ]
    assert orders["orders"][1]["order"][:2] == ["Aisha Rahman", "Chidi Okafor"]


def test_forecast_orders_of_a_slate_nobody_follows_exits_1() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grassroots",
            "forecast",
            str(EXAMPLE),
            "--runs",
            "1",
            "--orders",
            "Open Left",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "slates[2].follow_order: none of Open Left's voters follow its order" in done.stderr
