"""Every CSV the site publishes or the command writes is safe to open in a spreadsheet: a cell
that starts like a formula is written after a ``'`` (OWASP, "CSV Injection"), and our own
readers take it off again, so a recount from the published files still works."""

from __future__ import annotations

import csv
import io
import json
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client

from grassroots.cli.main import cli
from grassroots.web.ballots import services as ballot_services
from grassroots.web.constituencies.models import Constituency
from grassroots.web.elections import services as election_services
from grassroots.web.people.models import Supporter
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.election_factories import candidates_create, election_create, section_get

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/","Click")'
OPTIONS = [(LINK, "F"), ("+Bea", "F"), ("Cal", "M"), ("@Dev", "M"), ("-Eve", "F")]
RANKINGS = [
    (LINK, "Cal"),
    (LINK, "Cal"),
    ("Cal", "@Dev"),
    ("@Dev", "Cal"),
    ("@Dev",),
    ("+Bea", LINK),
    ("-Eve", LINK),
]


def _published(make_supporter: Callable[..., Supporter], clp: Constituency) -> str:
    for _ in RANKINGS:
        make_supporter(clp=clp)
    ballot = ballot_create(options=OPTIONS, quotas={"F": {"min": 1}})
    tokens = ballot_open_with_tokens(ballot)
    for token, names in zip(tokens, RANKINGS, strict=True):
        ballot_services.ballot_cast(credential_token=token, ranking=option_ids(ballot, *names))
    ballot_services.ballot_close(actor=None, ballot=ballot)
    ballot_services.ballot_publish(actor=None, ballot=ballot)
    return ballot.slug


def _no_formula_cells(text: str) -> list[str]:
    """The cells of a CSV text that a spreadsheet would run as a formula."""
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}
    ]


def test_categories_csv_neutralises_formula_names(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    slug = _published(make_supporter, clp)

    text = client.get(f"/ballots/{slug}/categories.csv").content.decode()

    assert _no_formula_cells(text) == []
    assert list(csv.reader(io.StringIO(text))) == [
        ["candidate", "category"],
        ["'" + LINK, "F"],
        ["'+Bea", "F"],
        ["Cal", "M"],
        ["'@Dev", "M"],
        ["'-Eve", "F"],
    ]


def test_recount_from_neutralised_categories_csv_equals_published_result(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency, tmp_path: Path
) -> None:
    slug = _published(make_supporter, clp)
    page = client.get(f"/ballots/{slug}/result/").content.decode()
    (tmp_path / f"{slug}.blt").write_bytes(client.get(f"/ballots/{slug}/ballots.blt").content)
    (tmp_path / f"{slug}-categories.csv").write_bytes(
        client.get(f"/ballots/{slug}/categories.csv").content
    )
    command = shlex.split(page.split('<code id="recount">')[1].split("</code>")[0])
    args = [str(tmp_path / a) if a.startswith(slug) else a for a in command[2:]]

    recount = CliRunner().invoke(cli, ["count", *args, "--format", "json"])

    assert "--categories" in command
    assert recount.exit_code == 0, recount.output
    published = json.loads(client.get(f"/ballots/{slug}/result.json").content)
    assert json.loads(recount.output) == published
    assert json.loads(recount.output)["categories"][LINK] == "F"


def test_count_csv_sheet_neutralises_names_and_imports_back_unchanged(tmp_path: Path) -> None:
    """``grassroots count --format csv`` writes a safe sheet, and the site's sheet import
    reads the names back as they were."""
    name = LINK.replace('"', "")  # a BLT name cannot hold a double quote
    blt = tmp_path / "x.blt"
    blt.write_text(f'3 1\n3 1 0\n2 2 0\n1 3 0\n0\n"{name}"\n"-Bo"\n"Cy"\n"T"\n')

    sheet = CliRunner().invoke(cli, ["count", str(blt), "--format", "csv"])

    assert sheet.exit_code == 0, sheet.output
    assert _no_formula_cells(sheet.output) == []
    section = section_get(election_create())
    section.seats = 1
    section.save()
    candidates_create(section, [(name, "F"), ("-Bo", "M"), ("Cy", "M")])
    stored = election_services.result_sheet_import(
        actor=None, section=section, filename="sheet.csv", data=sheet.output.encode()
    )
    assert stored.data["candidates"] == [name, "-Bo", "Cy"]
    assert stored.data["elected"] == [name]
