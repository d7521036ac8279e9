"""``grassroots trustee ...`` and ``grassroots ballots verify``: a sealed ballot's steps on a
trustee's own machine, and the check anyone can run on the published bundle.

Each step reads and writes JSON files; none imports Django, and no secret leaves the
trustee's secret file (written readable by its owner only). docs/sealed-ballots.md walks
through them in order.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NoReturn

import click

_FILE = click.Path(path_type=Path, dir_okay=False)
_INPUT = click.Path(path_type=Path, dir_okay=False, exists=True)


def _refuse(message: str) -> NoReturn:
    click.echo(f"grassroots: error: {message}", err=True)
    raise SystemExit(1)


def _read(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        _refuse(f"{path}: cannot read the {what}: {err.strerror}")
    except json.JSONDecodeError as err:
        _refuse(f"{path}: the {what} is not JSON (line {err.lineno}: {err.msg})")


def _write(path: Path, data: Any, *, secret: bool = False, new: bool = False) -> None:
    text = json.dumps(data, indent=1) + "\n"
    if not secret:
        path.write_text(text, encoding="utf-8")
        return
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if new else os.O_TRUNC)
    try:
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError:
        _refuse(f"{path} exists: a trustee's secret file is never overwritten by keygen")
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)


def _ballot_list(path: Path, width: int) -> list[Any]:
    """A list of sealed ballots: a JSON list, or an object with "ballots" (a mix's output)."""
    from grassroots.seal.elgamal import ballot_from_json
    from grassroots.seal.group import GroupError

    data = _read(path, "ballot list")
    items = data.get("ballots") if isinstance(data, dict) else data
    if not isinstance(items, list):
        _refuse(f"{path}: expected a list of ballots, or an object with a 'ballots' list")
    ballots = []
    for index, item in enumerate(items):
        try:
            ballots.append(ballot_from_json(item, width))
        except GroupError as err:
            _refuse(f"{path}: ballot {index}: {err}")
    return ballots


def _context(path: Path) -> Any:
    from grassroots.seal.context import ContextError, ElectionContext

    data = _read(path, "election context")
    if isinstance(data, dict) and "election" in data and "format" in data:
        data = data["election"]  # a bundle holds its context
    try:
        return ElectionContext.from_json(data)
    except ContextError as err:
        _refuse(f"{path}: {err}")


@click.group("trustee")
def trustee_group() -> None:
    """A trustee's steps for a sealed ballot, each on your own machine.

    \b
    In order:
      1. keygen   make your key pair; send the public file to the returning officer
      2. deal     from the setup (every trustee's public file), make your deal
      3. confirm  from everyone's deals, check your shares and make your confirmation
      4. mix      (optional) re-encrypt and shuffle the list, with a proof
      5. decrypt  your partial decryption of the final list, with proofs
    Keep SECRET.json to yourself, on this machine: it never goes to the server.
    """


@trustee_group.command("keygen")
@click.option("--election", "election_id", required=True, help="The election's identifier.")
@click.option("--index", type=click.IntRange(min=1), required=True, help="Your trustee number.")
@click.option("--secret", type=_FILE, required=True, help="Where to write your secret file.")
@click.option("--public", type=_FILE, required=True, help="Where to write your public file.")
def keygen_command(election_id: str, index: int, secret: Path, public: Path) -> None:
    """Make your key pair: a secret file (only you can read it) and a public file to send.

    \b
    Example:
      grassroots trustee keygen --election nec-2026 --index 2 \\
          --secret nec-2026-secret.json --public nec-2026-trustee-2.json
    """
    from grassroots.seal.trustee import TrusteeError, trustee_keys_make

    try:
        made, published = trustee_keys_make(election_id, index)
    except TrusteeError as err:
        _refuse(str(err))
    _write(secret, made.to_json(), secret=True, new=True)
    _write(public, published.to_json())
    click.echo(f"secret file: {secret} (keep it on this machine)")
    click.echo(f"public file: {public} (send it to the returning officer)")


@trustee_group.command("deal")
@click.option("--secret", type=_INPUT, required=True, help="Your secret file.")
@click.option("--setup", type=_INPUT, required=True, help="The setup file the officer sends.")
@click.option("--out", type=_FILE, required=True, help="Where to write your deal.")
def deal_command(secret: Path, setup: Path, out: Path) -> None:
    """Make your deal: commitments, a proof, and a share sealed to each trustee.

    \b
    Example:
      grassroots trustee deal --secret nec-2026-secret.json --setup setup.json \\
          --out deal-2.json
    """
    from grassroots.seal.trustee import Setup, TrusteeError, TrusteeSecret, deal_make

    try:
        made = deal_make(
            TrusteeSecret.from_json(_read(secret, "secret file")),
            Setup.from_json(_read(setup, "setup")),
        )
    except TrusteeError as err:
        _refuse(str(err))
    _write(out, made.to_json())
    click.echo(f"deal of trustee {made.dealer}: {out} (send it to the returning officer)")


@trustee_group.command("confirm")
@click.option("--secret", type=_INPUT, required=True, help="Your secret file (gets your share).")
@click.option("--setup", type=_INPUT, required=True, help="The setup file.")
@click.option(
    "--deals",
    type=_INPUT,
    required=True,
    help="Every trustee's deals: one file holding a list, or a bundle of them.",
)
@click.option("--out", type=_FILE, required=True, help="Where to write your confirmation.")
def confirm_command(secret: Path, setup: Path, deals: Path, out: Path) -> None:
    """Check your share of every deal, keep your key share in your secret file, and make
    your confirmation. A bad share names its dealer; nothing is written then.

    \b
    Example:
      grassroots trustee confirm --secret nec-2026-secret.json --setup setup.json \\
          --deals deals.json --out confirmation-2.json
    """
    from grassroots.seal.trustee import Deal, Setup, TrusteeError, TrusteeSecret, deals_check

    listed = _read(deals, "deals")
    if isinstance(listed, dict) and "deals" in listed:
        listed = listed["deals"]
    if not isinstance(listed, list):
        _refuse(f"{deals}: expected a list of deals")
    try:
        mine = TrusteeSecret.from_json(_read(secret, "secret file"))
        confirmation = deals_check(
            mine, Setup.from_json(_read(setup, "setup")), [Deal.from_json(d) for d in listed]
        )
    except TrusteeError as err:
        _refuse(str(err))
    _write(secret, mine.to_json(), secret=True)
    _write(out, confirmation.to_json())
    click.echo(f"every share checks; your key share is saved in {secret}")
    click.echo(f"confirmation: {out} (send it to the returning officer)")


@trustee_group.command("mix")
@click.option("--election", type=_INPUT, required=True, help="The election context (or bundle).")
@click.option("--ballots", type=_INPUT, required=True, help="The list to mix (or a mix's file).")
@click.option("--mixer", required=True, help="Your name as the mixer, e.g. 'trustee 2'.")
@click.option("--out", type=_FILE, required=True, help="Where to write the mixed list and proof.")
def mix_command(election: Path, ballots: Path, mixer: str, out: Path) -> None:
    """Re-encrypt and shuffle the list, with a proof of shuffle anyone can check.

    \b
    Example:
      grassroots trustee mix --election election.json --ballots board.json \\
          --mixer "trustee 2" --out mix-2.json
    """
    from grassroots.seal.shuffle import shuffle_prove

    context = _context(election)
    inputs = _ballot_list(ballots, context.width)
    if not inputs:
        _refuse(f"{ballots}: there are no ballots to mix")

    def progress(done: int, total: int) -> None:
        click.echo(f"\r{mixer}: {done}/{total}", nl=False, err=True)

    outputs, proof = shuffle_prove(context, inputs, mixer, progress)
    click.echo("", err=True)
    from grassroots.seal.elgamal import ballot_to_json

    _write(
        out,
        {
            "mixer": mixer,
            "ballots": [ballot_to_json(ballot) for ballot in outputs],
            "proof": proof.to_json(),
        },
    )
    click.echo(f"mixed {len(outputs)} ballots: {out}")


@trustee_group.command("decrypt")
@click.option("--secret", type=_INPUT, required=True, help="Your secret file (with your share).")
@click.option("--election", type=_INPUT, required=True, help="The election context (or bundle).")
@click.option("--ballots", type=_INPUT, required=True, help="The final list (the last mix's).")
@click.option("--out", type=_FILE, required=True, help="Where to write your decryption share.")
def decrypt_command(secret: Path, election: Path, ballots: Path, out: Path) -> None:
    """Your partial decryption of the final list, with a proof for every ciphertext.

    \b
    Example:
      grassroots trustee decrypt --secret nec-2026-secret.json --election election.json \\
          --ballots mix-3.json --out decryption-2.json
    """
    from grassroots.seal.decryption import DecryptionError, decryption_share_make
    from grassroots.seal.trustee import TrusteeError, TrusteeSecret

    context = _context(election)
    final = _ballot_list(ballots, context.width)
    try:
        mine = TrusteeSecret.from_json(_read(secret, "secret file"))
        share = decryption_share_make(mine, context, final)
    except (TrusteeError, DecryptionError) as err:
        _refuse(str(err))
    _write(out, share.to_json())
    click.echo(f"decryption share of trustee {share.trustee} for {len(final)} ballots: {out}")


def ballots_verify(bundle: Path, output: str) -> None:
    """The body of ``grassroots ballots verify`` (registered in ``cli.main``)."""
    from grassroots.seal.verify import bundle_verify
    from grassroots.seal.verify_shuffle import VerificationError

    def step(name: str) -> None:
        if output == "text":
            click.echo(f"checking {name}…", err=True)

    try:
        report = bundle_verify(bundle, progress=step)
    except VerificationError as err:
        _refuse(f"verification failed: {err}")
    if output == "json":
        click.echo(
            json.dumps(
                {"verified": True, **report.__dict__, "elected": list(report.elected)}, indent=1
            )
        )
        return
    from rich.console import Console

    console = Console(soft_wrap=False, highlight=False)
    console.print(f"[bold]{report.election_id}[/bold]: the bundle verifies")
    console.print(
        f"{report.ballots} ballots, {report.trustee_count} trustees "
        f"(threshold {report.threshold}); mixed by "
        f"{', '.join(report.mixers) if report.mixers else 'no one'}; decrypted by trustees "
        f"{', '.join(map(str, report.decrypting_trustees))}"
    )
    console.print(f"board digest: {report.board_digest}")
    for check in report.checks:
        console.print(f"  [green]✓[/green] {check}")
    console.print(f"elected ({report.rule}): {', '.join(report.elected)}")
