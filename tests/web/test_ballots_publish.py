"""Counting and publishing: the stored result equals a recount of the published BLT, the two
lists are separate, and nothing is published before the close."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client

from grassroots.cli.main import cli
from grassroots.web.audit.models import AuditEntry
from grassroots.web.ballots import services
from grassroots.web.ballots.models import Ballot, Method, Status
from grassroots.web.constituencies.models import Constituency
from grassroots.web.errors import DomainError
from grassroots.web.people.models import Supporter
from tests.web.ballot_factories import ballot_create, ballot_open_with_tokens, option_ids

pytestmark = pytest.mark.django_db

# Men lead on first preferences; the quota (at least 1 woman of 2) must still elect one.
RANKINGS = [
    ("Cal", "Dev"),
    ("Cal", "Dev"),
    ("Cal", "Ann"),
    ("Dev", "Cal"),
    ("Dev", "Cal"),
    ("Dev",),
    ("Ann", "Bea"),
    ("Bea", "Ann"),
    ("Eve", "Ann"),
]


def _voted(
    make_supporter: Callable[..., Supporter],
    clp: Constituency,
    rankings: Sequence[Sequence[str]] = RANKINGS,
    **overrides: object,
) -> tuple[Ballot, list[str]]:
    for _ in rankings:
        make_supporter(clp=clp)
    ballot = ballot_create(**overrides)
    tokens = ballot_open_with_tokens(ballot)
    receipts = [
        services.ballot_cast(credential_token=token, ranking=option_ids(ballot, *names)).code
        for token, names in zip(tokens, rankings, strict=True)
    ]
    services.ballot_close(actor=None, ballot=ballot)
    return ballot, receipts


def test_ballot_publish_counts_with_the_quota_and_audits(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    ballot, _ = _voted(make_supporter, clp, quotas={"F": {"min": 1}})

    result = services.ballot_publish(actor=None, ballot=ballot)

    ballot.refresh_from_db()
    assert ballot.status == Status.PUBLISHED
    assert result["quotas"] == {"F": {"min": 1}}
    assert result["valid_ballots"] == len(RANKINGS)
    assert sorted(result["elected"]) == ["Ann", "Cal"]
    kinds = {d["kind"] for s in result["stages"] for d in s["decisions"]}
    assert "guarded" in kinds  # the quota spared Ann from exclusion
    assert AuditEntry.objects.filter(action="ballot.publish").count() == 1


def test_ballot_publish_of_an_open_ballot_is_refused(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    ballot_open_with_tokens(ballot)

    with pytest.raises(DomainError, match="Only a closed ballot can be counted and published"):
        services.ballot_publish(actor=None, ballot=ballot)

    assert Ballot.objects.get(pk=ballot.pk).result is None


def test_published_result_equals_a_recount_of_the_downloaded_blt(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency, tmp_path: Path
) -> None:
    ballot, _ = _voted(make_supporter, clp, quotas={"F": {"min": 1}})
    services.ballot_publish(actor=None, ballot=ballot)
    page = client.get(f"/ballots/{ballot.slug}/result/").content.decode()
    (tmp_path / f"{ballot.slug}.blt").write_bytes(
        client.get(f"/ballots/{ballot.slug}/ballots.blt").content
    )
    (tmp_path / f"{ballot.slug}-categories.csv").write_bytes(
        client.get(f"/ballots/{ballot.slug}/categories.csv").content
    )
    command = shlex.split(page.split('<code id="recount">')[1].split("</code>")[0])
    args = [str(tmp_path / a) if a.startswith(ballot.slug) else a for a in command[2:]]

    recount = CliRunner().invoke(cli, ["count", *args, "--format", "json"])

    assert command[:2] == ["grassroots", "count"]
    assert "--min" in command
    assert recount.exit_code == 0, recount.output
    ballot.refresh_from_db()
    assert json.loads(recount.output) == ballot.result
    assert json.loads(client.get(f"/ballots/{ballot.slug}/result.json").content) == ballot.result


def test_published_receipts_are_sorted_and_apart_from_the_rankings(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    ballot, receipts = _voted(make_supporter, clp)
    services.ballot_publish(actor=None, ballot=ballot)

    listed = client.get(f"/ballots/{ballot.slug}/receipts.txt").content.decode().split()
    blt = client.get(f"/ballots/{ballot.slug}/ballots.blt").content.decode()
    page = client.get(f"/ballots/{ballot.slug}/result/").content.decode()

    assert listed == sorted(receipts)
    assert not any(code in blt for code in receipts)
    assert "Receipts beside rankings" not in page
    assert "prove how they voted" in page


def test_published_receipts_beside_rankings_only_when_chosen(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    ballot, receipts = _voted(make_supporter, clp, publish_receipts_with_rankings=True)
    services.ballot_publish(actor=None, ballot=ballot)

    page = client.get(f"/ballots/{ballot.slug}/result/").content.decode()

    assert "Receipts beside rankings" in page
    assert "<em>prove</em> how they voted" in page
    assert all(code in page for code in receipts)


@pytest.mark.parametrize(
    "path", ["result/", "ballots.blt", "categories.csv", "receipts.txt", "result.json"]
)
def test_nothing_is_published_before_close(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency, path: str
) -> None:
    make_supporter(clp=clp)
    ballot = ballot_create()
    [token] = ballot_open_with_tokens(ballot)
    services.ballot_cast(credential_token=token, ranking=option_ids(ballot, "Ann"))

    assert client.get(f"/ballots/{ballot.slug}/{path}").status_code == 404


def test_result_page_shows_elected_decisions_count_sheet_and_charts(
    client: Client, make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    ballot, _ = _voted(make_supporter, clp, quotas={"F": {"min": 1}})
    result = services.ballot_publish(actor=None, ballot=ballot)

    page = client.get(f"/ballots/{ballot.slug}/result/").content.decode()

    elected = page.split('<ol id="elected">')[1].split("</ol>")[0]
    assert [line.split("<li>")[1].split(" (")[0] for line in elected.split("</li>")[:-1]] == (
        result["elected"]
    )
    assert "Ann</strong> kept in the count <strong>because of the quota</strong>" in page
    assert page.count('<th scope="row">') >= len(result["candidates"])
    assert "Votes round by round</title>" in page
    assert "Transfers between candidates</title>" in page


def test_ballot_publish_approval_tallies_ticks(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    ballot, _ = _voted(
        make_supporter,
        clp,
        [("Ann", "Bea"), ("Bea",), ("Bea", "Cal")],
        method=Method.APPROVAL,
        seats=1,
    )

    result = services.ballot_publish(actor=None, ballot=ballot)

    assert result["totals"] == {"Ann": 1, "Bea": 3, "Cal": 1, "Dev": 0, "Eve": 0}
    assert result["elected"] == ["Bea"]


def test_ballot_publish_irv_counts_with_the_irv_rule(
    make_supporter: Callable[..., Supporter], clp: Constituency
) -> None:
    # Cal leads on first preferences; Bea's and then Ann's papers go to Dev, who wins 5 to 3.
    rankings = [("Cal",)] * 3 + [("Dev", "Ann")] * 2 + [("Ann", "Dev")] * 2 + [("Bea", "Dev")]
    ballot, _ = _voted(make_supporter, clp, rankings, method=Method.IRV, seats=1)

    result = services.ballot_publish(actor=None, ballot=ballot)

    assert result["rule"] == "irv"
    assert result["elected"] == ["Dev"]
    assert result["stages"][-1]["votes"] == {
        "Ann": "0",
        "Bea": "0",
        "Cal": "3",
        "Dev": "5",
        "Eve": "0",
    }
