"""The site's side of sealed ballots: between the ballots' tables and ``grassroots.seal``.

Reads the trustees' public files from their rows, fixes the election's context at the
opening, encrypts a ranking at the cast, freezes the board at the close and reads the lists
the mixes hand on. Nothing here holds a secret: the server never sees a trustee's share of
the key (docs/sealed-ballots.md, "In the site"). The services that change a sealed ballot's
state step by step are in ``ballots.sealed``; this module is what ``ballots.services`` calls
at the opening, the cast and the close.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django_tasks_db import DatabaseBackend

from grassroots.seal.context import ElectionContext, board_digest
from grassroots.seal.elgamal import SealedBallot, ballot_from_json, ballot_to_json
from grassroots.seal.encoding import EncodingError, ballot_encrypt, ballot_fingerprint, ballot_width
from grassroots.seal.group import GroupError
from grassroots.seal.trustee import (
    Confirmation,
    Deal,
    Setup,
    TrusteeError,
    TrusteePublic,
    context_make,
)
from grassroots.web.ballots.models import (
    Ballot,
    Mix,
    SealedCast,
    SealedElection,
    SealedStage,
    Trustee,
)
from grassroots.web.errors import DomainError

MIN_TRUSTEES = 2
CEREMONY_UNFINISHED = (
    "The trustees have not finished making the election's key: every trustee sends their "
    "key, their deal and their confirmation first (see the trustees' table)."
)


def receipt_from_fingerprint(fingerprint: str) -> str:
    """The receipt code a voter keeps: the first 16 hex digits of their ciphertexts'
    fingerprint, in groups of four, which they find on the published board."""
    head = fingerprint[:16]
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


def election_get(ballot: Ballot) -> SealedElection:
    return SealedElection.objects.get(ballot=ballot)


def trustee_list(ballot: Ballot) -> list[Trustee]:
    return list(Trustee.objects.filter(ballot=ballot).select_related("person").order_by("index"))


def setup_make(*, election: SealedElection, trustees: Sequence[Trustee]) -> Setup:
    """The setup every deal and confirmation is made for: the election's id, its threshold
    and every trustee's public key, numbered 1..n. A ``DomainError`` while it is not ready."""
    if len(trustees) < MIN_TRUSTEES:
        raise DomainError(f"A sealed ballot needs at least {MIN_TRUSTEES} trustees.")
    if not MIN_TRUSTEES <= election.threshold <= len(trustees):
        raise DomainError(
            f"The threshold must be from {MIN_TRUSTEES} to the {len(trustees)} trustees.",
            field="threshold",
        )
    waiting = [str(trustee.index) for trustee in trustees if trustee.public is None]
    if waiting:
        raise DomainError(f"Trustee(s) {', '.join(waiting)} have not sent their key yet.")
    try:
        return Setup(
            election_id=str(election.election_id),
            threshold=election.threshold,
            trustees=tuple(TrusteePublic.from_json(trustee.public) for trustee in trustees),
        )
    except TrusteeError as err:
        raise DomainError(f"The trustees' keys do not make a setup: {err}") from err


def deals_of(trustees: Sequence[Trustee]) -> list[Deal]:
    return [Deal.from_json(trustee.deal) for trustee in trustees if trustee.deal is not None]


def confirmations_of(trustees: Sequence[Trustee]) -> list[Confirmation]:
    return [
        Confirmation.from_json(trustee.confirmation)
        for trustee in trustees
        if trustee.confirmation is not None
    ]


def ceremony_check(*, ballot: Ballot) -> None:
    """Refuse to open a sealed ballot until every trustee has confirmed their keys."""
    if any(trustee.confirmation is None for trustee in trustee_list(ballot)):
        raise DomainError(CEREMONY_UNFINISHED)


