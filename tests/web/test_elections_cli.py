"""``grassroots nominations import`` and ``summary``, through click's CliRunner against the
test database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from grassroots.cli.main import app
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections.models import Nomination, Section
from tests.web.election_factories import (
    candidates_create,
    election_create,
    section_get,
    slate_with,
)

pytestmark = pytest.mark.django_db

runner = CliRunner()


@pytest.fixture
def section() -> Section:
    election = election_create()
    section = section_get(election)
    people = candidates_create(section, [("Ann Ash", "F"), ("Bob Bay", "M")])
    slate_with(election, "Red", [people["Ann Ash"]])
    slate_with(election, "Green", [people["Ann Ash"]])
    return section


def test_nominations_import_command_imports_file(section: Section, tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text(
        "clp,candidate,date\nCardiff East,Ann Ash,2026-03-01\nE14001318,Bob Bay,2026-03-02\n"
    )

    result = runner.invoke(app, ["nominations", "import", "nec-test", "clp", str(path)])

    assert result.exit_code == 0, result.output
    assert result.stdout == "imported 2 nominations\n"
    assert Nomination.objects.count() == 2


def test_nominations_import_command_bad_rows_exit_1_and_import_nothing(
    section: Section, tmp_path: Path
) -> None:
    path = tmp_path / "n.csv"
    path.write_text(
        "clp,candidate,date\n"
        "Cardiff East,Ann Ash,2026-03-01\n"
        "Atlantis,Ann Ash,2026-03-01\n"
        "Cardiff East,Zed Zee,2026-03-01\n"
    )

    result = runner.invoke(app, ["nominations", "import", "nec-test", "clp", str(path)])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"grassroots: error: {path}: nothing imported, 2 bad row(s)",
        f'grassroots: error: {path}:3: "Atlantis" is not a CLP name or GSS code',
        f'grassroots: error: {path}:4: "Zed Zee" is not a candidate in CLP representatives',
    ]
    assert Nomination.objects.count() == 0


def test_nominations_import_command_field_over_csv_limit_exits_1_naming_the_line(
    section: Section, tmp_path: Path
) -> None:
    path = tmp_path / "n.csv"
    path.write_text("clp,candidate,date\n" + "x" * 131_073 + ",Ann Ash,2026-03-01\n")

    result = runner.invoke(app, ["nominations", "import", "nec-test", "clp", str(path)])

    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        f"grassroots: error: {path}:2: a field is longer than 131,072 characters "
        "(a quote left open runs to the end of the file)"
    )
    assert Nomination.objects.count() == 0


def test_nominations_import_command_unknown_section_exits_1(
    section: Section, tmp_path: Path
) -> None:
    path = tmp_path / "n.csv"
    path.write_text("clp,candidate,date\n")

    result = runner.invoke(app, ["nominations", "import", "nec-test", "nope", str(path)])

    assert result.exit_code == 1
    assert result.stderr == 'grassroots: error: no section "nope" in election "nec-test"\n'


def test_nominations_summary_command_json(section: Section, tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    codes = Constituency.objects.with_clp().order_by("gss_code").values_list("gss_code", flat=True)
    rows = "".join(f"{code},Ann Ash,2026-03-01\n" for code in codes[:5])
    path.write_text("clp,candidate,date\n" + rows + f"{codes[0]},Bob Bay,2026-03-01\n")
    imported = runner.invoke(app, ["nominations", "import", "nec-test", "clp", str(path)])
    assert imported.exit_code == 0, imported.output

    result = runner.invoke(app, ["nominations", "summary", "nec-test", "clp", "--format", "json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "candidate": "Ann Ash",
            "nominations": 5,
            "threshold": 5,
            "on_ballot": True,
            "slates": ["Red", "Green"],
        },
        {
            "candidate": "Bob Bay",
            "nominations": 1,
            "threshold": 5,
            "on_ballot": False,
            "slates": [],
        },
    ]


def test_count_command_does_not_import_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from grassroots.cli.main import app; "
        "from click.testing import CliRunner; "
        "CliRunner().invoke(app, ['count', '--help']); "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "False"
