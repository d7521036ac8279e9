"""``grassroots ballots list``, ``export`` and ``result`` through click's CliRunner against the
test database, and the demo ballots."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from grassroots.cli.main import app
from grassroots.web.ballots import services
from grassroots.web.ballots.demo import ballots_demo_create
from grassroots.web.ballots.models import Ballot, CastBallot, Status
from grassroots.web.constituencies.models import Constituency
from grassroots.web.constituencies.services import constituency_load
from grassroots.web.people.models import Supporter
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids
from tests.web.factories import supporter_create

pytestmark = pytest.mark.django_db

runner = CliRunner()


@pytest.fixture
def published(make_supporter: Callable[..., Supporter], clp: Constituency) -> Ballot:
    for _ in range(4):
        make_supporter(clp=clp)
    ballot = ballot_create(slug="slate", quotas={"F": {"min": 1}})
    tokens = ballot_open_with_tokens(ballot)
    for token, names in zip(
        tokens, [("Cal", "Ann"), ("Dev",), ("Ann", "Bea"), ("Cal",)], strict=True
    ):
        services.ballot_cast(credential_token=token, ranking=option_ids(ballot, *names))
    services.ballot_close(actor=None, ballot=ballot)
    services.ballot_publish(actor=None, ballot=ballot)
    return ballot


def test_ballots_list_command_shows_every_ballot(published: Ballot) -> None:
    ballot_create(slug="a-draft")

    result = runner.invoke(app, ["ballots", "list"])

    assert result.exit_code == 0
    assert [line.split("\t")[:2] for line in result.output.splitlines()] == [
        ["a-draft", "draft"],  # latest opening first
        ["slate", "published"],
    ]


def test_ballots_export_command_recounts_to_the_stored_result(
    published: Ballot, tmp_path: Path
) -> None:
    blt = runner.invoke(app, ["ballots", "export", "slate"])
    categories = runner.invoke(app, ["ballots", "export", "slate", "--categories"])
    (tmp_path / "slate.blt").write_text(blt.output)
    (tmp_path / "cats.csv").write_text(categories.output)
    stored = runner.invoke(app, ["ballots", "result", "slate", "--format", "json"])

    files = [str(tmp_path / "slate.blt"), "--categories", str(tmp_path / "cats.csv")]

    recount = runner.invoke(app, ["count", *files, "--min", "F=1", "--format", "json"])

    assert (blt.exit_code, categories.exit_code, stored.exit_code) == (0, 0, 0)
    assert categories.output.splitlines()[:2] == ["candidate,category", "Ann,F"]
    assert json.loads(stored.output)["quotas"] == {"F": {"min": 1}}
    assert json.loads(recount.output) == json.loads(stored.output)


def test_ballots_export_command_before_close_exits_1(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create(slug="running")
    ballot_open_with_tokens(ballot)

    result = runner.invoke(app, ["ballots", "export", "running"])

    assert result.exit_code == 1
    assert "nothing is shown before close" in result.output
    assert "0\n" not in result.stdout


def test_ballots_result_command_unknown_slug_exits_1() -> None:
    result = runner.invoke(app, ["ballots", "result", "nope"])

    assert result.exit_code == 1
    assert 'no ballot "nope"' in result.output


@pytest.mark.django_db(transaction=True)  # the demo votes with links delivered after commits
def test_ballots_demo_creates_published_slate_and_open_ballot_then_changes_nothing() -> None:
    constituency_load()  # a transactional test elsewhere may have emptied the table
    clp = Constituency.objects.get(name="Cardiff East")
    for _ in range(30):
        supporter_create(clp=clp)

    first = ballots_demo_create()
    cast = CastBallot.objects.count()
    second = ballots_demo_create()

    slate = Ballot.objects.get(slug="demo-slate")
    assert slate.status == Status.PUBLISHED
    assert (slate.seats, slate.quotas) == (9, {"F": {"min": 4}})
    women = [name for name in slate.result["elected"] if slate.result["categories"][name] == "F"]
    assert len(slate.result["elected"]) == 9
    assert len(women) >= 4
    assert Ballot.objects.get(slug="demo-strategy").status == Status.OPEN
    assert "vote in it at http://127.0.0.1:8000/ballots/demo-strategy/vote/" in first
    assert second == "ballots: demo ballots exist; nothing to add"
    assert cast == 29 + 29  # all but one voter in each
    assert CastBallot.objects.count() == cast