def election_fix(*, ballot: Ballot, max_weight: int) -> ElectionContext:
    """At the opening: check the key ceremony is complete, and fix the election's context
    (joint public key, verification keys, and a width that holds a complete ranking at the
    roll's largest weight). In ``ballot_open``'s transaction."""
    election = SealedElection.objects.select_for_update().get(ballot=ballot)
    trustees = trustee_list(ballot)
    setup = setup_make(election=election, trustees=trustees)
    if any(trustee.confirmation is None for trustee in trustees):
        raise DomainError(CEREMONY_UNFINISHED)
    try:
        width = ballot_width(ballot.options.count(), max_weight)
        context = context_make(setup, deals_of(trustees), confirmations_of(trustees), width)
    except (TrusteeError, EncodingError) as err:
        raise DomainError(f"The election's key cannot be fixed: {err}") from err
    election.width = width
    election.context = context.to_json()
    election.stage = SealedStage.VOTING
    election.save(update_fields=["width", "context", "stage"])
    return context


def context_of(election: SealedElection) -> ElectionContext:
    if election.context is None:
        raise DomainError("The election's key is not fixed yet: the ballot has not opened.")
    return ElectionContext.from_json(election.context)


def option_positions(ballot: Ballot) -> dict[int, int]:
    """Option id -> its 1-based number in the ballot's order, as the encoding writes it."""
    ids = ballot.options.order_by("position", "id").values_list("pk", flat=True)
    return {option_id: number for number, option_id in enumerate(ids, start=1)}


def ballot_seal(*, ballot: Ballot, ranking: Sequence[int], weight: int) -> str:
    """Encrypt a checked ranking (option ids) and weight to the election's key and store the
    ciphertexts; return the receipt code. Called by ``ballot_cast`` in its transaction, so
    the ranking exists only in this request's memory, never in a row or a log."""
    election = election_get(ballot)
    context = context_of(election)
    positions = option_positions(ballot)
    sealed = ballot_encrypt(
        context.public_key, [positions[option_id] for option_id in ranking], weight, context.width
    )
    code = receipt_from_fingerprint(ballot_fingerprint(sealed))
    SealedCast.objects.create(ballot=ballot, ciphertexts=ballot_to_json(sealed), receipt=code)
    return code


def board_freeze(*, ballot: Ballot) -> str:
    """At the close, after the cast rows were rewritten in random order: store the board
    (every cast ballot's ciphertexts in that order, with its fingerprint) and its digest;
    mixing starts from it. Returns the digest."""
    election = SealedElection.objects.select_for_update().get(ballot=ballot)
    width = election.width or 0
    ballots = [
        ballot_from_json(row, width)
        for row in SealedCast.objects.filter(ballot=ballot).values_list("ciphertexts", flat=True)
    ]
    election.board = [
        {"fingerprint": ballot_fingerprint(sealed), "ciphertexts": ballot_to_json(sealed)}
        for sealed in ballots
    ]
    election.board_digest = board_digest(ballots)
    election.stage = SealedStage.MIXING
    election.save(update_fields=["board", "board_digest", "stage"])
    return election.board_digest


def board_ballots(election: SealedElection) -> list[SealedBallot]:
    width = election.width or 0
    return [ballot_from_json(entry["ciphertexts"], width) for entry in election.board or []]


def ballots_from_json(data: Any, width: int, *, what: str) -> list[SealedBallot]:
    """A list of sealed ballots read from a file; a ``DomainError`` naming the ballot."""
    if not isinstance(data, list):
        raise DomainError(f"{what}: expected a list of ballots")
    ballots = []
    for number, item in enumerate(data):
        try:
            ballots.append(ballot_from_json(item, width))
        except GroupError as err:
            raise DomainError(f"{what}: ballot {number}: {err}") from err
    return ballots


def mixes_accepted(election: SealedElection) -> list[Mix]:
    return list(election.mixes.filter(order__isnull=False).order_by("order"))


def list_current(election: SealedElection) -> list[SealedBallot]:
    """The list the next mix shuffles, or the trustees decrypt: the last accepted mix's
    output, or the board before any mix."""
    last = election.mixes.filter(order__isnull=False).order_by("-order").first()
    if last is None:
        return board_ballots(election)
    return [ballot_from_json(item, election.width or 0) for item in last.output]


def server_mix_enqueue(*, ballot_id: int) -> None:
    """Queue the server's mix after the close: in the caller's transaction with the database
    queue, after the commit with another backend (the tests' runs it there and then)."""
    from grassroots.web.ballots.tasks import sealed_server_mix

    task_enqueue(sealed_server_mix, ballot_id)


def task_enqueue(task: Any, *args: Any) -> None:
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))
