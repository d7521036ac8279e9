"""A whole key ceremony and an encrypted board, for the seal tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grassroots.seal.context import ElectionContext
from grassroots.seal.elgamal import SealedBallot
from grassroots.seal.encoding import ballot_encrypt
from grassroots.seal.trustee import (
    Confirmation,
    Deal,
    Setup,
    TrusteeSecret,
    context_make,
    deal_make,
    deals_check,
    trustee_keys_make,
)


@dataclass
class Ceremony:
    setup: Setup
    secrets: list[TrusteeSecret]
    deals: list[Deal]
    confirmations: list[Confirmation]
    context: ElectionContext


def ceremony(
    *, threshold: int = 2, trustees: int = 3, width: int = 1, election_id: str = "test-2026"
) -> Ceremony:
    pairs = [trustee_keys_make(election_id, index) for index in range(1, trustees + 1)]
    setup = Setup(election_id, threshold, tuple(public for _, public in pairs))
    secrets = [secret for secret, _ in pairs]
    deals = [deal_make(secret, setup) for secret in secrets]
    confirmations = [deals_check(secret, setup, deals) for secret in secrets]
    context = context_make(setup, deals, confirmations, width)
    return Ceremony(setup, secrets, deals, confirmations, context)


RANKINGS = [([1, 2, 3], 1), ([2], 1), ([3, 1], 2), ([1, 3, 2], 1), ([2, 3], 1)]


def board(context: ElectionContext, rankings: list[tuple[list[int], int]]) -> list[SealedBallot]:
    return [
        ballot_encrypt(context.public_key, ranking, weight, context.width)
        for ranking, weight in rankings
    ]


OPTIONS = ("Ann", "Ben", "Cy")


def honest_bundle(
    *,
    rankings: list[tuple[list[int], int]] | None = None,
    mixers: tuple[str, ...] = ("server", "trustee 1"),
    decrypting: tuple[int, ...] = (1, 3),
) -> tuple[dict[str, Any], Ceremony]:
    """A whole sealed count of three options, two seats: the bundle's JSON and the keys."""
    from grassroots.count import count
    from grassroots.count.formats.blt import parse_blt
    from grassroots.seal.bundle import CountRecord, Mix, ballots_blt, bundle_make
    from grassroots.seal.decryption import decryption_share_make, plaintexts_combine
    from grassroots.seal.encoding import ballot_decode
    from grassroots.seal.shuffle import shuffle_prove

    run = ceremony(threshold=2, trustees=3)
    cast = board(run.context, RANKINGS if rankings is None else rankings)
    mixes, current = [], cast
    for mixer in mixers:
        current, proof = shuffle_prove(run.context, current, mixer)
        mixes.append(Mix(mixer, current, proof.to_json()))
    shares = [
        decryption_share_make(run.secrets[index - 1], run.context, current) for index in decrypting
    ]
    points = plaintexts_combine(run.context, current, shares)
    decrypted = [ballot_decode(row, len(OPTIONS)) for row in points]
    blt = ballots_blt(OPTIONS, 2, decrypted, title="Test")
    result = count(parse_blt(blt), rule="scottish")
    record = CountRecord(options=OPTIONS, rule="scottish", blt=blt, elected=result.elected)
    bundle = bundle_make(
        context=run.context,
        setup=run.setup,
        deals=run.deals,
        confirmations=run.confirmations,
        board=cast,
        mixes=mixes,
        shares=shares,
        count=record,
    )
    return bundle.to_json(), run
