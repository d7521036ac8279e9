"""A whole key ceremony and an encrypted board, for the seal tests."""

from __future__ import annotations

from dataclasses import dataclass

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
