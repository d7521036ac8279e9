"""The trustees' commands and ``ballots verify``, run as a trustee would, without Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from grassroots.cli.main import app
from grassroots.count import count
from grassroots.count.formats.blt import parse_blt
from grassroots.seal.bundle import CountRecord, Mix, ballots_blt, bundle_make
from grassroots.seal.context import ElectionContext
from grassroots.seal.decryption import DecryptionShare, plaintexts_combine
from grassroots.seal.elgamal import ballot_from_json, ballot_to_json
from grassroots.seal.encoding import ballot_decode
from grassroots.seal.trustee import Confirmation, Deal, Setup, TrusteePublic, context_make
from tests.seal.helpers import OPTIONS, RANKINGS, board, honest_bundle


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_three_trustees_run_every_step_and_the_bundle_verifies(tmp_path: Path) -> None:
    election = "cli-2026"
    for index in (1, 2, 3):
        _run(
            "trustee", "keygen", "--election", election, "--index", str(index),
            "--secret", str(tmp_path / f"secret-{index}.json"),
            "--public", str(tmp_path / f"public-{index}.json"),
        )  # fmt: skip
    assert (tmp_path / "secret-1.json").stat().st_mode & 0o777 == 0o600
    # The returning officer's site gathers the public files into the setup.
    publics = [TrusteePublic.from_json(_load(tmp_path / f"public-{i}.json")) for i in (1, 2, 3)]
    setup = Setup(election, 2, tuple(publics))
    (tmp_path / "setup.json").write_text(json.dumps(setup.to_json()))
    for index in (1, 2, 3):
        _run(
            "trustee", "deal", "--secret", str(tmp_path / f"secret-{index}.json"),
            "--setup", str(tmp_path / "setup.json"), "--out", str(tmp_path / f"deal-{index}.json"),
        )  # fmt: skip
    deals = [_load(tmp_path / f"deal-{index}.json") for index in (1, 2, 3)]
    (tmp_path / "deals.json").write_text(json.dumps(deals))
    for index in (1, 2, 3):
        out = _run(
            "trustee", "confirm", "--secret", str(tmp_path / f"secret-{index}.json"),
            "--setup", str(tmp_path / "setup.json"), "--deals", str(tmp_path / "deals.json"),
            "--out", str(tmp_path / f"confirmation-{index}.json"),
        )  # fmt: skip
        assert "every share checks" in out
        assert _load(tmp_path / f"secret-{index}.json")["share"] is not None
    confirmations = [
        Confirmation.from_json(_load(tmp_path / f"confirmation-{index}.json"))
        for index in (1, 2, 3)
    ]
    parsed_deals = [Deal.from_json(deal) for deal in deals]
    context = context_make(setup, parsed_deals, confirmations, 1)
    (tmp_path / "election.json").write_text(json.dumps(context.to_json()))
    cast = board(context, RANKINGS)
    (tmp_path / "board.json").write_text(json.dumps([ballot_to_json(b) for b in cast]))
    _run(
        "trustee", "mix", "--election", str(tmp_path / "election.json"),
        "--ballots", str(tmp_path / "board.json"), "--mixer", "trustee 2",
        "--out", str(tmp_path / "mix-1.json"),
    )  # fmt: skip
    for index in (1, 3):  # trustee 2 is absent at the count
        _run(
            "trustee", "decrypt", "--secret", str(tmp_path / f"secret-{index}.json"),
            "--election", str(tmp_path / "election.json"),
            "--ballots", str(tmp_path / "mix-1.json"),
            "--out", str(tmp_path / f"decryption-{index}.json"),
        )  # fmt: skip
    mix = _load(tmp_path / "mix-1.json")
    final = [ballot_from_json(item, 1) for item in mix["ballots"]]
    shares = [DecryptionShare.from_json(_load(tmp_path / f"decryption-{i}.json")) for i in (1, 3)]
    points = plaintexts_combine(context, final, shares)
    decrypted = [ballot_decode(row, 3) for row in points]
    assert sorted(decrypted) == sorted(RANKINGS)
    blt = ballots_blt(OPTIONS, 1, decrypted)
    elected = count(parse_blt(blt), rule="irv").elected
    bundle = bundle_make(
        context=ElectionContext.from_json(_load(tmp_path / "election.json")),
        setup=setup,
        deals=parsed_deals,
        confirmations=confirmations,
        board=cast,
        mixes=[Mix(mix["mixer"], final, mix["proof"])],
        shares=shares,
        count=CountRecord(options=OPTIONS, rule="irv", blt=blt, elected=elected),
    )
    path = tmp_path / "bundle.json"
    path.write_text(bundle.dumps())
    out = _run("ballots", "verify", str(path))
    assert "the bundle verifies" in out
    assert "mix 1 by trustee 2: the proof of shuffle holds" in out
    assert f"elected (irv): {elected[0]}" in out


def test_verify_exits_1_naming_the_failed_check(tmp_path: Path) -> None:
    bundle, _ = honest_bundle(mixers=("server",))
    bundle["board"]["digest"] = "0" * 128
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    result = CliRunner().invoke(app, ["ballots", "verify", str(path)])
    assert result.exit_code == 1
    assert "verification failed: board: its digest is not the hash of its ballots" in result.output


def test_keygen_never_overwrites_a_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text("{}")
    result = CliRunner().invoke(
        app,
        ["trustee", "keygen", "--election", "e", "--index", "1", "--secret", str(secret),
         "--public", str(tmp_path / "public.json")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "never overwritten" in result.output
    assert secret.read_text() == "{}"


def test_a_bad_setup_file_is_named(tmp_path: Path) -> None:
    _run("trustee", "keygen", "--election", "e", "--index", "1",
         "--secret", str(tmp_path / "s.json"), "--public", str(tmp_path / "p.json"))  # fmt: skip
    (tmp_path / "setup.json").write_text(json.dumps({"election_id": "e", "threshold": 1}))
    result = CliRunner().invoke(
        app,
        ["trustee", "deal", "--secret", str(tmp_path / "s.json"),
         "--setup", str(tmp_path / "setup.json"), "--out", str(tmp_path / "d.json")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "setup: the field 'trustees' is missing" in result.output


def test_verifying_imports_no_django(tmp_path: Path) -> None:
    bundle, _ = honest_bundle(mixers=())
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from grassroots.cli.main import app\n"
        f"r = CliRunner().invoke(app, ['ballots', 'verify', {str(path)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'django' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
