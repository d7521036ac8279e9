"""The `grassroots` command through its stable interface: arguments in, text and status out."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from grassroots.cli.main import app
from tests.shared import ELECTIONS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nec-example.blt"
GENDER = ROOT / "examples" / "nec-example.gender.json"
DATA = ELECTIONS

runner = CliRunner()


def _grassroots(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command in a subprocess, as a returning officer would."""
    return subprocess.run(
        [sys.executable, "-m", "grassroots", *args], capture_output=True, text=True, check=False
    )


def test_count_json_has_the_documented_keys() -> None:
    result = runner.invoke(
        app,
        ["count", str(EXAMPLE), "--categories", str(GENDER), "--min", "F=4", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rule"] == "scottish"
    assert data["seats"] == 9
    assert data["quotas"] == {"F": {"min": 4}}
    assert data["quota"] == "251.00000"
    assert len(data["elected"]) == 9
    assert sum(data["categories"][name] == "F" for name in data["elected"]) >= 4
    stage = data["stages"][0]
    assert stage["action"] == "first"
    assert set(stage) >= {"votes", "exhausted", "action", "elected", "excluded"}
    assert any(s["action"] == "quota_exclusion" for s in data["stages"])


def test_count_json_quotas_empty_without_quota() -> None:
    result = runner.invoke(app, ["count", str(EXAMPLE), "--format", "json"])
    assert json.loads(result.stdout)["quotas"] == {}


def test_count_text_sheet_names_every_stage_and_the_elected() -> None:
    result = runner.invoke(app, ["count", str(DATA / "glasgow2007-droop" / "Calton-2007.blt")])
    assert result.exit_code == 0
    assert "Quota: 1,300.00000" in result.stdout
    headings = result.stdout.split("┡")[0]
    assert all(f"Stage {n}:" in headings for n in range(1, 11))
    assert "Stage 11:" not in headings
    assert "Elected: George Redmond, Alison E Thewliss, Ruth Simpson" in result.stdout


def test_count_csv_is_a_wide_count_sheet() -> None:
    result = runner.invoke(
        app, ["count", str(DATA / "glasgow2007-droop" / "Calton-2007.blt"), "--format", "csv"]
    )
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["candidate", "category", "Stage 1: First preferences"]
    redmond = next(r for r in rows if r[0] == "George Redmond")
    assert redmond[2:4] == ["1982.00000", "1300.00000"]


def test_count_html_escapes_names(tmp_path: Path) -> None:
    blt = tmp_path / "x.blt"
    blt.write_text('2 1\n3 1 0\n1 2 0\n0\n"<b>Ann</b>"\n"Bob"\n"T"\n', encoding="utf-8")
    result = runner.invoke(app, ["count", str(blt), "--format", "html"])
    assert "&lt;b&gt;Ann&lt;/b&gt;" in result.stdout
    assert "<b>Ann</b>" not in result.stdout


@pytest.mark.parametrize("rule", ["scottish", "ers97", "meek"])
def test_count_each_rule_from_the_command_line(rule: str) -> None:
    result = runner.invoke(
        app,
        [
            "count",
            str(DATA / "reference" / "stvpoll-wikipedia-example.blt"),
            "--rule",
            rule,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.stdout)["elected"]) == ["chocolate", "orange", "strawberry"]


def test_count_irv_with_seats_override() -> None:
    result = runner.invoke(
        app,
        [
            "count",
            str(DATA / "reference" / "stvpoll-wikipedia-example.blt"),
            "--rule",
            "irv",
            "--seats",
            "1",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["elected"] == ["chocolate"]


def test_count_bad_file_exits_1_naming_file_and_line(tmp_path: Path) -> None:
    blt = tmp_path / "bad.blt"
    blt.write_text('2 1\n3 1 0\nx 2 0\n0\n"A"\n"B"\n"T"\n', encoding="utf-8")
    proc = _grassroots("count", str(blt))
    assert proc.returncode == 1
    assert proc.stderr == f'grassroots: error: {blt}:3: weight: "x": expected a whole number\n'
    assert "Traceback" not in proc.stderr


def test_count_missing_file_exits_1() -> None:
    proc = _grassroots("count", "no-such-file.blt")
    assert proc.returncode == 1
    assert proc.stderr == "grassroots: error: no-such-file.blt: no such file\n"


def test_count_impossible_quota_exits_1() -> None:
    proc = _grassroots("count", str(EXAMPLE), "--categories", str(GENDER), "--min", "F=12")
    assert proc.returncode == 1
    assert "quota impossible" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["count", str(EXAMPLE), "--min", "F4", "--categories", str(GENDER)],
        ["count", str(EXAMPLE), "--min", "F=4"],
        ["count", str(EXAMPLE), "--rule", "borda"],
        ["count", str(EXAMPLE), "--seats", "0"],
        ["count"],
        ["frobnicate"],
    ],
)
def test_wrong_usage_exits_2(args: list[str]) -> None:
    proc = _grassroots(*args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_command_has_help_with_an_example() -> None:
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for command in ["count", "serve", "demo"]:
        text = runner.invoke(app, [command, "--help"]).stdout
        assert "Example:" in text, command
        assert f"grassroots {command}" in text, command


def test_same_seed_same_json() -> None:
    file = str(DATA / "reference" / "droop-weak-surplus.blt")
    first = runner.invoke(app, ["count", file, "--seed", "7", "--format", "json"]).stdout
    again = runner.invoke(app, ["count", file, "--seed", "7", "--format", "json"]).stdout
    assert first == again
    assert json.loads(first)["seed"] == 7


def test_cli_reference_in_docs_is_current() -> None:
    from grassroots.cli.docs import reference

    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == reference(), "run `make docs` to regenerate docs/cli.md"


def test_count_loads_neither_the_site_nor_the_forecasts() -> None:
    # A ward's count is dominated by start-up: only the engine and the command line load.
    script = (
        "import sys\n"
        "from grassroots.cli.main import main\n"
        f"sys.argv = ['grassroots', 'count', {str(EXAMPLE)!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('django', 'grassroots.forecast', 'grassroots.synthetic', 'rich',"
        " 'grassroots.web')\n"
        "print(sorted({m for m in sys.modules if m.startswith(heavy)}), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.stderr.strip() == "[]"
